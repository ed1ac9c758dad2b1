package org.dtlsip.dtls.handshake.extension;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * supported_groups (RFC 8422 5.1.1): {@code NamedCurve named_curve_list<2..2^16-1>}, the
 * client's ECDHE groups in preference order. Codes are kept as ints so that groups we do not
 * implement survive decoding and are simply skipped during negotiation.
 */
public record SupportedGroups(List<Integer> groups) {

    /** @throws IllegalArgumentException if empty or a code is not a uint16 */
    public SupportedGroups {
        groups = CodeLists.check(groups, 2, 2, "supported_groups");
    }

    public static SupportedGroups of(NamedGroup... groups) {
        List<Integer> codes = new ArrayList<>();
        for (NamedGroup g : groups) {
            codes.add(g.code);
        }
        return new SupportedGroups(codes);
    }

    /**
     * @throws IllegalArgumentException if {@code e} is not supported_groups
     * @throws org.dtlsip.dtls.util.DecodeException if its data is malformed
     */
    public static SupportedGroups from(Extension e) {
        CodeLists.requireType(e, ExtensionType.SUPPORTED_GROUPS);
        return decode(e.data());
    }

    /** Parses extension_data; an empty list or odd length is a DecodeException. */
    public static SupportedGroups decode(byte[] data) {
        ByteReader r = new ByteReader(data);
        List<Integer> groups = CodeLists.read(r, 2, 2, "supported_groups");
        r.expectEnd("supported_groups");
        return new SupportedGroups(groups);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(2 + 2 * groups.size());
        CodeLists.write(w, 2, 2, groups);
        return new Extension(ExtensionType.SUPPORTED_GROUPS, w.toByteArray());
    }

    /** The groups this implementation knows, in the peer's order. */
    public List<NamedGroup> known() {
        List<NamedGroup> out = new ArrayList<>();
        for (int c : groups) {
            NamedGroup g = NamedGroup.of(c);
            if (g != null) {
                out.add(g);
            }
        }
        return List.copyOf(out);
    }
}
