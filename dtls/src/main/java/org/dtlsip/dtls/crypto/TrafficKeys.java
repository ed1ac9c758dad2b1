package org.dtlsip.dtls.crypto;

import java.util.Arrays;

/**
 * The keys one traffic secret yields for one direction of one epoch (RFC 8446 7.3, RFC 9147
 * 4.2.3):
 *
 * <pre>
 * [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
 * [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
 * [sender]_sn_key    = HKDF-Expand-Label(Secret, "sn", "", key_length)
 * </pre>
 */
public record TrafficKeys(Tls13CipherSuite suite, byte[] key, byte[] iv, byte[] snKey) {
    public TrafficKeys {
        key = key.clone();
        iv = iv.clone();
        snKey = snKey.clone();
    }

    /** Derives the three keys from {@code trafficSecret}. */
    public static TrafficKeys derive(Tls13Hkdf hkdf, Tls13CipherSuite suite, byte[] trafficSecret) {
        if (hkdf.hash() != suite.hash) {
            throw new IllegalArgumentException(suite + " hashes with " + suite.hash + ", not " + hkdf.hash());
        }
        byte[] none = new byte[0];
        return new TrafficKeys(suite,
                hkdf.expandLabel(trafficSecret, "key", none, suite.keyLength()),
                hkdf.expandLabel(trafficSecret, "iv", none, Tls13CipherSuite.IV_LENGTH),
                hkdf.expandLabel(trafficSecret, "sn", none, suite.keyLength()));
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    @Override
    public byte[] snKey() {
        return snKey.clone();
    }

    /** Overwrites the keys once the record protection holds its own copies. */
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(iv, (byte) 0);
        Arrays.fill(snKey, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficKeys t && suite == t.suite && Arrays.equals(key, t.key)
                && Arrays.equals(iv, t.iv) && Arrays.equals(snKey, t.snKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "TrafficKeys[" + suite + ", redacted]";
    }
}
