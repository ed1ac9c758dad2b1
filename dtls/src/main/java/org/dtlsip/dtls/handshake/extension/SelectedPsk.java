package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * pre_shared_key in a ServerHello (RFC 8446 4.2.11): {@code uint16 selected_identity}, the
 * zero-based index into the client's identities. A client answers an index it did not offer
 * with illegal_parameter.
 */
public record SelectedPsk(int selectedIdentity) {
    public SelectedPsk {
        if (selectedIdentity < 0 || selectedIdentity > 0xffff) {
            throw new IllegalArgumentException("selected_identity out of range: " + selectedIdentity);
        }
    }

    /** @throws org.dtlsip.dtls.util.DecodeException unless the data is exactly two bytes */
    public static SelectedPsk from(Extension e) {
        CodeLists.requireType(e, ExtensionType.PRE_SHARED_KEY);
        ByteReader r = new ByteReader(e.data());
        int index = r.u16();
        r.expectEnd("pre_shared_key (ServerHello)");
        return new SelectedPsk(index);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.PRE_SHARED_KEY, new ByteWriter(2).u16(selectedIdentity).toByteArray());
    }
}
