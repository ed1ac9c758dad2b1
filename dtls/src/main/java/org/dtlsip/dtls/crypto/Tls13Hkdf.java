package org.dtlsip.dtls.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The TLS 1.3 key derivation functions (RFC 8446 7.1) for one hash and one label prefix:
 *
 * <pre>
 * HKDF-Expand-Label(Secret, Label, Context, Length) =
 *     HKDF-Expand(Secret, HkdfLabel, Length)
 * struct {
 *     uint16 length = Length;
 *     opaque label&lt;7..255&gt; = prefix + Label;      // "tls13 " or "dtls13" (RFC 9147 5.9)
 *     opaque context&lt;0..255&gt; = Context;
 * } HkdfLabel;
 *
 * Derive-Secret(Secret, Label, Messages) =
 *     HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
 * </pre>
 *
 * Derive-Secret here takes the transcript hash, not the messages: the caller keeps one running
 * transcript ({@link org.dtlsip.dtls.handshake.Transcript13}) and hashes it once per stage.
 * Holds no secrets, but reuses one {@link Hkdf} and its JDK Mac: not thread-safe, one
 * instance per handshake.
 */
public final class Tls13Hkdf {
    /** RFC 8446 7.1: {@code opaque label<7..255>}, prefix included. */
    public static final int MAX_LABEL_LENGTH = 255;
    /** RFC 8446 7.1: {@code opaque context<0..255>}. */
    public static final int MAX_CONTEXT_LENGTH = 255;

    private final PrfHash hash;
    private final LabelPrefix prefix;
    private final Hkdf hkdf;
    private final byte[] emptyHash;

    public Tls13Hkdf(PrfHash hash, LabelPrefix prefix) {
        this.hash = hash;
        this.prefix = prefix;
        this.hkdf = new Hkdf(hash);
        this.emptyHash = digest(hash, new byte[0]);
    }

    /** DTLS 1.3's functions for a suite's hash. */
    public static Tls13Hkdf dtls13(PrfHash hash) {
        return new Tls13Hkdf(hash, LabelPrefix.DTLS13);
    }

    public PrfHash hash() {
        return hash;
    }

    public LabelPrefix prefix() {
        return prefix;
    }

    /** {@code Hash.length}: the size of every secret and of verify_data. */
    public int hashLength() {
        return hash.length;
    }

    /** {@code Transcript-Hash("")}: the context of the "derived" and binder secrets (RFC 8446 7.1). */
    public byte[] emptyHash() {
        return emptyHash.clone();
    }

    /** {@code Hash(data)} with this schedule's hash. */
    public byte[] hash(byte[] data) {
        return digest(hash, data);
    }

    /** {@code HKDF-Extract(salt, IKM)}. */
    public byte[] extract(byte[] salt, byte[] ikm) {
        return hkdf.extract(salt, ikm);
    }

    /**
     * {@code HKDF-Expand-Label(secret, label, context, length)}.
     *
     * @param label the label without prefix, e.g. "c hs traffic"
     */
    public byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        return hkdf.expand(secret, hkdfLabel(label, context, length), length);
    }

    /** The HkdfLabel structure; package-private so tests can compare it with RFC 8448's "info". */
    byte[] hkdfLabel(String label, byte[] context, int length) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        int labelLength = prefix.length() + labelBytes.length;
        if (labelLength > MAX_LABEL_LENGTH || context.length > MAX_CONTEXT_LENGTH
                || length < 0 || length > 0xffff) {
            throw new IllegalArgumentException("HkdfLabel out of range: label " + labelLength
                    + " bytes, context " + context.length + " bytes, length " + length);
        }
        byte[] info = new byte[2 + 1 + labelLength + 1 + context.length];
        info[0] = (byte) (length >>> 8);
        info[1] = (byte) length;
        info[2] = (byte) labelLength;
        prefix.copyTo(info, 3);
        System.arraycopy(labelBytes, 0, info, 3 + prefix.length(), labelBytes.length);
        info[3 + labelLength] = (byte) context.length;
        System.arraycopy(context, 0, info, 4 + labelLength, context.length);
        return info;
    }

    /** {@code Derive-Secret(secret, label, Messages)} given {@code Transcript-Hash(Messages)}. */
    public byte[] deriveSecret(byte[] secret, String label, byte[] transcriptHash) {
        if (transcriptHash.length != hash.length) {
            throw new IllegalArgumentException("transcript hash of " + transcriptHash.length
                    + " bytes for " + hash);
        }
        return expandLabel(secret, label, transcriptHash, hash.length);
    }

    /**
     * {@code finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)}
     * (RFC 8446 4.4.4); the base key is a handshake traffic secret, or a binder key (4.2.11.2).
     */
    public byte[] finishedKey(byte[] baseKey) {
        return expandLabel(baseKey, "finished", new byte[0], hash.length);
    }

    /**
     * {@code verify_data = HMAC(finished_key, Transcript-Hash(...))} (RFC 8446 4.4.4): the
     * Finished body, and a PSK binder when {@code baseKey} is a binder key (4.2.11.2).
     */
    public byte[] verifyData(byte[] baseKey, byte[] transcriptHash) {
        byte[] finishedKey = finishedKey(baseKey);
        try {
            return hkdf.hmac(finishedKey, transcriptHash);
        } finally {
            java.util.Arrays.fill(finishedKey, (byte) 0);
        }
    }

    /**
     * {@code application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N,
     * "traffic upd", "", Hash.length)} (RFC 8446 7.2): the next sending or receiving secret
     * after a KeyUpdate, which in DTLS 1.3 also starts the next epoch (RFC 9147 8).
     */
    public byte[] nextTrafficSecret(byte[] trafficSecret) {
        return expandLabel(trafficSecret, "traffic upd", new byte[0], hash.length);
    }

    /**
     * The PSK a NewSessionTicket stands for (RFC 8446 4.6.1):
     * {@code HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)}.
     */
    public byte[] resumptionPsk(byte[] resumptionMasterSecret, byte[] ticketNonce) {
        return expandLabel(resumptionMasterSecret, "resumption", ticketNonce, hash.length);
    }

    /**
     * {@code TLS-Exporter(label, context_value, key_length) = HKDF-Expand-Label(
     * Derive-Secret(Secret, label, ""), "exporter", Hash(context_value), key_length)}
     * (RFC 8446 7.5) with Secret the exporter_master_secret. RFC 8446 7.5 treats an absent
     * context as an empty one, unlike RFC 5705 for TLS 1.2.
     *
     * @param label the exporter label as registered, e.g. "EXTRACTOR-dtls_srtp" (RFC 5764 4.2)
     */
    public byte[] export(byte[] exporterMasterSecret, String label, byte[] context, int length) {
        byte[] secret = deriveSecret(exporterMasterSecret, label, emptyHash);
        try {
            return expandLabel(secret, "exporter", hash(context == null ? new byte[0] : context), length);
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] digest(PrfHash hash, byte[] data) {
        try {
            return MessageDigest.getInstance(hash.digestName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hash.digestName + " missing from the JDK", e);
        }
    }
}
