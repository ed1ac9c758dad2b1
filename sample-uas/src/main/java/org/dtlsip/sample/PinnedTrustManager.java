package org.dtlsip.sample;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS peer check by pinned SHA-256 fingerprints of the leaf certificate, inside the handshake,
 * for both roles: a client refuses a server, and a server a client, whose certificate is not
 * pinned, as DTLS-UDP does with {@code org.dtlsip.sip.DTLS_PEER_FINGERPRINTS}. No chain, name or
 * validity check: the fingerprint names one exact certificate (the SDP model, RFC 8122 5).
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {
    /** Stack property: the pins, colon-separated upper-case hex, comma separated. */
    static final String PINS = "org.dtlsip.sample.TLS_PEER_FINGERPRINTS";

    private final List<String> pins;

    PinnedTrustManager(List<String> pins) {
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("no fingerprints to pin");
        }
        this.pins = List.copyOf(pins);
    }

    private void check(X509Certificate[] chain, String who) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the " + who + " sent no certificate");
        }
        String fp = Credentials.fingerprintOf(chain[0]);
        if (!pins.contains(fp)) {
            throw new CertificateException(who + " certificate rejected: " + FingerprintMismatch.reason(fp, pins));
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, "server");
    }

    /** No CA names in a CertificateRequest: a client then offers the one certificate it has. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
