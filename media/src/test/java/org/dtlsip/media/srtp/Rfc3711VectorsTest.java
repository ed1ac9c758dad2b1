package org.dtlsip.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 3711 appendix B: the AES-CM keystream (B.2) and the key derivation (B.3). */
class Rfc3711VectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    /** B.2: session key and salt given; SSRC 0, ROC 0, SEQ 0; blocks 0-2 and 0xFEFF-0xFF01 of the keystream. */
    @Test
    void aesCounterModeKeystreamMatchesB2() throws Exception {
        byte[] key = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] salt = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd");
        byte[] stream = AesCmHmacSha1Transform.keystream(key, salt, 0, 0, 0xFF02 * 16);
        assertArrayEquals(HEX.parseHex("e03ead0935c95e80e166b16dd92b4eb4"), block(stream, 0));
        assertArrayEquals(HEX.parseHex("d23513162b02d0f72a43a2fe4a5f97ab"), block(stream, 1));
        assertArrayEquals(HEX.parseHex("41e95b3bb0a2e8dd477901e4fca894c0"), block(stream, 2));
        assertArrayEquals(HEX.parseHex("ec8cdf7398607cb0f2d21675ea9ea1e4"), block(stream, 0xFEFF));
        assertArrayEquals(HEX.parseHex("362b7c3c6773516318a077d7fc5073ae"), block(stream, 0xFF00));
        assertArrayEquals(HEX.parseHex("6a2cc3787889374fbeb4c81b17ba6c44"), block(stream, 0xFF01));
    }

    /** B.3: cipher key (label 0), cipher salt (2) and the first 160 bits of the auth key (1). */
    @Test
    void keyDerivationMatchesB3() {
        byte[] masterKey = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
        byte[] masterSalt = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
        assertArrayEquals(HEX.parseHex("c61e7a93744f39ee10734afe3ff7a087"),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTP_ENCRYPTION, 16));
        assertArrayEquals(HEX.parseHex("30cbbc08863d8c85d49db34a9ae1"),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTP_SALT, 14));
        assertArrayEquals(HEX.parseHex("cebe321f6ff7716b6fd4ab49af256a156d38baa4"),
                SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.SRTP_AUTHENTICATION, 20));
    }

    private static byte[] block(byte[] stream, int n) {
        return Arrays.copyOfRange(stream, n * 16, n * 16 + 16);
    }
}
