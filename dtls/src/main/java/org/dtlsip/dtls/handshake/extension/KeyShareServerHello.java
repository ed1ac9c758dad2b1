package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.ByteReader;

/** key_share in a ServerHello (RFC 8446 4.2.8): {@code KeyShareEntry server_share}. */
public record KeyShareServerHello(KeyShareEntry share) {
    public KeyShareServerHello {
        java.util.Objects.requireNonNull(share, "share");
    }

    /** @throws org.dtlsip.dtls.util.DecodeException unless the data is exactly one entry */
    public static KeyShareServerHello from(Extension e) {
        CodeLists.requireType(e, ExtensionType.KEY_SHARE);
        ByteReader r = new ByteReader(e.data());
        KeyShareEntry share = KeyShareEntry.read(r);
        r.expectEnd("key_share (ServerHello)");
        return new KeyShareServerHello(share);
    }

    public Extension toExtension() {
        org.dtlsip.dtls.util.ByteWriter w = new org.dtlsip.dtls.util.ByteWriter(share.encodedLength());
        share.write(w);
        return new Extension(ExtensionType.KEY_SHARE, w.toByteArray());
    }
}
