package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * key_share in a HelloRetryRequest (RFC 8446 4.2.8): {@code NamedGroup selected_group}, the
 * group the client must send a share for in its second ClientHello.
 */
public record KeyShareHelloRetryRequest(int selectedGroup) {
    public KeyShareHelloRetryRequest {
        if (selectedGroup < 0 || selectedGroup > 0xffff) {
            throw new IllegalArgumentException("selected_group out of range: " + selectedGroup);
        }
    }

    public static KeyShareHelloRetryRequest of(NamedGroup group) {
        return new KeyShareHelloRetryRequest(group.code);
    }

    /** @throws org.dtlsip.dtls.util.DecodeException unless the data is exactly two bytes */
    public static KeyShareHelloRetryRequest from(Extension e) {
        CodeLists.requireType(e, ExtensionType.KEY_SHARE);
        ByteReader r = new ByteReader(e.data());
        int group = r.u16();
        r.expectEnd("key_share (HelloRetryRequest)");
        return new KeyShareHelloRetryRequest(group);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.KEY_SHARE, new ByteWriter(2).u16(selectedGroup).toByteArray());
    }

    /** The group, or {@code null} when we do not implement it. */
    public NamedGroup namedGroup() {
        return NamedGroup.of(selectedGroup);
    }
}
