package org.dtlsip.dtls.record;

import javax.crypto.AEADBadTagException;
import org.dtlsip.dtls.crypto.AeadCipher;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;

/**
 * AEAD record protection (RFC 5246 6.2.3.3) for one direction of one epoch.
 *
 * <p>Nonces: AES-GCM uses a 4-byte implicit salt from the key block and an 8-byte explicit
 * nonce carried in the record (RFC 5288 3); we send epoch||sequence_number as the explicit
 * part because it never repeats under one key. AES-CCM and AES-CCM_8 build the nonce and the
 * additional data exactly as GCM does (RFC 6655 3); CCM_8's tag is 8 bytes, every other tag
 * 16 ({@link BulkCipher#tagLength}). ChaCha20-Poly1305 sends no explicit nonce: the
 * 12-byte IV is XORed with the left-padded epoch||sequence_number (RFC 7905 2).
 *
 * <p>A tls12_cid record keeps the nonce but authenticates the RFC 9146 5.3 additional data
 * ({@link AuthenticatedHeader}); its plaintext is the DTLSInnerPlaintext.
 */
public final class AeadProtection implements RecordProtection {
    private static final int NONCE_LENGTH = 12;

    private final BulkCipher bulk;
    private final AeadCipher cipher;
    private final byte[] iv;
    private final byte[] nonce = new byte[NONCE_LENGTH];
    /** Reused for records without a connection ID: seq_num + type + version + length (RFC 5246 6.2.3.3). */
    private final byte[] plainAad = new byte[AuthenticatedHeader.PLAIN_LENGTH];

    private AeadProtection(BulkCipher bulk, AeadCipher cipher, byte[] iv) {
        this.bulk = bulk;
        this.cipher = cipher;
        this.iv = iv.clone();
    }

    public static AeadProtection forWriting(BulkCipher bulk, byte[] key, byte[] iv) {
        return new AeadProtection(bulk, AeadCipher.create(bulk, key, true), iv);
    }

    public static AeadProtection forReading(BulkCipher bulk, byte[] key, byte[] iv) {
        return new AeadProtection(bulk, AeadCipher.create(bulk, key, false), iv);
    }

    @Override
    public int overhead() {
        return bulk.overhead();
    }

    private void buildNonce(long epochSeq, byte[] explicit, int explicitOff) {
        if (bulk.explicitNonceLength == 0) {
            System.arraycopy(iv, 0, nonce, 0, NONCE_LENGTH);
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] ^= (byte) (epochSeq >>> (56 - 8 * i));
            }
        } else {
            System.arraycopy(iv, 0, nonce, 0, 4);
            System.arraycopy(explicit, explicitOff, nonce, 4, 8);
        }
    }

    /**
     * The additional data: RFC 5246 6.2.3.3, or with a connection ID RFC 9146 5.3, where the
     * length is that of the DTLSInnerPlaintext. The nonce is the same in both cases.
     */
    private byte[] buildAad(int contentType, int version, int epoch, long seq, byte[] connectionId,
            int plaintextLength) {
        byte[] aad = AuthenticatedHeader.buffer(plainAad, connectionId);
        AuthenticatedHeader.write(aad, contentType, version, epoch, seq, connectionId, plaintextLength);
        return aad;
    }

    @Override
    public byte[] protect(int contentType, int version, int epoch, long seq, byte[] connectionId,
            byte[] plaintext, int off, int len) {
        byte[] out = new byte[bulk.explicitNonceLength + len + bulk.tagLength];
        sealInto(contentType, version, epoch, seq, connectionId, plaintext, off, len, out, 0);
        return out;
    }

    @Override
    public byte[] protectRecord(int contentType, int version, int epoch, long seq, byte[] plaintext, int off, int len) {
        int fragmentLength = bulk.explicitNonceLength + len + bulk.tagLength;
        byte[] record = new byte[Record.HEADER_LENGTH + fragmentLength];
        RecordCodec.writeHeader(record, contentType, version, epoch, seq, fragmentLength);
        sealInto(contentType, version, epoch, seq, NO_CONNECTION_ID, plaintext, off, len, record, Record.HEADER_LENGTH);
        return record;
    }

    /** Header, explicit nonce, ciphertext and tag written at {@code out[at]}: nothing allocated here. */
    @Override
    public int protectRecordInto(int contentType, int version, int epoch, long seq, byte[] plaintext, int off, int len,
            byte[] out, int at) {
        int fragmentLength = bulk.explicitNonceLength + len + bulk.tagLength;
        int recordLength = Record.HEADER_LENGTH + fragmentLength;
        if (at < 0 || out.length - at < recordLength) {
            throw new IllegalArgumentException("record of " + recordLength + " bytes does not fit " + (out.length - at)
                    + " bytes of output");
        }
        RecordCodec.writeHeader(out, at, contentType, version, epoch, seq, fragmentLength);
        sealInto(contentType, version, epoch, seq, NO_CONNECTION_ID, plaintext, off, len, out, at + Record.HEADER_LENGTH);
        return recordLength;
    }

    /** Writes explicit nonce, ciphertext and tag at {@code out[at]}. */
    private void sealInto(int contentType, int version, int epoch, long seq, byte[] connectionId, byte[] plaintext,
            int off, int len, byte[] out, int at) {
        long epochSeq = Record.epochAndSequence(epoch, seq);
        int explicitLen = bulk.explicitNonceLength;
        for (int i = 0; i < explicitLen; i++) {
            out[at + i] = (byte) (epochSeq >>> (56 - 8 * i));
        }
        buildNonce(epochSeq, out, at);
        byte[] aad = buildAad(contentType, version, epoch, seq, connectionId, len);
        cipher.seal(nonce, aad, plaintext, off, len, out, at + explicitLen);
    }

    @Override
    public byte[] unprotect(Record record) {
        // Straight from the datagram (the record is a view into it) into the plaintext's own array.
        byte[] in = record.buffer();
        int at = record.fragmentOffset();
        int explicitLen = bulk.explicitNonceLength;
        int plaintextLength = record.fragmentLength() - explicitLen - bulk.tagLength;
        if (plaintextLength < 0 || plaintextLength > Record.MAX_PLAINTEXT_LENGTH) {
            return null;
        }
        long epochSeq = Record.epochAndSequence(record.epoch(), record.sequenceNumber());
        buildNonce(epochSeq, in, at);
        byte[] aad = buildAad(record.contentType(), record.version(), record.epoch(), record.sequenceNumber(),
                record.connectionId(), plaintextLength);
        byte[] out = new byte[plaintextLength];
        try {
            cipher.open(nonce, aad, in, at + explicitLen, record.fragmentLength() - explicitLen, out, 0);
        } catch (AEADBadTagException e) {
            return null;
        }
        return out;
    }
}
