package org.dtlsip.media.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM and AEAD_AES_256_GCM for SRTP (RFC 7714): the 12-octet IV is the session
 * salt XOR {@code 00 00 || SSRC || ROC || SEQ} (8.1), the RTP header is the associated data
 * (8.2), and the 16-octet tag follows the ciphertext. SRTCP (9): IV salt XOR
 * {@code 00 00 || SSRC || 00 00 || 0 || SRTCP index}, associated data the first 8 octets and
 * the E||index word, which follows the tag.
 */
final class AesGcmTransform implements SrtpTransform {
    /** RFC 7714 14.2: both profiles use a 16-octet tag. */
    static final int TAG_LENGTH = 16;
    static final int IV_LENGTH = 12;

    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Cipher gcm;

    private AesGcmTransform(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt) {
        this.rtpKey = new SecretKeySpec(rtpKey, "AES");
        this.rtpSalt = rtpSalt.clone();
        this.rtcpKey = new SecretKeySpec(rtcpKey, "AES");
        this.rtcpSalt = rtcpSalt.clone();
        try {
            this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Session keys derived from the master key and salt (RFC 7714 11). */
    static AesGcmTransform derived(byte[] masterKey, byte[] masterSalt) {
        SrtpKeyDerivation.SessionKeys r = SrtpKeyDerivation.sessionKeys(masterKey, masterSalt, false, 0);
        SrtpKeyDerivation.SessionKeys c = SrtpKeyDerivation.sessionKeys(masterKey, masterSalt, true, 0);
        return new AesGcmTransform(r.encryptionKey(), r.salt(), c.encryptionKey(), c.salt());
    }

    /** One session key and salt for both SRTP and SRTCP, as the RFC 7714 section 16 and 17 vectors give them. */
    static AesGcmTransform withSessionKey(byte[] sessionKey, byte[] sessionSalt) {
        return new AesGcmTransform(sessionKey, sessionSalt, sessionKey, sessionSalt);
    }

    @Override
    public int rtpOverhead() {
        return TAG_LENGTH;
    }

    @Override
    public int rtcpOverhead() {
        return TAG_LENGTH + SRTCP_INDEX_LENGTH;
    }

    static byte[] iv(byte[] salt, long ssrc, long high32, long low32) {
        byte[] iv = new byte[IV_LENGTH];
        SrtpTransform.putInt(iv, 2, ssrc);
        // RTP: ROC || SEQ is the 48-bit packet index; RTCP: 16 zero bits, then the index.
        iv[6] = (byte) (high32 >>> 8);
        iv[7] = (byte) high32;
        SrtpTransform.putInt(iv, 8, low32);
        for (int i = 0; i < IV_LENGTH; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    /** RFC 7714 8.1: octets 6-11 of the pre-XOR IV are ROC || SEQ, i.e. the 48-bit index. */
    private static byte[] rtpIv(byte[] salt, long ssrc, long index) {
        return iv(salt, ssrc, index >>> 32, index & 0xFFFF_FFFFL);
    }

    @Override
    public byte[] protectRtp(byte[] packet, int headerLength, long ssrc, long index) {
        byte[] out = Arrays.copyOf(packet, packet.length + TAG_LENGTH);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, rtpKey, new GCMParameterSpec(TAG_LENGTH * 8, rtpIv(rtpSalt, ssrc, index)));
            gcm.updateAAD(packet, 0, headerLength);
            gcm.doFinal(packet, headerLength, packet.length - headerLength, out, headerLength);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public byte[] unprotectRtp(byte[] srtp, int offset, int length, int headerLength, long ssrc, long index)
            throws SrtpException {
        if (length - TAG_LENGTH < headerLength) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "SRTP packet of " + length + " bytes has no room for its "
                    + TAG_LENGTH + "-byte tag");
        }
        byte[] out = new byte[length - TAG_LENGTH];
        System.arraycopy(srtp, offset, out, 0, headerLength);
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtpKey, new GCMParameterSpec(TAG_LENGTH * 8, rtpIv(rtpSalt, ssrc, index)));
            gcm.updateAAD(srtp, offset, headerLength);
            gcm.doFinal(srtp, offset + headerLength, length - headerLength, out, headerLength);
            return out;
        } catch (AEADBadTagException e) {
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTP GCM tag does not verify");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    @Override
    public byte[] protectRtcp(byte[] packet, long ssrc, long srtcpIndex) {
        int length = packet.length;
        byte[] out = new byte[length + TAG_LENGTH + SRTCP_INDEX_LENGTH];
        System.arraycopy(packet, 0, out, 0, 8);
        byte[] word = new byte[SRTCP_INDEX_LENGTH];
        SrtpTransform.putInt(word, 0, SRTCP_E_FLAG | srtcpIndex);
        try {
            gcm.init(Cipher.ENCRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG_LENGTH * 8, iv(rtcpSalt, ssrc, 0, srtcpIndex)));
            gcm.updateAAD(packet, 0, 8);
            gcm.updateAAD(word);
            gcm.doFinal(packet, 8, length - 8, out, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        System.arraycopy(word, 0, out, length + TAG_LENGTH, SRTCP_INDEX_LENGTH);
        return out;
    }

    @Override
    public long srtcpIndexWord(byte[] srtcp, int offset, int length) {
        if (length < 8 + TAG_LENGTH + SRTCP_INDEX_LENGTH) {
            return -1;
        }
        return SrtpTransform.getInt(srtcp, offset + length - SRTCP_INDEX_LENGTH);
    }

    @Override
    public byte[] unprotectRtcp(byte[] srtcp, int offset, int length, long ssrc, long indexWord) throws SrtpException {
        if ((indexWord & SRTCP_E_FLAG) == 0) {
            throw new SrtpException(SrtpException.Reason.UNSUPPORTED, "unencrypted SRTCP (E=0) is not accepted with AES-GCM");
        }
        int sealed = length - SRTCP_INDEX_LENGTH;
        byte[] out = new byte[sealed - TAG_LENGTH];
        System.arraycopy(srtcp, offset, out, 0, 8);
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtcpKey,
                    new GCMParameterSpec(TAG_LENGTH * 8, iv(rtcpSalt, ssrc, 0, indexWord & MAX_SRTCP_INDEX)));
            gcm.updateAAD(srtcp, offset, 8);
            gcm.updateAAD(srtcp, offset + sealed, SRTCP_INDEX_LENGTH);
            gcm.doFinal(srtcp, offset + 8, sealed - 8, out, 8);
            return out;
        } catch (AEADBadTagException e) {
            throw new SrtpException(SrtpException.Reason.AUTHENTICATION_FAILED, "SRTCP GCM tag does not verify");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
