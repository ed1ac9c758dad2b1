package org.dtlsip.dtls.crypto;

import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Pins the peer's leaf certificate by SHA-256 fingerprint, the SDP/WebRTC model (RFC 8122
 * section 5): no chain or validity checks, because the fingerprint was exchanged over a channel
 * the user already trusts.
 */
final class FingerprintVerifier implements PeerVerifier {
    private final List<byte[]> expected;

    FingerprintVerifier(Collection<byte[]> sha256s) {
        if (sha256s == null || sha256s.isEmpty()) {
            throw new IllegalArgumentException("no fingerprints given to pin the peer to");
        }
        List<byte[]> copy = new ArrayList<>();
        for (byte[] fp : sha256s) {
            if (fp == null || fp.length != Fingerprint.LENGTH) {
                throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, got "
                        + (fp == null ? "null" : fp.length));
            }
            copy.add(fp.clone());
        }
        this.expected = List.copyOf(copy);
    }

    @Override
    public void verify(List<X509Certificate> chain) throws CertificateException {
        PeerVerifier.requireCertificate(chain);
        byte[] actual = Fingerprint.sha256(chain.get(0));
        for (byte[] fp : expected) {
            if (MessageDigest.isEqual(fp, actual)) {
                return;
            }
        }
        List<String> shown = new ArrayList<>();
        for (byte[] fp : expected) {
            shown.add(Fingerprint.format(fp));
        }
        throw new CertificateException("peer certificate fingerprint SHA-256 "
                + Fingerprint.format(actual) + " matches none of the expected " + shown);
    }
}
