package org.dtlsip.dtls.record;

import java.util.Arrays;

/**
 * One DTLS 1.3 record as parsed from a datagram (RFC 9147 4), before any decryption: either a
 * DTLSPlaintext record (epoch 0: ClientHello, ServerHello, HelloRetryRequest, plaintext alerts
 * and ACKs) or a DTLSCiphertext record whose sequence number is still encrypted.
 */
public sealed interface Dtls13Record permits Dtls13Record.Plaintext, Dtls13Record.Ciphertext {

    /** Bytes this record occupied in its datagram. */
    int encodedLength();

    /**
     * DTLSPlaintext: the 13-byte DTLS 1.2-shaped header and the fragment in the clear. The
     * version is whatever the sender wrote: RFC 9147 4 says to ignore it.
     */
    record Plaintext(int contentType, int version, int epoch, long sequenceNumber, byte[] fragment)
            implements Dtls13Record {
        public Plaintext {
            fragment = fragment.clone();
        }

        @Override
        public byte[] fragment() {
            return fragment.clone();
        }

        /** The fragment without a copy, for the record layer. */
        byte[] fragmentShared() {
            return fragment;
        }

        @Override
        public int encodedLength() {
            return Record.HEADER_LENGTH + fragment.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Plaintext p && contentType == p.contentType && version == p.version
                    && epoch == p.epoch && sequenceNumber == p.sequenceNumber && Arrays.equals(fragment, p.fragment);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(fragment) * 31 + (int) sequenceNumber;
        }

        @Override
        public String toString() {
            return "Plaintext[type=" + contentType + ", epoch=" + epoch + ", seq=" + sequenceNumber
                    + ", " + fragment.length + " bytes]";
        }
    }

    /**
     * DTLSCiphertext: the unified header exactly as received (the sequence number bits still
     * encrypted) and the encrypted record. The header is the AEAD's additional data once its
     * sequence number bits are decrypted (RFC 9147 4).
     */
    final class Ciphertext implements Dtls13Record {
        private final byte[] header;
        private final int cidLength;
        private final byte[] encrypted;
        private final int encryptedOffset;
        private final int encryptedLength;

        /**
         * @param header flags byte, connection ID, encrypted sequence number, optional length
         * @param cidLength bytes of connection ID in the header (0 unless the C bit is set)
         */
        public Ciphertext(byte[] header, int cidLength, byte[] encryptedRecord) {
            this(header.clone(), cidLength, encryptedRecord.clone(), 0, encryptedRecord.length);
        }

        /**
         * A record as the codec cuts it from a datagram (issue 17: no copy of the encrypted
         * record per received record): the header is the codec's own copy, the encrypted record
         * a view of {@code datagram}. The record is therefore valid only while the datagram is
         * unchanged, that is, within the receive call that parsed it; engines open each record
         * there and keep none (unlike 1.2, DTLS 1.3 holds no records for a later epoch).
         */
        static Ciphertext view(byte[] header, int cidLength, byte[] datagram, int offset, int length) {
            return new Ciphertext(header, cidLength, datagram, offset, length);
        }

        private Ciphertext(byte[] header, int cidLength, byte[] encrypted, int encryptedOffset, int encryptedLength) {
            if (header.length == 0 || !UnifiedHeader.isCiphertext(header[0] & 0xff)) {
                throw new IllegalArgumentException("not a unified header");
            }
            int flags = header[0] & 0xff;
            boolean cid = (flags & UnifiedHeader.CID_BIT) != 0;
            if (cid != (cidLength > 0) || header.length != UnifiedHeader.length(cidLength,
                    (flags & UnifiedHeader.SEQUENCE_16_BIT) != 0, (flags & UnifiedHeader.LENGTH_BIT) != 0)) {
                throw new IllegalArgumentException("unified header of " + header.length
                        + " bytes does not match its flags " + Integer.toHexString(flags));
            }
            this.header = header;
            this.cidLength = cidLength;
            this.encrypted = encrypted;
            this.encryptedOffset = encryptedOffset;
            this.encryptedLength = encryptedLength;
        }

        public int flags() {
            return header[0] & 0xff;
        }

        /** The low two bits of the epoch. */
        public int epochBits() {
            return flags() & UnifiedHeader.EPOCH_MASK;
        }

        /** 1 or 2: bytes of the sequence number field. */
        public int sequenceNumberLength() {
            return (flags() & UnifiedHeader.SEQUENCE_16_BIT) != 0 ? 2 : 1;
        }

        public boolean hasConnectionId() {
            return cidLength > 0;
        }

        public byte[] connectionId() {
            return Arrays.copyOfRange(header, 1, 1 + cidLength);
        }

        /** Offset of the sequence number field in the header. */
        int sequenceNumberOffset() {
            return 1 + cidLength;
        }

        /** The header as received. */
        public byte[] header() {
            return header.clone();
        }

        /** The encrypted DTLSInnerPlaintext and tag. */
        public byte[] encryptedRecord() {
            return Arrays.copyOfRange(encrypted, encryptedOffset, encryptedOffset + encryptedLength);
        }

        /** The array holding the encrypted record (for a parsed record, the datagram), for the record layer. */
        byte[] encryptedArray() {
            return encrypted;
        }

        int encryptedOffset() {
            return encryptedOffset;
        }

        int encryptedLength() {
            return encryptedLength;
        }

        boolean connectionIdEquals(byte[] cid) {
            return Arrays.equals(header, 1, 1 + cidLength, cid, 0, cid.length);
        }

        @Override
        public int encodedLength() {
            return header.length + encryptedLength;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ciphertext c && Arrays.equals(header, c.header)
                    && Arrays.equals(encrypted, encryptedOffset, encryptedOffset + encryptedLength,
                            c.encrypted, c.encryptedOffset, c.encryptedOffset + c.encryptedLength);
        }

        @Override
        public int hashCode() {
            int h = Arrays.hashCode(header);
            for (int i = encryptedOffset; i < encryptedOffset + encryptedLength; i++) {
                h = 31 * h + encrypted[i];
            }
            return h;
        }

        @Override
        public String toString() {
            return "Ciphertext[epochBits=" + epochBits() + ", seqBytes=" + sequenceNumberLength()
                    + ", cid=" + cidLength + ", " + encryptedLength + " bytes]";
        }
    }
}
