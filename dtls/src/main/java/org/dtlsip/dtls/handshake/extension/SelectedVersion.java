package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * supported_versions in a ServerHello or HelloRetryRequest (RFC 8446 4.2.1):
 * {@code ProtocolVersion selected_version}. Its presence is what makes a ServerHello a
 * DTLS 1.3 one; legacy_version stays {254, 253} (RFC 9147 5.4).
 */
public record SelectedVersion(int version) {
    public SelectedVersion {
        if (version < 0 || version > 0xffff) {
            throw new IllegalArgumentException("selected_version out of range: " + version);
        }
    }

    /** @throws org.dtlsip.dtls.util.DecodeException unless the data is exactly two bytes */
    public static SelectedVersion from(Extension e) {
        CodeLists.requireType(e, ExtensionType.SUPPORTED_VERSIONS);
        ByteReader r = new ByteReader(e.data());
        int version = r.u16();
        r.expectEnd("supported_versions (selected)");
        return new SelectedVersion(version);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.SUPPORTED_VERSIONS, new ByteWriter(2).u16(version).toByteArray());
    }
}
