// Throwaway provider benchmark behind docs/PROVIDERS.md; not part of the build.
import java.security.*;
import java.security.spec.*;
import javax.crypto.*;
import javax.crypto.spec.*;
import java.math.BigInteger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.*;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.util.BigIntegers;

/** Throwaway provider benchmark for docs/PROVIDERS.md. */
public class ProviderBench {
    interface Op { void run() throws Exception; }
    static final SecureRandom R = new SecureRandom();
    static void time(String name, int warm, int n, Op op) throws Exception {
        for (int i = 0; i < warm; i++) op.run();
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) op.run();
        long ns = System.nanoTime() - t;
        System.out.printf("%-45s %9.1f us/op  (%d ops)%n", name, ns / 1000.0 / n, n);
    }
    public static void main(String[] a) throws Exception {
        Provider bc = new BouncyCastleProvider();
        String only = a.length > 0 ? a[0] : "all";
        byte[] key16 = new byte[16]; R.nextBytes(key16);
        byte[] key32 = new byte[32]; R.nextBytes(key32);
        byte[] nonce = new byte[12]; byte[] aad = new byte[13];
        byte[] pt = new byte[1200]; R.nextBytes(pt);
        byte[] ct = new byte[1216]; byte[] back = new byte[1216];
        if (only.equals("all") || only.equals("aead")) {
        for (int round = 0; round < 2; round++) {
        // JDK AES-GCM
        Cipher jg = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec k16 = new SecretKeySpec(key16, "AES");
        long[] ctr = {0};
        time("AES-128-GCM seal 1200B JDK", 20000, 50000, () -> {
            ctr[0]++; nonce[4] = (byte) ctr[0]; nonce[5] = (byte) (ctr[0] >> 8); nonce[6] = (byte) (ctr[0] >> 16);
            jg.init(Cipher.ENCRYPT_MODE, k16, new GCMParameterSpec(128, nonce));
            jg.updateAAD(aad); jg.doFinal(pt, 0, pt.length, ct, 0);
        });
        Cipher jgd = Cipher.getInstance("AES/GCM/NoPadding");
        time("AES-128-GCM open 1200B JDK", 20000, 50000, () -> {
            jgd.init(Cipher.DECRYPT_MODE, k16, new GCMParameterSpec(128, nonce));
            jgd.updateAAD(aad); jgd.doFinal(ct, 0, 1216, back, 0);
        });
        GCMBlockCipher bg = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
        KeyParameter kp16 = new KeyParameter(key16);
        time("AES-128-GCM seal 1200B BC lightweight", 20000, 50000, () -> {
            ctr[0]++; nonce[4] = (byte) ctr[0]; nonce[5] = (byte) (ctr[0] >> 8); nonce[6] = (byte) (ctr[0] >> 16);
            bg.init(true, new AEADParameters(kp16, 128, nonce, aad));
            int n = bg.processBytes(pt, 0, pt.length, ct, 0); bg.doFinal(ct, n);
        });
        GCMBlockCipher bgd = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
        time("AES-128-GCM open 1200B BC lightweight", 20000, 50000, () -> {
            bgd.init(false, new AEADParameters(kp16, 128, nonce, aad));
            int n = bgd.processBytes(ct, 0, 1216, back, 0); bgd.doFinal(back, n);
        });
        // ChaCha
        Cipher jc = Cipher.getInstance("ChaCha20-Poly1305");
        SecretKeySpec k32 = new SecretKeySpec(key32, "ChaCha20");
        time("ChaCha20-Poly1305 seal 1200B JDK", 20000, 50000, () -> {
            ctr[0]++; nonce[4] = (byte) ctr[0]; nonce[5] = (byte) (ctr[0] >> 8); nonce[6] = (byte) (ctr[0] >> 16);
            jc.init(Cipher.ENCRYPT_MODE, k32, new IvParameterSpec(nonce));
            jc.updateAAD(aad); jc.doFinal(pt, 0, pt.length, ct, 0);
        });
        Cipher jcd = Cipher.getInstance("ChaCha20-Poly1305");
        // JDK 17 refuses to re-init ChaCha20-Poly1305 with the previous key+nonce even to decrypt,
        // so alternate between two records.
        byte[] n2 = nonce.clone(); n2[0] ^= 1; byte[] ct2 = new byte[1216];
        byte[] n1 = nonce.clone(); byte[] ct1 = new byte[1216];
        Cipher tmp = Cipher.getInstance("ChaCha20-Poly1305");
        tmp.init(Cipher.ENCRYPT_MODE, k32, new IvParameterSpec(n1)); tmp.updateAAD(aad); tmp.doFinal(pt, 0, 1200, ct1, 0);
        tmp.init(Cipher.ENCRYPT_MODE, k32, new IvParameterSpec(n2)); tmp.updateAAD(aad); tmp.doFinal(pt, 0, 1200, ct2, 0);
        time("ChaCha20-Poly1305 open 1200B JDK", 20000, 50000, () -> {
            boolean odd = (ctr[0]++ & 1) == 1;
            jcd.init(Cipher.DECRYPT_MODE, k32, new IvParameterSpec(odd ? n1 : n2));
            jcd.updateAAD(aad); jcd.doFinal(odd ? ct1 : ct2, 0, 1216, back, 0);
        });
        System.arraycopy(n1, 0, nonce, 0, 12); System.arraycopy(ct1, 0, ct, 0, 1216);
        ChaCha20Poly1305 bc2 = new ChaCha20Poly1305();
        KeyParameter kp32 = new KeyParameter(key32);
        time("ChaCha20-Poly1305 seal 1200B BC lightweight", 20000, 50000, () -> {
            ctr[0]++; nonce[4] = (byte) ctr[0]; nonce[5] = (byte) (ctr[0] >> 8); nonce[6] = (byte) (ctr[0] >> 16);
            bc2.init(true, new AEADParameters(kp32, 128, nonce, aad));
            int n = bc2.processBytes(pt, 0, pt.length, ct, 0); bc2.doFinal(ct, n);
        });
        ChaCha20Poly1305 bc2d = new ChaCha20Poly1305();
        time("ChaCha20-Poly1305 open 1200B BC lightweight", 20000, 50000, () -> {
            bc2d.init(false, new AEADParameters(kp32, 128, nonce, aad));
            int n = bc2d.processBytes(ct, 0, 1216, back, 0); bc2d.doFinal(back, n);
        });
        }
        }
        if (only.equals("all") || only.equals("ecdh")) {
        // X25519
        KeyPairGenerator xg = KeyPairGenerator.getInstance("X25519");
        KeyPair peerX = xg.generateKeyPair();
        time("X25519 keygen+agree JDK", 3000, 2000, () -> {
            KeyPair kp = xg.generateKeyPair();
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(kp.getPrivate()); ka.doPhase(peerX.getPublic(), true); ka.generateSecret();
        });
        byte[] peerPub = new byte[32]; byte[] peerPriv = new byte[32];
        X25519.generatePrivateKey(R, peerPriv); X25519.generatePublicKey(peerPriv, 0, peerPub, 0);
        time("X25519 keygen+agree BC rfc7748", 3000, 2000, () -> {
            byte[] priv = new byte[32]; X25519.generatePrivateKey(R, priv);
            byte[] pub = new byte[32]; X25519.generatePublicKey(priv, 0, pub, 0);
            byte[] s = new byte[32]; X25519.calculateAgreement(priv, 0, peerPub, 0, s, 0);
        });
        for (String c : new String[] {"secp256r1", "secp384r1"}) {
            KeyPairGenerator eg = KeyPairGenerator.getInstance("EC");
            eg.initialize(new ECGenParameterSpec(c));
            KeyPair peer = eg.generateKeyPair();
            time(c + " keygen+agree JDK", 1500, 2000, () -> {
                KeyPair kp = eg.generateKeyPair();
                KeyAgreement ka = KeyAgreement.getInstance("ECDH");
                ka.init(kp.getPrivate()); ka.doPhase(peer.getPublic(), true); ka.generateSecret();
            });
            X9ECParameters x9 = CustomNamedCurves.getByName(c);
            ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
            ECPoint peerQ = dom.getG().multiply(BigIntegers.createRandomInRange(BigInteger.ONE, dom.getN().subtract(BigInteger.ONE), R)).normalize();
            byte[] enc = peerQ.getEncoded(false);
            FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
            time(c + " keygen+agree BC custom curve", 1500, 2000, () -> {
                BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE, dom.getN().subtract(BigInteger.ONE), R);
                ECPoint q = comb.multiply(dom.getG(), d).normalize();
                q.getEncoded(false);
                ECPoint pq = dom.getCurve().decodePoint(enc);
                ECDHBasicAgreement ag = new ECDHBasicAgreement();
                ag.init(new ECPrivateKeyParameters(d, dom));
                BigInteger z = ag.calculateAgreement(new ECPublicKeyParameters(pq, dom));
                BigIntegers.asUnsignedByteArray(x9.getCurve().getFieldSize() / 8, z);
            });
        }
        }
        if (only.equals("all") || only.equals("sig")) {
        byte[] data = new byte[300]; R.nextBytes(data);
        KeyPairGenerator eg = KeyPairGenerator.getInstance("EC");
        eg.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = eg.generateKeyPair();
        KeyPairGenerator rg = KeyPairGenerator.getInstance("RSA"); rg.initialize(2048);
        KeyPair rsa = rg.generateKeyPair();
        KeyFactory bcEcKf = KeyFactory.getInstance("EC", bc);
        PrivateKey ecPrivBc = bcEcKf.generatePrivate(new PKCS8EncodedKeySpec(ec.getPrivate().getEncoded()));
        PublicKey ecPubBc = bcEcKf.generatePublic(new X509EncodedKeySpec(ec.getPublic().getEncoded()));
        KeyFactory bcRsaKf = KeyFactory.getInstance("RSA", bc);
        PrivateKey rsaPrivBc = bcRsaKf.generatePrivate(new PKCS8EncodedKeySpec(rsa.getPrivate().getEncoded()));
        PublicKey rsaPubBc = bcRsaKf.generatePublic(new X509EncodedKeySpec(rsa.getPublic().getEncoded()));
        Object[][] cases = {
            {"ECDSA P-256 SHA256", "SHA256withECDSA", ec.getPrivate(), ec.getPublic(), ecPrivBc, ecPubBc},
            {"RSA-2048 PKCS1 SHA256", "SHA256withRSA", rsa.getPrivate(), rsa.getPublic(), rsaPrivBc, rsaPubBc},
            {"RSA-2048 PSS SHA256", "RSASSA-PSS", rsa.getPrivate(), rsa.getPublic(), rsaPrivBc, rsaPubBc},
        };
        PSSParameterSpec pss = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
        {
            byte[][] sig = new byte[1][];
            time("ECDSA P-256 SHA256 sign BC with JDK key", 6000, 2000, () -> {
                Signature s = Signature.getInstance("SHA256withECDSA", bc);
                s.initSign(ec.getPrivate()); s.update(data); sig[0] = s.sign();
            });
            time("ECDSA P-256 SHA256 sign BC, JDK key converted per call", 1000, 2000, () -> {
                Signature s = Signature.getInstance("SHA256withECDSA", bc);
                s.initSign(bcEcKf.generatePrivate(new PKCS8EncodedKeySpec(ec.getPrivate().getEncoded())));
                s.update(data); sig[0] = s.sign();
            });
            time("ECDSA P-256 SHA256 verify BC, JDK key converted per call", 1000, 2000, () -> {
                Signature s = Signature.getInstance("SHA256withECDSA", bc);
                s.initVerify(bcEcKf.generatePublic(new X509EncodedKeySpec(ec.getPublic().getEncoded())));
                s.update(data); if (!s.verify(sig[0])) throw new AssertionError();
            });
            time("ECDSA P-256 SHA256 verify BC with JDK key", 1000, 2000, () -> {
                Signature s = Signature.getInstance("SHA256withECDSA", bc);
                s.initVerify(ec.getPublic()); s.update(data); if (!s.verify(sig[0])) throw new AssertionError();
            });
        }
        for (Object[] cs : cases) {
            String alg = (String) cs[1];
            for (int p = 0; p < 2; p++) {
                Provider prov = p == 0 ? Signature.getInstance(alg).getProvider() : bc;
                PrivateKey pk = (PrivateKey) cs[p == 0 ? 2 : 4];
                PublicKey pub = (PublicKey) cs[p == 0 ? 3 : 5];
                String pn = p == 0 ? "JDK(" + prov.getName() + ")" : "BC";
                byte[][] sig = new byte[1][];
                int n = alg.startsWith("SHA256withE") ? 2000 : 300;
                time(cs[0] + " sign " + pn, n / 2, n, () -> {
                    Signature s = Signature.getInstance(alg, prov);
                    if (alg.equals("RSASSA-PSS")) s.setParameter(pss);
                    s.initSign(pk); s.update(data); sig[0] = s.sign();
                });
                time(cs[0] + " verify " + pn, n, 2000, () -> {
                    Signature s = Signature.getInstance(alg, prov);
                    if (alg.equals("RSASSA-PSS")) s.setParameter(pss);
                    s.initVerify(pub); s.update(data); if (!s.verify(sig[0])) throw new AssertionError();
                });
            }
        }
        }
            if (only.equals("all") || only.equals("rne")) {
        // DTLS 1.3 record number encryption (RFC 9147 4.2.3): one 16-byte mask per record.
        byte[] sample = new byte[16]; R.nextBytes(sample);
        byte[] mask = new byte[64];
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key16, "AES"));
        time("AES-128-ECB mask JDK (cipher reused)", 100000, 500000, () -> {
            sample[0]++; ecb.doFinal(sample, 0, 16, mask, 0);
        });
        AESEngine aes = (AESEngine) AESEngine.newInstance();
        aes.init(true, new KeyParameter(key16));
        time("AES-128-ECB mask BC AESEngine", 100000, 500000, () -> {
            sample[0]++; aes.processBlock(sample, 0, mask, 0);
        });
        Cipher jchacha = Cipher.getInstance("ChaCha20");
        SecretKeySpec kc = new SecretKeySpec(key32, "ChaCha20");
        byte[] zeros = new byte[16];
        time("ChaCha20 mask JDK (init per record)", 100000, 500000, () -> {
            sample[4]++; if (sample[4] == 0) sample[5]++;
            int counter = (sample[0] & 0xff) | (sample[1] & 0xff) << 8 | (sample[2] & 0xff) << 16 | (sample[3] & 0xff) << 24;
            jchacha.init(Cipher.ENCRYPT_MODE, kc,
                    new ChaCha20ParameterSpec(java.util.Arrays.copyOfRange(sample, 4, 16), counter));
            jchacha.doFinal(zeros, 0, 16, mask, 0);
        });
        org.bouncycastle.crypto.engines.ChaCha7539Engine bchacha = new org.bouncycastle.crypto.engines.ChaCha7539Engine();
        KeyParameter kp32 = new KeyParameter(key32);
        byte[] n12 = new byte[12];
        time("ChaCha20 mask BC ChaCha7539Engine", 100000, 500000, () -> {
            sample[4]++;
            long counter = (sample[0] & 0xff) | (sample[1] & 0xff) << 8 | (sample[2] & 0xff) << 16 | (long) (sample[3] & 0xff) << 24;
            System.arraycopy(sample, 4, n12, 0, 12);
            bchacha.init(true, new ParametersWithIV(kp32, n12));
            bchacha.seekTo(counter * 64);
            bchacha.processBytes(zeros, 0, 16, mask, 0);
        });
        }
        if (only.equals("all") || only.equals("hkdf")) {
        // TLS 1.3 key schedule: HMAC-SHA256 over short inputs (HKDF-Extract / Expand-Label).
        byte[] secret = new byte[32]; R.nextBytes(secret);
        byte[] info = new byte[54]; byte[] out = new byte[32];
        Mac jmac = Mac.getInstance("HmacSHA256");
        time("HMAC-SHA256 54B JDK (Mac per call)", 20000, 200000, () -> {
            Mac m = Mac.getInstance("HmacSHA256"); m.init(new SecretKeySpec(secret, "HmacSHA256"));
            m.update(info); m.update((byte) 1); m.doFinal(out, 0);
        });
        time("HMAC-SHA256 54B JDK (Mac reused)", 20000, 200000, () -> {
            jmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            jmac.update(info); jmac.update((byte) 1); jmac.doFinal(out, 0);
        });
        org.bouncycastle.crypto.macs.HMac bmac = new org.bouncycastle.crypto.macs.HMac(
                org.bouncycastle.crypto.digests.SHA256Digest.newInstance());
        time("HMAC-SHA256 54B BC HMac (reused)", 20000, 200000, () -> {
            bmac.init(new KeyParameter(secret));
            bmac.update(info, 0, info.length); bmac.update((byte) 1); bmac.doFinal(out, 0);
        });
        }
            if (only.equals("all") || only.equals("eddsa")) {
        // Ed25519 CertificateVerify (TLS 1.3, RFC 8446 4.2.3): JDK SunEC against BC.
        byte[] msg = new byte[130]; R.nextBytes(msg);
        KeyPairGenerator jg = KeyPairGenerator.getInstance("Ed25519");
        KeyPair jkp = jg.generateKeyPair();
        byte[][] jsig = new byte[1][];
        time("Ed25519 sign JDK", 200, 2000, () -> {
            Signature s = Signature.getInstance("Ed25519"); s.initSign(jkp.getPrivate()); s.update(msg); jsig[0] = s.sign();
        });
        time("Ed25519 verify JDK", 200, 2000, () -> {
            Signature s = Signature.getInstance("Ed25519"); s.initVerify(jkp.getPublic()); s.update(msg); s.verify(jsig[0]);
        });
        KeyPairGenerator bg = KeyPairGenerator.getInstance("Ed25519", bc);
        KeyPair bkp = bg.generateKeyPair();
        byte[][] bsig = new byte[1][];
        time("Ed25519 sign BC", 200, 2000, () -> {
            Signature s = Signature.getInstance("Ed25519", bc); s.initSign(bkp.getPrivate()); s.update(msg); bsig[0] = s.sign();
        });
        time("Ed25519 verify BC", 200, 2000, () -> {
            Signature s = Signature.getInstance("Ed25519", bc); s.initVerify(bkp.getPublic()); s.update(msg); s.verify(bsig[0]);
        });
        time("Ed25519 verify BC, JDK key", 200, 2000, () -> {
            Signature s = Signature.getInstance("Ed25519", bc); s.initVerify(jkp.getPublic()); s.update(msg); s.verify(jsig[0]);
        });
        }
    }
}
