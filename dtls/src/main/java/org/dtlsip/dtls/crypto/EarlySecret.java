package org.dtlsip.dtls.crypto;

import java.util.Arrays;

/**
 * The first stage of the TLS 1.3 key schedule (RFC 8446 7.1):
 * {@code Early Secret = HKDF-Extract(salt = 0, IKM = PSK or 0)}. It yields the PSK binder key
 * and, with the (EC)DHE shared secret, the {@link HandshakeSecret}. 0-RTT is not supported
 * (docs/DTLS13.md), so client_early_traffic_secret and early_exporter_master_secret are never
 * derived.
 *
 * <p>Each stage holds only its own secret and hands the next one what it needs, so a state of
 * the handshake cannot reach a secret of a stage it has not reached or has left behind.
 */
public final class EarlySecret {
    private final Tls13Hkdf hkdf;
    private final byte[] secret;

    private EarlySecret(Tls13Hkdf hkdf, byte[] secret) {
        this.hkdf = hkdf;
        this.secret = secret;
    }

    /** A full handshake: the PSK input is {@code Hash.length} zero bytes (RFC 8446 7.1). */
    public static EarlySecret withoutPsk(Tls13Hkdf hkdf) {
        return fromPsk(hkdf, new byte[hkdf.hashLength()]);
    }

    /** A handshake with a PSK: a resumption PSK from a ticket, or an external one. */
    public static EarlySecret fromPsk(Tls13Hkdf hkdf, byte[] psk) {
        return new EarlySecret(hkdf, hkdf.extract(new byte[hkdf.hashLength()], psk));
    }

    public Tls13Hkdf hkdf() {
        return hkdf;
    }

    /**
     * {@code binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "")}
     * (RFC 8446 7.1): distinct labels keep a resumption PSK from passing as an external one.
     */
    public byte[] binderKey(boolean external) {
        return hkdf.deriveSecret(secret, external ? "ext binder" : "res binder", hkdf.emptyHash());
    }

    /**
     * A PSK binder (RFC 8446 4.2.11.2): the Finished computation keyed with the binder key,
     * over the hash of the transcript up to and including the ClientHello truncated before its
     * binders list ({@link org.dtlsip.dtls.handshake.Transcript13#hashWithTruncatedClientHello}).
     */
    public byte[] binder(boolean external, byte[] truncatedTranscriptHash) {
        byte[] key = binderKey(external);
        try {
            return hkdf.verifyData(key, truncatedTranscriptHash);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * {@code Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE)}.
     *
     * @param sharedSecret the (EC)DHE shared secret, or {@code null} for psk_ke, where the input
     *     is {@code Hash.length} zeros
     */
    public HandshakeSecret handshakeSecret(byte[] sharedSecret) {
        byte[] salt = hkdf.deriveSecret(secret, "derived", hkdf.emptyHash());
        byte[] ikm = sharedSecret == null ? new byte[hkdf.hashLength()] : sharedSecret;
        try {
            return new HandshakeSecret(hkdf, hkdf.extract(salt, ikm));
        } finally {
            Arrays.fill(salt, (byte) 0);
        }
    }

    /** The secret itself, for the RFC 8448 tests only. */
    byte[] secret() {
        return secret.clone();
    }

    /** Overwrites the secret; the object is unusable afterwards. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }
}
