package org.dtlsip.dtls.handshake.extension;

import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * supported_versions in a ClientHello (RFC 8446 4.2.1): {@code ProtocolVersion
 * versions<2..254>}, the client's versions in preference order. DTLS writes its own wire
 * values: 0xfefc for DTLS 1.3, 0xfefd for DTLS 1.2 (RFC 9147 5.3). The server's answer is a
 * single version, {@link SelectedVersion}.
 */
public record SupportedVersions(List<Integer> versions) {
    /** {@code versions<2..254>}: at most 127 entries. */
    public static final int MAX_VERSIONS = 127;

    public SupportedVersions {
        versions = CodeLists.check(versions, 1, 2, "supported_versions");
    }

    public static SupportedVersions of(int... versions) {
        return new SupportedVersions(java.util.Arrays.stream(versions).boxed().toList());
    }

    /** @throws DecodeException if the list is empty, odd or bytes trail */
    public static SupportedVersions from(Extension e) {
        CodeLists.requireType(e, ExtensionType.SUPPORTED_VERSIONS);
        ByteReader r = new ByteReader(e.data());
        List<Integer> versions = CodeLists.read(r, 1, 2, "supported_versions");
        r.expectEnd("supported_versions");
        if (versions.size() > MAX_VERSIONS) {
            throw new DecodeException("supported_versions: " + versions.size() + " entries");
        }
        return new SupportedVersions(versions);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(1 + 2 * versions.size());
        CodeLists.write(w, 1, 2, versions);
        return new Extension(ExtensionType.SUPPORTED_VERSIONS, w.toByteArray());
    }

    public boolean offers(int version) {
        return versions.contains(version);
    }
}
