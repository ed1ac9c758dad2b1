package org.dtlsip.dtls.record;

import javax.crypto.AEADBadTagException;
import org.dtlsip.dtls.crypto.AeadCipher;
import org.dtlsip.dtls.crypto.AeadLimits;
import org.dtlsip.dtls.crypto.RecordNumberCipher;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.TrafficKeys;

/**
 * The protection of one direction of one DTLS 1.3 epoch: the AEAD with its per-record nonce,
 * the record number cipher, and the counts the AEAD limits apply to (RFC 9147 4.5.3).
 *
 * <p>Nonce (RFC 8446 5.3, RFC 9147 4): the 64-bit sequence number, left-padded with zeros to
 * 12 bytes, XORed with the write IV. Unlike DTLS 1.2 the epoch is not part of it: every epoch
 * has its own key. The additional data is the whole unified header as sent, with the sequence
 * number bits in the clear, and is supplied by the caller.
 *
 * <p>Not thread-safe: the cipher, the nonce and the counters belong to one association.
 */
public final class Dtls13RecordProtection {
    private final Tls13CipherSuite suite;
    private final AeadLimits limits;
    private final AeadCipher aead;
    private final RecordNumberCipher recordNumbers;
    private final byte[] iv;
    private final byte[] nonce = new byte[AeadCipher.NONCE_LENGTH];
    private long protectedRecords;
    private long failedRecords;

    private Dtls13RecordProtection(TrafficKeys keys, boolean encrypt, AeadLimits limits) {
        this.suite = keys.suite();
        this.limits = limits;
        this.aead = AeadCipher.create(suite.aead, keys.key(), encrypt);
        this.recordNumbers = RecordNumberCipher.create(suite.recordNumberCipher, keys.snKey());
        this.iv = keys.iv();
    }

    public static Dtls13RecordProtection forWriting(TrafficKeys keys) {
        return new Dtls13RecordProtection(keys, true, keys.suite().limits);
    }

    public static Dtls13RecordProtection forReading(TrafficKeys keys) {
        return new Dtls13RecordProtection(keys, false, keys.suite().limits);
    }

    /** With other limits than the suite's, so tests can reach them. */
    static Dtls13RecordProtection withLimits(TrafficKeys keys, boolean encrypt, AeadLimits limits) {
        return new Dtls13RecordProtection(keys, encrypt, limits);
    }

    public Tls13CipherSuite suite() {
        return suite;
    }

    public int tagLength() {
        return aead.tagLength();
    }

    public AeadLimits limits() {
        return limits;
    }

    /** Records sealed with this key so far. */
    public long protectedRecords() {
        return protectedRecords;
    }

    /** Records that failed authentication with this key so far. */
    public long failedRecords() {
        return failedRecords;
    }

    /** True once another record would exceed the AEAD's confidentiality limit (RFC 8446 5.5). */
    public boolean exhausted() {
        return protectedRecords >= limits.maxRecords();
    }

    /** True once this key has seen as many forgeries as its AEAD tolerates (RFC 9147 4.5.3). */
    public boolean forgeryLimitReached() {
        return failedRecords >= limits.maxForgeries();
    }

    /** True when the owner should update keys now, well before either limit. */
    public boolean keyUpdateDue() {
        return protectedRecords >= limits.keyUpdateAfterRecords()
                || failedRecords >= limits.keyUpdateAfterForgeries();
    }

    /**
     * Encrypts {@code buf[off..off+len)} (a DTLSInnerPlaintext) in place and appends the tag.
     *
     * @param aad the unified header with the sequence number in the clear, or for TLS a
     *     5-byte record header
     * @return bytes written: {@code len + tagLength()}
     * @throws IllegalStateException when the AEAD limit is reached; callers check
     *     {@link #exhausted()} and update keys first
     */
    int sealInPlace(long sequenceNumber, byte[] aad, byte[] buf, int off, int len) {
        if (exhausted()) {
            throw new IllegalStateException(suite + " key has protected " + protectedRecords
                    + " records, its limit; a KeyUpdate was due (RFC 9147 4.5.3)");
        }
        int n = aead.seal(nonce(sequenceNumber), aad, buf, off, len, buf, off);
        protectedRecords++;
        return n;
    }

    /**
     * Authenticates and decrypts {@code in[off..off+len)} (ciphertext and tag) into {@code out}.
     *
     * @return the plaintext length, or -1 when the record does not authenticate (counted)
     */
    int open(long sequenceNumber, byte[] aad, byte[] in, int off, int len, byte[] out) {
        try {
            return aead.open(nonce(sequenceNumber), aad, in, off, len, out, 0);
        } catch (AEADBadTagException e) {
            failedRecords++;
            return -1;
        }
    }

    /** XORs the record number mask from {@code ciphertext[off..off+16)} into the sequence number bytes. */
    void maskSequenceNumber(byte[] ciphertext, int off, byte[] header, int seqOff, int seqLen) {
        recordNumbers.apply(ciphertext, off, header, seqOff, seqLen);
    }

    private byte[] nonce(long sequenceNumber) {
        System.arraycopy(iv, 0, nonce, 0, nonce.length);
        for (int i = 0; i < 8; i++) {
            nonce[nonce.length - 1 - i] ^= (byte) (sequenceNumber >>> (8 * i));
        }
        return nonce;
    }
}
