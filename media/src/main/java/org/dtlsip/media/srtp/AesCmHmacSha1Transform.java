package org.dtlsip.media.srtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES_CM_128_HMAC_SHA1_80 and _32 (RFC 3711 4.1.1, 4.2.1; RFC 5764 4.1.2): AES in counter
 * mode with IV {@code (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)} and an HMAC-SHA1 tag over
 * the authenticated portion and the ROC, truncated to 80 or 32 bits for SRTP. SRTCP always
 * uses the 80-bit tag (RFC 5764 4.1.2 gives 80 for SRTCP in both profiles).
 */
final class AesCmHmacSha1Transform implements SrtpTransform {
    /** n_a: 160-bit session authentication keys (RFC 3711 5.2). */
    static final int AUTH_KEY_LENGTH = 20;
    /** SRTCP tag in both AES-CM profiles (RFC 5764 4.1.2). */
    static final int SRTCP_TAG_LENGTH = 10;

    private final int rtpTagLength;
    private final Keys rtp;
    private final Keys rtcp;
    private final Cipher ctr;

    /** One protocol's session keys, ready for the JCA. */
    private record Keys(SecretKeySpec cipherKey, Mac mac, byte[] salt) {
    }

    AesCmHmacSha1Transform(byte[] masterKey, byte[] masterSalt, int rtpTagLength) {
        this.rtpTagLength = rtpTagLength;
        this.rtp = keys(SrtpKeyDerivation.sessionKeys(masterKey, masterSalt, false, AUTH_KEY_LENGTH));
        this.rtcp = keys(SrtpKeyDerivation.sessionKeys(masterKey, masterSalt, true, AUTH_KEY_LENGTH));
        try {
            this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR unavailable", e);
        }
    }

    private static Keys keys(SrtpKeyDerivation.SessionKeys k) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(k.authenticationKey(), "HmacSHA1"));
            return new Keys(new SecretKeySpec(k.encryptionKey(), "AES"), mac, k.salt());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    @Override
    public int rtpOverhead() {
        return rtpTagLength;
    }

    @Override
    public int rtcpOverhead() {
        return SRTCP_INDEX_LENGTH + SRTCP_TAG_LENGTH;
    }

    /**
     * RFC 3711 4.1.1: the counter block. The salt (112 bits) fills octets 0-13, SSRC is XORed
     * into 4-7, the 48-bit index into 8-13, and the block counter runs in 14-15.
     */
    static byte[] iv(byte[] salt, long ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, salt.length);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        return iv;
    }

    /** XORs the keystream for (ssrc, index) into {@code buf[from, to)} in place. */
    private void crypt(Keys k, long ssrc, long index, byte[] buf, int from, int to) {
        try {
            ctr.init(Cipher.ENCRYPT_MODE, k.cipherKey(), new IvParameterSpec(iv(k.salt(), ssrc, index)));
            ctr.doFinal(buf, from, to - from, buf, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
    }

    /** HMAC-SHA1 over {@code data[0, length)} and the 4-octet {@code trailer} (ROC), truncated. */
    private static byte[] tag(Keys k, byte[] data, int offset, int length, byte[] trailer, int tagLength) {
        Mac mac = k.mac();
        mac.update(data, offset, length);
        if (trailer != null) {
            mac.update(trailer);
        }
        byte[] full = mac.doFinal();
        return tagLength == full.length ? full : Arrays.copyOf(full, tagLength);
    }

    private static byte[] roc(long index) {
        byte[] b = new byte[4];
        SrtpTransform.putInt(b, 0, index >>> 16);
        return b;
    }

    @Override
    public byte[] protectRtp(byte[] packet, int headerLength, long ssrc, long index) {
        byte[] out = Arrays.copyOf(packet, packet.length + rtpTagLength);
        crypt(rtp, ssrc, index, out, headerLength, packet.length);
        byte[] tag = tag(rtp, out, 0, packet.length, roc(index), rtpTagLength);
        System.arraycopy(tag, 0, out, packet.length, rtpTagLength);
        return out;
    }

    @Override
    public byte[] unprotectRtp(byte[] srtp, int offset, int length, int headerLength, long ssrc, long index)
            throws SrtpException {
        int authenticated = length - rtpTagLength;
        if (authenticated < headerLength) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "SRTP packet of " + length + " bytes has no room for its "
                    + rtpTagLength + "-byte tag");
        }
        byte[] expected = tag(rtp, srtp, offset, authenticated, roc(index), rtpTagLength);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(srtp, offset + authenticated, offset + length))) {
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTP authentication tag does not verify");
        }
        byte[] out = Arrays.copyOfRange(srtp, offset, offset + authenticated);
        crypt(rtp, ssrc, index, out, headerLength, authenticated);
        return out;
    }

    @Override
    public byte[] protectRtcp(byte[] packet, long ssrc, long srtcpIndex) {
        int length = packet.length;
        byte[] out = Arrays.copyOf(packet, length + SRTCP_INDEX_LENGTH + SRTCP_TAG_LENGTH);
        crypt(rtcp, ssrc, srtcpIndex, out, 8, length);
        SrtpTransform.putInt(out, length, SRTCP_E_FLAG | srtcpIndex);
        byte[] tag = tag(rtcp, out, 0, length + SRTCP_INDEX_LENGTH, null, SRTCP_TAG_LENGTH);
        System.arraycopy(tag, 0, out, length + SRTCP_INDEX_LENGTH, SRTCP_TAG_LENGTH);
        return out;
    }

    @Override
    public long srtcpIndexWord(byte[] srtcp, int offset, int length) {
        if (length < 8 + SRTCP_INDEX_LENGTH + SRTCP_TAG_LENGTH) {
            return -1;
        }
        return SrtpTransform.getInt(srtcp, offset + length - SRTCP_TAG_LENGTH - SRTCP_INDEX_LENGTH);
    }

    @Override
    public byte[] unprotectRtcp(byte[] srtcp, int offset, int length, long ssrc, long indexWord) throws SrtpException {
        int authenticated = length - SRTCP_TAG_LENGTH;
        byte[] expected = tag(rtcp, srtcp, offset, authenticated, null, SRTCP_TAG_LENGTH);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(srtcp, offset + authenticated, offset + length))) {
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTCP authentication tag does not verify");
        }
        int rtcpLength = authenticated - SRTCP_INDEX_LENGTH;
        byte[] out = Arrays.copyOfRange(srtcp, offset, offset + rtcpLength);
        // RFC 3711 3.4: E = 0 means the sender left this packet unencrypted.
        if ((indexWord & SRTCP_E_FLAG) != 0) {
            crypt(rtcp, ssrc, indexWord & MAX_SRTCP_INDEX, out, 8, rtcpLength);
        }
        return out;
    }

    /** For the RFC 3711 B.2 test: the raw keystream of the SRTP cipher for (ssrc, index). */
    static byte[] keystream(byte[] sessionKey, byte[] sessionSalt, long ssrc, long index, int length)
            throws GeneralSecurityException, ShortBufferException {
        Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new IvParameterSpec(iv(sessionSalt, ssrc, index)));
        return c.doFinal(new byte[length]);
    }
}
