package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * connection_id (RFC 9146 3): {@code struct { opaque cid<0..2^8-1>; } ConnectionId;}. The value
 * is the ID its sender wants to find in records sent to it; empty means "none for me, but I
 * will put yours in what I send".
 */
public record ConnectionId(byte[] cid) {
    public ConnectionId {
        if (cid.length > 255) {
            throw new IllegalArgumentException("connection ID of " + cid.length + " bytes; at most 255");
        }
        cid = cid.clone();
    }

    @Override
    public byte[] cid() {
        return cid.clone();
    }

    /** @throws org.dtlsip.dtls.util.DecodeException when the data is not exactly one cid vector */
    public static ConnectionId from(Extension e) {
        CodeLists.requireType(e, ExtensionType.CONNECTION_ID);
        ByteReader r = new ByteReader(e.data());
        byte[] cid = r.vector8();
        r.expectEnd("connection_id");
        return new ConnectionId(cid);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.CONNECTION_ID, new ByteWriter(1 + cid.length).vector8(cid).toByteArray());
    }
}
