package org.dtlsip.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SRTP key derivation function (RFC 3711 4.3) with a key derivation rate of 0, the only
 * one DTLS-SRTP uses (RFC 5764 4.1.2 profiles leave it at its default): each session key is
 * the AES-CM keystream (the PRF of 4.3.3) under the master key, with the IV
 * {@code (master_salt XOR (label << 48)) * 2^16}.
 *
 * <p>RFC 7714 profiles have a 96-bit master salt; the PRF takes 112 bits, so the salt is
 * multiplied by 2^16, i.e. followed by two zero octets (RFC 7714 erratum 4938, what libsrtp does).
 */
public final class SrtpKeyDerivation {
    /** RFC 3711 4.3.2 labels. */
    public static final int SRTP_ENCRYPTION = 0x00;
    public static final int SRTP_AUTHENTICATION = 0x01;
    public static final int SRTP_SALT = 0x02;
    public static final int SRTCP_ENCRYPTION = 0x03;
    public static final int SRTCP_AUTHENTICATION = 0x04;
    public static final int SRTCP_SALT = 0x05;
    /** The PRF input x is 112 bits (RFC 3711 4.3.1). */
    static final int PRF_SALT_LENGTH = 14;

    private SrtpKeyDerivation() {
    }

    /** {@code length} octets of the session key labelled {@code label}. */
    public static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        if (masterSalt.length > PRF_SALT_LENGTH) {
            throw new IllegalArgumentException("master salt of " + masterSalt.length + " bytes; at most " + PRF_SALT_LENGTH);
        }
        // key_id = label || (index DIV kdr) = label || 0^48, XORed into the salt's 7th octet
        // from the right; the 16-octet IV is x * 2^16.
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[PRF_SALT_LENGTH - 7] ^= (byte) label;
        try {
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
            return ctr.doFinal(new byte[length]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR unavailable or master key of " + masterKey.length + " bytes refused", e);
        }
    }

    /** The three session keys of SRTP or of SRTCP (RFC 3711 4.3.2). */
    static SessionKeys sessionKeys(byte[] masterKey, byte[] masterSalt, boolean rtcp, int authKeyLength) {
        int base = rtcp ? SRTCP_ENCRYPTION : SRTP_ENCRYPTION;
        return new SessionKeys(derive(masterKey, masterSalt, base, masterKey.length),
                authKeyLength == 0 ? new byte[0] : derive(masterKey, masterSalt, base + 1, authKeyLength),
                derive(masterKey, masterSalt, base + 2, masterSalt.length));
    }

    /** Session encryption key, authentication key (empty for AEAD) and salt. */
    record SessionKeys(byte[] encryptionKey, byte[] authenticationKey, byte[] salt) {
    }
}
