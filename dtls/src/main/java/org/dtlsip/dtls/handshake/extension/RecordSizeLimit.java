package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * record_size_limit (RFC 8449 4): the largest record plaintext the sender is willing to
 * receive, at least 64; in TLS 1.2 at most 2^14.
 */
public record RecordSizeLimit(int limit) {
    /** RFC 8449 4: values below 64 are an illegal_parameter. */
    public static final int MIN_LIMIT = 64;

    public static RecordSizeLimit from(Extension e) {
        CodeLists.requireType(e, ExtensionType.RECORD_SIZE_LIMIT);
        ByteReader r = new ByteReader(e.data());
        int limit = r.u16();
        r.expectEnd("record_size_limit");
        if (limit < MIN_LIMIT) {
            throw new DecodeException("record_size_limit " + limit + " below " + MIN_LIMIT);
        }
        return new RecordSizeLimit(limit);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.RECORD_SIZE_LIMIT, new ByteWriter(2).u16(limit).toByteArray());
    }
}
