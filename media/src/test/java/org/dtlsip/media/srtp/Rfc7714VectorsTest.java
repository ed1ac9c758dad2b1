package org.dtlsip.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * RFC 7714 sections 16.1.1 (SRTP) and 17.1 (SRTCP) for AEAD_AES_128_GCM. The vectors give the
 * session key and salt, so they test the GCM transform below the key derivation.
 */
class Rfc7714VectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = HEX.parseHex("517569642070726f2071756f");
    /** "Gallia est omnis divisa in partes tres", SEQ 0xf17b, SSRC 0x5501a0b2, ROC 0. */
    private static final byte[] RTP = HEX.parseHex("8040f17b8041f8d35501a0b247616c6c696120657374206f6d6e6973206469766973"
            + "6120696e207061727465732074726573");
    private static final byte[] SRTP = HEX.parseHex("8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d"
            + "294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce");
    /** Section 17: an SR from SSRC "Mars", SRTCP index 0x5d4. */
    private static final byte[] RTCP = HEX.parseHex("81c8000d4d6172734e5450314e545032525450200000042a0000e9304c756e61"
            + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef");
    private static final byte[] SRTCP = HEX.parseHex("81c8000d4d61727363e94885dcdab67ca727d7662f6b7e997ff5c0f76c06f32dc6"
            + "76a5f1730d6fda4ce09b4686303ded0bb9275bc84aa45896cf4d2fc5abf87245d9eade800005d4");

    @Test
    void rtpEncryptionMatches16_1_1() throws Exception {
        AesGcmTransform gcm = AesGcmTransform.withSessionKey(KEY, SALT);
        assertArrayEquals(SRTP, gcm.protectRtp(RTP, 12, 0x5501a0b2L, 0xf17b));
        assertArrayEquals(RTP, AesGcmTransform.withSessionKey(KEY, SALT).unprotectRtp(SRTP, 0, SRTP.length, 12, 0x5501a0b2L, 0xf17b));
    }

    @Test
    void rtpWithAFlippedBitFailsAuthentication() {
        byte[] tampered = SRTP.clone();
        tampered[20] ^= 1;
        SrtpException e = assertThrows(SrtpException.class, () -> AesGcmTransform.withSessionKey(KEY, SALT)
                .unprotectRtp(tampered, 0, tampered.length, 12, 0x5501a0b2L, 0xf17b));
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, e.reason());
    }

    @Test
    void rtcpEncryptionMatches17_1() throws Exception {
        long ssrc = 0x4d617273L;
        assertArrayEquals(SRTCP, AesGcmTransform.withSessionKey(KEY, SALT).protectRtcp(RTCP, ssrc, 0x5d4));
        AesGcmTransform gcm = AesGcmTransform.withSessionKey(KEY, SALT);
        long word = gcm.srtcpIndexWord(SRTCP, 0, SRTCP.length);
        assertEquals(0x800005d4L, word);
        assertArrayEquals(RTCP, gcm.unprotectRtcp(SRTCP, 0, SRTCP.length, ssrc, word));
    }
}
