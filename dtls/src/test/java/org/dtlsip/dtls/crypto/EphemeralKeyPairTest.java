package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class EphemeralKeyPairTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void twoPairsAgreeInEveryGroup() throws Exception {
        for (NamedGroup g : NamedGroup.values()) {
            EphemeralKeyPair a = EphemeralKeyPair.generate(g, RANDOM);
            EphemeralKeyPair b = EphemeralKeyPair.generate(g, RANDOM);
            assertEquals(g, a.group());
            assertEquals(g.publicLength, a.publicValue().length);
            byte[] s1 = a.agree(b.publicValue());
            assertArrayEquals(s1, b.agree(a.publicValue()), g.rfcName);
            assertEquals(g == NamedGroup.SECP384R1 ? 48 : 32, s1.length, g.rfcName);
        }
    }

    @Test
    void nistPublicValueIsUncompressedPoint() {
        assertEquals(0x04, EphemeralKeyPair.generate(NamedGroup.SECP256R1, RANDOM).publicValue()[0]);
        assertEquals(0x04, EphemeralKeyPair.generate(NamedGroup.SECP384R1, RANDOM).publicValue()[0]);
    }

    /** RFC 7748 section 6.1: Alice's key pair and the shared secret with Bob. */
    @Test
    void x25519Rfc7748Section61() throws Exception {
        byte[] alicePriv = Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        EphemeralKeyPair alice = EphemeralKeyPair.generate(NamedGroup.X25519, fixed(alicePriv));
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                Hex.encode(alice.publicValue()));
        byte[] bobPub = Hex.decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
                Hex.encode(alice.agree(bobPub)));
    }

    @Test
    void x25519RejectsLowOrderPointAndWrongLength() {
        EphemeralKeyPair k = EphemeralKeyPair.generate(NamedGroup.X25519, RANDOM);
        assertThrows(GeneralSecurityException.class, () -> k.agree(new byte[32]));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(GeneralSecurityException.class, () -> k.agree(one));
        assertThrows(GeneralSecurityException.class, () -> k.agree(new byte[31]));
        assertThrows(GeneralSecurityException.class, () -> k.agree(null));
    }

    @Test
    void nistCurvesRejectBadPoints() {
        for (NamedGroup g : new NamedGroup[] {NamedGroup.SECP256R1, NamedGroup.SECP384R1}) {
            EphemeralKeyPair k = EphemeralKeyPair.generate(g, RANDOM);
            byte[] good = EphemeralKeyPair.generate(g, RANDOM).publicValue();

            byte[] offCurve = good.clone();
            offCurve[offCurve.length - 1] ^= 1;
            assertThrows(GeneralSecurityException.class, () -> k.agree(offCurve), g + " off curve");

            int coord = (good.length - 1) / 2;
            byte[] compressed = new byte[1 + coord];
            compressed[0] = (byte) (2 + (good[good.length - 1] & 1));
            System.arraycopy(good, 1, compressed, 1, coord);
            assertThrows(GeneralSecurityException.class, () -> k.agree(compressed), g + " compressed");

            byte[] wrongPrefix = good.clone();
            wrongPrefix[0] = 0x02;
            assertThrows(GeneralSecurityException.class, () -> k.agree(wrongPrefix), g + " prefix");

            byte[] outOfField = new byte[good.length];
            Arrays.fill(outOfField, (byte) 0xff);
            outOfField[0] = 0x04;
            assertThrows(GeneralSecurityException.class, () -> k.agree(outOfField), g + " >= p");

            byte[] zero = new byte[good.length];
            zero[0] = 0x04;
            assertThrows(GeneralSecurityException.class, () -> k.agree(zero), g + " (0,0)");
            assertThrows(GeneralSecurityException.class,
                    () -> k.agree(Arrays.copyOf(good, good.length - 1)), g + " short");
        }
    }

    /** A SecureRandom that hands out the given bytes, to reproduce a published private key. */
    private static SecureRandom fixed(byte[] bytes) {
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] out) {
                System.arraycopy(bytes, 0, out, 0, out.length);
            }
        };
    }
}
