package org.dtlsip.dtls.record;

/** Protects and unprotects record fragments for one direction of one epoch. */
public interface RecordProtection {
    /** Returns the protected fragment for a record with the given header fields and no connection ID. */
    default byte[] protect(int contentType, int version, int epoch, long seq, byte[] plaintext, int off, int len) {
        return protect(contentType, version, epoch, seq, NO_CONNECTION_ID, plaintext, off, len);
    }

    /**
     * Returns the protected fragment for a record with the given header fields. With a
     * non-empty {@code connectionId} the record is a tls12_cid record (RFC 9146 5):
     * {@code contentType} is tls12_cid, {@code plaintext} the DTLSInnerPlaintext, and the
     * MAC or additional data takes the RFC 9146 form.
     */
    byte[] protect(int contentType, int version, int epoch, long seq, byte[] connectionId, byte[] plaintext,
            int off, int len);

    /**
     * Returns the plaintext fragment, or {@code null} when the record does not authenticate;
     * the caller discards it silently (RFC 6347 4.1.2.7).
     */
    byte[] unprotect(Record record);

    byte[] NO_CONNECTION_ID = new byte[0];

    /**
     * A whole record without connection ID, header included, in one array. Implementations
     * override this to seal straight into the record and save the send path a copy.
     */
    default byte[] protectRecord(int contentType, int version, int epoch, long seq, byte[] plaintext, int off, int len) {
        byte[] fragment = protect(contentType, version, epoch, seq, plaintext, off, len);
        byte[] record = new byte[Record.HEADER_LENGTH + fragment.length];
        RecordCodec.writeHeader(record, contentType, version, epoch, seq, fragment.length);
        System.arraycopy(fragment, 0, record, Record.HEADER_LENGTH, fragment.length);
        return record;
    }

    /**
     * {@link #protectRecord} written into {@code out} at {@code at} instead of a new array:
     * the send path of a bulk sender, which reuses one buffer per association. Implementations
     * override this to seal in place without any array of their own.
     *
     * @return the record's length, header included
     * @throws IllegalArgumentException if {@code out} has no room for the record after {@code at}
     */
    default int protectRecordInto(int contentType, int version, int epoch, long seq, byte[] plaintext, int off, int len,
            byte[] out, int at) {
        byte[] record = protectRecord(contentType, version, epoch, seq, plaintext, off, len);
        if (out.length - at < record.length) {
            throw new IllegalArgumentException("record of " + record.length + " bytes does not fit " + (out.length - at)
                    + " bytes of output");
        }
        System.arraycopy(record, 0, out, at, record.length);
        return record.length;
    }

    /** Bytes protection adds to a plaintext fragment. */
    int overhead();

    /** The epoch-0 null cipher (RFC 5246 6.1: TLS_NULL_WITH_NULL_NULL). */
    RecordProtection NULL = new RecordProtection() {
        @Override
        public byte[] protect(int contentType, int version, int epoch, long seq, byte[] connectionId,
                byte[] plaintext, int off, int len) {
            return java.util.Arrays.copyOfRange(plaintext, off, off + len);
        }

        @Override
        public byte[] unprotect(Record record) {
            return record.fragment();
        }

        @Override
        public int overhead() {
            return 0;
        }
    };
}
