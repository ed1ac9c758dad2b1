package org.dtlsip.dtls.crypto;

/**
 * How many records one DTLS 1.3 key may protect, and how many forgeries a receiver may reject
 * with one key, per AEAD (RFC 9147 4.5.3). Past the first a sender must have updated its keys
 * (RFC 8446 5.5); past the second a receiver should close the association, or drop the old
 * keys if a KeyUpdate was already asked for. The key schedule is told to update keys at half of
 * either limit ({@link #keyUpdateAfterRecords}, {@link #keyUpdateAfterForgeries}), well before.
 *
 * @param maxRecords records one key may protect
 * @param maxForgeries records failing authentication one key may see
 */
public record AeadLimits(long maxRecords, long maxForgeries) {
    /** RFC 8446 5.5: AES-GCM, 2^24.5 full-size records (floor). */
    public static final long AES_GCM_RECORDS = 23_726_566L;
    /**
     * RFC 8446 5.5: for ChaCha20-Poly1305 "the record sequence number would wrap before the
     * safety limit is reached"; in DTLS 1.3 the sequence number of an epoch has 48 bits
     * (RFC 9147 4), so that is the limit.
     */
    public static final long CHACHA20_POLY1305_RECORDS = 1L << 48;
    /** RFC 9147 B.1: AES-CCM and AES-CCM_8, 2^23 records for the 2^-60 margin TLS 1.3 keeps. */
    public static final long AES_CCM_RECORDS = 1L << 23;
    /** RFC 9147 4.5.3: AES-GCM and ChaCha20-Poly1305, 2^36 failed decryptions. */
    public static final long GCM_CHACHA_FORGERIES = 1L << 36;
    /** RFC 9147 B.2: AES-CCM, 2^23.5 failed decryptions (floor). */
    public static final long AES_CCM_FORGERIES = 11_863_283L;
    /**
     * RFC 9147 B.3: AES-CCM_8's 64-bit tag keeps TLS 1.3's margin only for 2^7 forgeries. The RFC
     * warns that such a limit in general-purpose code hands attackers a cheap denial of service,
     * and that the suite MUST NOT be used without extra protection against forgery: it is never
     * offered unless configured (docs/DTLS13.md).
     */
    public static final long AES_CCM_8_FORGERIES = 1L << 7;

    public AeadLimits {
        if (maxRecords < 2 || maxForgeries < 2) {
            throw new IllegalArgumentException("AEAD limits must allow at least 2 records and 2 forgeries");
        }
    }

    /** The record count at which a sender starts a KeyUpdate: half the limit. */
    public long keyUpdateAfterRecords() {
        return maxRecords / 2;
    }

    /** The forgery count at which a receiver asks for a KeyUpdate: half the limit. */
    public long keyUpdateAfterForgeries() {
        return maxForgeries / 2;
    }
}
