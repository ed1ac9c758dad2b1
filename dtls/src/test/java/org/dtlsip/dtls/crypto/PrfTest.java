package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class PrfTest {
    private static final byte[] SECRET = Hex.decode("9bbe436ba940f017b17652849a71db35");
    private static final byte[] SEED = Hex.decode("a0ba9f936cda311827a6f796ffd5198c");

    /**
     * The widely circulated TLS 1.2 PRF SHA-256 vector (secret, seed and label as in the
     * ietf-tls "TLS 1.2 PRF test vectors" post); 100 bytes of output.
     */
    @Test
    void sha256KnownAnswer() {
        byte[] out = Prf.prf(PrfHash.SHA256, SECRET, "test label", SEED, 100);
        assertEquals("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
                + "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
                + "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
                + "87347b66", Hex.encode(out));
    }

    /** SHA-384 against an independent P_hash written with Bouncy Castle's lightweight HMac. */
    @Test
    void sha384MatchesIndependentPHash() {
        byte[] out = Prf.prf(PrfHash.SHA384, SECRET, "test label", SEED, 148);
        assertArrayEquals(referencePHash384(SECRET, "test label", SEED, 148), out);
    }

    @Test
    void shorterOutputIsPrefix() {
        byte[] long100 = Prf.prf(PrfHash.SHA256, SECRET, "test label", SEED, 100);
        byte[] short13 = Prf.prf(PrfHash.SHA256, SECRET, "test label", SEED, 13);
        assertArrayEquals(java.util.Arrays.copyOf(long100, 13), short13);
    }

    private static byte[] referencePHash384(byte[] secret, String label, byte[] seed, int len) {
        byte[] ls = (label + "").getBytes(StandardCharsets.US_ASCII);
        byte[] fullSeed = new byte[ls.length + seed.length];
        System.arraycopy(ls, 0, fullSeed, 0, ls.length);
        System.arraycopy(seed, 0, fullSeed, ls.length, seed.length);
        HMac mac = new HMac(new SHA384Digest());
        mac.init(new KeyParameter(secret));
        byte[] out = new byte[len];
        byte[] a = fullSeed;
        int done = 0;
        while (done < len) {
            byte[] next = new byte[48];
            mac.update(a, 0, a.length);
            mac.doFinal(next, 0);
            a = next;
            byte[] block = new byte[48];
            mac.update(a, 0, a.length);
            mac.update(fullSeed, 0, fullSeed.length);
            mac.doFinal(block, 0);
            int n = Math.min(48, len - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }
}
