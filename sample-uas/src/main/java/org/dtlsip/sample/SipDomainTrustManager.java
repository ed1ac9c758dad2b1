package org.dtlsip.sample;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.dtlsip.sip.SipDomainIdentity;

/**
 * RFC 5922 over the RI's TLS, inside the handshake: a server certificate must first pass the
 * trust store (PKIX, {@code delegate}), then name the SIP domain the client is trying to
 * reach. That domain is the host the connection was opened for: the RI resolves the next hop's
 * host (Route, outbound proxy or Request-URI, as written there) into the address it connects
 * to, and JSSE keeps the name it came from as the session's peer host. A literal address is
 * checked as an address ({@link SipDomainIdentity}). Client certificates are checked by the
 * trust store alone; the application authorizes their domains ({@code extractCertIdentities}).
 *
 * <p>Why not the RI's {@code TLS_SECURITY_POLICY}: its blocking TLS transport (the default)
 * swallows the policy's refusal (IOHandler.sendBytes catches the IOException and returns the
 * socket), so the request is silently never sent and the transaction times out; refusing here
 * fails the handshake, which the RI reports at once.
 */
final class SipDomainTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;

    SipDomainTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    private static void checkDomain(X509Certificate[] chain, SSLSession handshake) throws CertificateException {
        String host = handshake == null ? null : handshake.getPeerHost();
        if (host == null || host.isEmpty()) {
            throw new CertificateException("server certificate rejected: the connection names no host, so its SIP domain "
                    + "cannot be checked (RFC 5922)");
        }
        try {
            new SipDomainIdentity(host).check(chain[0]);
        } catch (CertificateException | IllegalArgumentException e) {
            throw new CertificateException("server certificate rejected: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
        checkDomain(chain, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
        checkDomain(chain, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        checkDomain(chain, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
