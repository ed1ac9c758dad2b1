package org.dtlsip.dtls.crypto;

import java.util.Arrays;

/**
 * The last stage of the TLS 1.3 key schedule (RFC 8446 7.1): the first application traffic
 * secrets and the exporter master secret, keyed to the transcript through the server's
 * Finished, and the resumption master secret, keyed through the client's Finished.
 */
public final class MasterSecret {
    private final Tls13Hkdf hkdf;
    private final byte[] secret;

    MasterSecret(Tls13Hkdf hkdf, byte[] secret) {
        this.hkdf = hkdf;
        this.secret = secret;
    }

    public Tls13Hkdf hkdf() {
        return hkdf;
    }

    /**
     * {@code [client|server]_application_traffic_secret_0 = Derive-Secret(Master Secret,
     * "c ap traffic" | "s ap traffic", ClientHello...server Finished)}: the keys of epoch 3
     * (RFC 9147 6.1).
     */
    public TrafficSecrets applicationTrafficSecrets(byte[] serverFinishedHash) {
        return new TrafficSecrets(hkdf.deriveSecret(secret, "c ap traffic", serverFinishedHash),
                hkdf.deriveSecret(secret, "s ap traffic", serverFinishedHash));
    }

    /** {@code exporter_master_secret = Derive-Secret(Master Secret, "exp master", ClientHello...server Finished)}. */
    public byte[] exporterMasterSecret(byte[] serverFinishedHash) {
        return hkdf.deriveSecret(secret, "exp master", serverFinishedHash);
    }

    /**
     * {@code resumption_master_secret = Derive-Secret(Master Secret, "res master",
     * ClientHello...client Finished)}; each ticket's PSK comes from it
     * ({@link Tls13Hkdf#resumptionPsk}).
     */
    public byte[] resumptionMasterSecret(byte[] clientFinishedHash) {
        return hkdf.deriveSecret(secret, "res master", clientFinishedHash);
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
