package org.dtlsip.dtls.handshake.extension;

import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * ec_point_formats (RFC 8422 5.1.2): {@code ECPointFormat ec_point_format_list<1..2^8-1>}.
 * RFC 8422 deprecates every format but uncompressed, yet a peer that sends the extension MUST
 * include uncompressed; decoding does not enforce that so the engine can choose the alert
 * (illegal_parameter, RFC 8422 5.1.2), using {@link #supportsUncompressed()}.
 */
public record EcPointFormats(List<Integer> formats) {

    /** The uncompressed point format, the only one RFC 8422 still allows. */
    public static final int UNCOMPRESSED = 0;

    /** @throws IllegalArgumentException if empty or a code is not a uint8 */
    public EcPointFormats {
        formats = CodeLists.check(formats, 1, 1, "ec_point_formats");
    }

    /** The list this implementation sends: just uncompressed. */
    public static EcPointFormats uncompressedOnly() {
        return new EcPointFormats(List.of(UNCOMPRESSED));
    }

    /**
     * @throws IllegalArgumentException if {@code e} is not ec_point_formats
     * @throws org.dtlsip.dtls.util.DecodeException if its data is malformed
     */
    public static EcPointFormats from(Extension e) {
        CodeLists.requireType(e, ExtensionType.EC_POINT_FORMATS);
        return decode(e.data());
    }

    /** Parses extension_data; an empty list is a DecodeException. */
    public static EcPointFormats decode(byte[] data) {
        ByteReader r = new ByteReader(data);
        List<Integer> formats = CodeLists.read(r, 1, 1, "ec_point_formats");
        r.expectEnd("ec_point_formats");
        return new EcPointFormats(formats);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(1 + formats.size());
        CodeLists.write(w, 1, 1, formats);
        return new Extension(ExtensionType.EC_POINT_FORMATS, w.toByteArray());
    }

    public boolean supportsUncompressed() {
        return formats.contains(UNCOMPRESSED);
    }
}
