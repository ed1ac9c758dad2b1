package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignaturesTest {
    private static final byte[] DATA = "client_random + server_random + ServerECDHParams"
            .getBytes(StandardCharsets.US_ASCII);
    private static KeyPair p256;
    private static KeyPair p384;
    private static KeyPair rsa;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        p384 = ec.generateKeyPair();
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
    }

    @Test
    void everySchemeSignsAndVerifiesAndRejectsTampering() throws Exception {
        for (SignatureScheme s : Signatures.supported()) {
            KeyPair kp = s.keyType == SignatureScheme.KeyType.EC ? p256 : rsa;
            byte[] sig = Signatures.sign(s, kp.getPrivate(), DATA);
            assertTrue(Signatures.verify(s, kp.getPublic(), DATA, sig), s.name());
            byte[] bad = sig.clone();
            bad[bad.length - 1] ^= 1;
            assertFalse(Signatures.verify(s, kp.getPublic(), DATA, bad), s + " tampered signature");
            byte[] otherData = DATA.clone();
            otherData[0] ^= 1;
            assertFalse(Signatures.verify(s, kp.getPublic(), otherData, sig), s + " tampered data");
        }
    }

    @Test
    void keysFromBouncyCastleProviderWorkToo() throws Exception {
        for (KeyPair kp : List.of(p256, rsa)) {
            String alg = kp.getPrivate().getAlgorithm();
            KeyFactory kf = KeyFactory.getInstance(alg, Providers.bouncyCastle());
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(kp.getPrivate().getEncoded()));
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(kp.getPublic().getEncoded()));
            SignatureScheme s = Signatures.select(priv, Signatures.supported());
            assertTrue(Signatures.verify(s, kp.getPublic(), DATA, Signatures.sign(s, priv, DATA)));
            assertTrue(Signatures.verify(s, pub, DATA, Signatures.sign(s, kp.getPrivate(), DATA)));
        }
    }

    @Test
    void verifyNeverThrows() {
        assertFalse(Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, p256.getPublic(),
                DATA, new byte[0]));
        assertFalse(Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, p256.getPublic(),
                DATA, new byte[] {0x30, 0x7f, 1}));
        assertFalse(Signatures.verify(SignatureScheme.RSA_PKCS1_SHA256, p256.getPublic(),
                DATA, new byte[256]));
        assertFalse(Signatures.verify(SignatureScheme.RSA_PSS_RSAE_SHA256, rsa.getPublic(),
                DATA, new byte[3]));
    }

    @Test
    void signingWithWrongKeyTypeFails() {
        assertThrows(GeneralSecurityException.class,
                () -> Signatures.sign(SignatureScheme.RSA_PKCS1_SHA256, p256.getPrivate(), DATA));
    }

    @Test
    void selectPrefersMatchingCurveButAcceptsAnyEcdsa() {
        List<SignatureScheme> all = Signatures.supported();
        assertEquals(SignatureScheme.ECDSA_SECP256R1_SHA256, Signatures.select(p256.getPrivate(), all));
        assertEquals(SignatureScheme.ECDSA_SECP384R1_SHA384, Signatures.select(p384.getPrivate(), all));
        assertEquals(SignatureScheme.ECDSA_SECP384R1_SHA384, Signatures.select(p256.getPrivate(),
                List.of(SignatureScheme.RSA_PKCS1_SHA256, SignatureScheme.ECDSA_SECP384R1_SHA384)));
        assertNull(Signatures.select(p256.getPrivate(), List.of(SignatureScheme.RSA_PKCS1_SHA256)));
    }

    @Test
    void selectPrefersPssForRsa() {
        assertEquals(SignatureScheme.RSA_PSS_RSAE_SHA256,
                Signatures.select(rsa.getPrivate(), Signatures.supported()));
        assertEquals(SignatureScheme.RSA_PKCS1_SHA384, Signatures.select(rsa.getPrivate(),
                List.of(SignatureScheme.RSA_PKCS1_SHA384, SignatureScheme.RSA_PKCS1_SHA512,
                        SignatureScheme.ECDSA_SECP256R1_SHA256)));
        assertNull(Signatures.select(rsa.getPrivate(), List.of(SignatureScheme.ECDSA_SECP256R1_SHA256)));
    }
}
