package org.dtlsip.dtls.crypto;

import java.util.Arrays;

/**
 * The second stage of the TLS 1.3 key schedule (RFC 8446 7.1): the handshake traffic secrets,
 * keyed to the transcript through ServerHello, and the {@link MasterSecret}.
 */
public final class HandshakeSecret {
    private final Tls13Hkdf hkdf;
    private final byte[] secret;

    HandshakeSecret(Tls13Hkdf hkdf, byte[] secret) {
        this.hkdf = hkdf;
        this.secret = secret;
    }

    public Tls13Hkdf hkdf() {
        return hkdf;
    }

    /**
     * {@code [client|server]_handshake_traffic_secret = Derive-Secret(Handshake Secret,
     * "c hs traffic" | "s hs traffic", ClientHello...ServerHello)}: the keys of epoch 2
     * (RFC 9147 6.1).
     *
     * @param helloHash Transcript-Hash through ServerHello
     */
    public TrafficSecrets trafficSecrets(byte[] helloHash) {
        return new TrafficSecrets(hkdf.deriveSecret(secret, "c hs traffic", helloHash),
                hkdf.deriveSecret(secret, "s hs traffic", helloHash));
    }

    /** {@code Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0)}. */
    public MasterSecret masterSecret() {
        byte[] salt = hkdf.deriveSecret(secret, "derived", hkdf.emptyHash());
        try {
            return new MasterSecret(hkdf, hkdf.extract(salt, new byte[hkdf.hashLength()]));
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
