package org.dtlsip.sample.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The examples of RFC 7616 3.9.1 (SHA-256 and MD5, qop=auth) and a challenge without qop. */
class DigestResponseTest {
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final DigestResponse.Qop QOP = new DigestResponse.Qop("00000001",
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");

    @Test
    void rfc7616Sha256Example() {
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                DigestResponse.compute(DigestAlgorithm.SHA_256, "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
                        "/dir/index.html", NONCE, QOP));
    }

    @Test
    void rfc7616Md5Example() {
        assertEquals("8ca523f5e9506fed4657c9700eebdbec",
                DigestResponse.compute(DigestAlgorithm.MD5, "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
                        "/dir/index.html", NONCE, QOP));
    }

    /** RFC 2617 3.5's inputs answered without qop (RFC 2069 form, which RFC 3261 22.4 keeps). */
    @Test
    void withoutQop() {
        assertEquals("670fd8c2df070c60b045671b8b24ff02",
                DigestResponse.compute(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life", "GET",
                        "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", null));
    }

    @Test
    void algorithmNames() {
        assertEquals(DigestAlgorithm.MD5, DigestAlgorithm.of(null), "no algorithm parameter means MD5 (RFC 7616 3.3)");
        assertEquals(DigestAlgorithm.SHA_256, DigestAlgorithm.of("sha-256"));
        assertEquals(DigestAlgorithm.MD5, DigestAlgorithm.of("MD5"));
        assertNull(DigestAlgorithm.of("SHA-256-sess"));
        assertNull(DigestAlgorithm.of("SHA-512-256"));
    }
}
