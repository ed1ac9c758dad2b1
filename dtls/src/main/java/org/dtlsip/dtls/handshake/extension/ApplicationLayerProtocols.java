package org.dtlsip.dtls.handshake.extension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * application_layer_protocol_negotiation (RFC 7301 3.1):
 * {@code ProtocolName protocol_name_list<2..2^16-1>}, each name {@code opaque<1..2^8-1>}. The
 * server's answer carries exactly one name.
 */
public record ApplicationLayerProtocols(List<String> protocols) {

    public ApplicationLayerProtocols {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("ALPN needs at least one protocol name");
        }
        for (String p : protocols) {
            int n = p.getBytes(StandardCharsets.UTF_8).length;
            if (n == 0 || n > 255) {
                throw new IllegalArgumentException("ALPN protocol names have 1 to 255 bytes: '" + p + "'");
            }
        }
        protocols = List.copyOf(protocols);
    }

    public static ApplicationLayerProtocols from(Extension e) {
        CodeLists.requireType(e, ExtensionType.ALPN);
        ByteReader r = new ByteReader(e.data());
        ByteReader list = r.slice(r.u16());
        r.expectEnd("application_layer_protocol_negotiation");
        List<String> names = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] name = list.vector8();
            if (name.length == 0) {
                throw new DecodeException("ALPN: empty protocol name (RFC 7301 3.1)");
            }
            names.add(new String(name, StandardCharsets.UTF_8));
        }
        if (names.isEmpty()) {
            throw new DecodeException("ALPN: empty protocol list");
        }
        return new ApplicationLayerProtocols(names);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(64);
        int token = w.startVector(2);
        for (String p : protocols) {
            w.vector8(p.getBytes(StandardCharsets.UTF_8));
        }
        w.endVector(token);
        return new Extension(ExtensionType.ALPN, w.toByteArray());
    }
}
