package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signature schemes in TLS 1.3 (RFC 8446 4.2.3): which key signs with what, and round trips. */
class Tls13SignaturesTest {
    private static final byte[] DATA = "content of a CertificateVerify".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static KeyPair generate(String algorithm, Object provider) throws Exception {
        KeyPairGenerator g = provider == null ? KeyPairGenerator.getInstance(algorithm)
                : KeyPairGenerator.getInstance(algorithm, Providers.bouncyCastle());
        if (algorithm.startsWith("RSA")) {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    @Test
    void ecdsaSchemesNameTheirCurve() throws Exception {
        KeyPair p384 = ec("secp384r1");
        List<SignatureScheme> all = Signatures.supportedTls13();
        assertEquals(SignatureScheme.ECDSA_SECP384R1_SHA384, Signatures.selectTls13(p384.getPrivate(), all));
        assertNull(Signatures.selectTls13(p384.getPrivate(), List.of(SignatureScheme.ECDSA_SECP256R1_SHA256)));
        assertFalse(Signatures.fitsTls13(SignatureScheme.ECDSA_SECP256R1_SHA256, p384.getPublic()));
        assertTrue(Signatures.fitsTls13(SignatureScheme.ECDSA_SECP256R1_SHA256, ec("secp256r1").getPublic()));
    }

    @Test
    void rsaKeysUsePssOfTheirKindAndNeverPkcs1() throws Exception {
        KeyPair rsae = generate("RSA", null);
        KeyPair pss = generate("RSASSA-PSS", null);
        List<SignatureScheme> all = Signatures.supportedTls13();
        assertEquals(SignatureScheme.RSA_PSS_RSAE_SHA256, Signatures.selectTls13(rsae.getPrivate(), all));
        assertEquals(SignatureScheme.RSA_PSS_PSS_SHA256, Signatures.selectTls13(pss.getPrivate(), all));
        assertNull(Signatures.selectTls13(rsae.getPrivate(), List.of(SignatureScheme.RSA_PKCS1_SHA256)));
        assertFalse(Signatures.fitsTls13(SignatureScheme.RSA_PKCS1_SHA256, rsae.getPublic()));
        assertFalse(Signatures.fitsTls13(SignatureScheme.RSA_PSS_PSS_SHA256, rsae.getPublic()));
        assertFalse(Signatures.fitsTls13(SignatureScheme.RSA_PSS_RSAE_SHA384, pss.getPublic()));
        assertEquals(SignatureScheme.RSA_PSS_RSAE_SHA384,
                Signatures.selectTls13(rsae.getPrivate(), List.of(SignatureScheme.RSA_PSS_RSAE_SHA384)));

        byte[] sig = Signatures.sign(SignatureScheme.RSA_PSS_PSS_SHA384, pss.getPrivate(), DATA);
        assertTrue(Signatures.verify(SignatureScheme.RSA_PSS_PSS_SHA384, pss.getPublic(), DATA, sig));
        assertFalse(Signatures.verify(SignatureScheme.RSA_PSS_PSS_SHA256, pss.getPublic(), DATA, sig));
        assertFalse(Signatures.verify(SignatureScheme.RSA_PSS_PSS_SHA384, rsae.getPublic(), DATA, sig));
    }

    @Test
    void ed25519SignsOnBouncyCastleAndVerifiesJdkAndBcKeys() throws Exception {
        for (KeyPair kp : new KeyPair[] {generate("Ed25519", null), generate("Ed25519", Providers.bouncyCastle())}) {
            assertEquals(SignatureScheme.ED25519, Signatures.selectTls13(kp.getPrivate(), Signatures.supportedTls13()));
            byte[] sig = Signatures.sign(SignatureScheme.ED25519, kp.getPrivate(), DATA);
            assertEquals(64, sig.length);
            assertTrue(Signatures.verify(SignatureScheme.ED25519, kp.getPublic(), DATA, sig));
            assertFalse(Signatures.verify(SignatureScheme.ED25519, kp.getPublic(), "other".getBytes(), sig));
            assertFalse(Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, kp.getPublic(), DATA, sig));
        }
    }

    @Test
    void dtls12ListIsUnchanged() {
        assertFalse(Signatures.supported().contains(SignatureScheme.ED25519));
        assertFalse(Signatures.supported().contains(SignatureScheme.RSA_PSS_PSS_SHA256));
        assertFalse(Signatures.supportedTls13().contains(SignatureScheme.RSA_PKCS1_SHA256));
    }
}
