package org.dtlsip.dtls.handshake.extension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * key_share in a ClientHello (RFC 8446 4.2.8): {@code KeyShareEntry client_shares<0..2^16-1>},
 * possibly empty (a client that wants the server to pick, at the cost of a HelloRetryRequest).
 */
public record KeyShareClientHello(List<KeyShareEntry> shares) {
    public KeyShareClientHello {
        shares = List.copyOf(shares);
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if an entry overruns or bytes trail */
    public static KeyShareClientHello from(Extension e) {
        CodeLists.requireType(e, ExtensionType.KEY_SHARE);
        ByteReader r = new ByteReader(e.data());
        ByteReader list = r.slice(r.u16());
        r.expectEnd("key_share");
        List<KeyShareEntry> shares = new ArrayList<>();
        while (list.hasRemaining()) {
            shares.add(KeyShareEntry.read(list));
        }
        return new KeyShareClientHello(shares);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(2 + shares.stream().mapToInt(KeyShareEntry::encodedLength).sum());
        int token = w.startVector(2);
        for (KeyShareEntry s : shares) {
            s.write(w);
        }
        w.endVector(token);
        return new Extension(ExtensionType.KEY_SHARE, w.toByteArray());
    }

    /** The share for {@code group}, or {@code null}. */
    public KeyShareEntry shareFor(NamedGroup group) {
        for (KeyShareEntry s : shares) {
            if (s.group() == group.code) {
                return s;
            }
        }
        return null;
    }

    /**
     * RFC 8446 4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same group";
     * a server may refuse such a hello with illegal_parameter.
     */
    public boolean hasDuplicateGroups() {
        Set<Integer> seen = new HashSet<>();
        for (KeyShareEntry s : shares) {
            if (!seen.add(s.group())) {
                return true;
            }
        }
        return false;
    }
}
