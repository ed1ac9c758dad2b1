package org.dtlsip.dtls.handshake.extension;

import java.nio.charset.StandardCharsets;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * server_name (RFC 6066 3) with one host_name entry, the only name type defined. A server
 * that used the name answers with an empty extension.
 */
public record ServerNameList(String hostName) {
    /** NameType host_name. */
    public static final int HOST_NAME = 0;

    public static ServerNameList from(Extension e) {
        CodeLists.requireType(e, ExtensionType.SERVER_NAME);
        ByteReader r = new ByteReader(e.data());
        ByteReader list = r.slice(r.u16());
        r.expectEnd("server_name");
        String host = null;
        while (list.hasRemaining()) {
            int type = list.u8();
            byte[] name = list.vector16();
            if (type == HOST_NAME) {
                if (host != null) {
                    throw new DecodeException("server_name: two host_name entries (RFC 6066 3)");
                }
                if (name.length == 0) {
                    throw new DecodeException("server_name: empty host_name");
                }
                host = new String(name, StandardCharsets.US_ASCII);
            }
        }
        if (host == null) {
            throw new DecodeException("server_name: no host_name");
        }
        return new ServerNameList(host);
    }

    public Extension toExtension() {
        byte[] name = hostName.getBytes(StandardCharsets.US_ASCII);
        ByteWriter w = new ByteWriter(5 + name.length);
        int token = w.startVector(2);
        w.u8(HOST_NAME).vector16(name);
        w.endVector(token);
        return new Extension(ExtensionType.SERVER_NAME, w.toByteArray());
    }
}
