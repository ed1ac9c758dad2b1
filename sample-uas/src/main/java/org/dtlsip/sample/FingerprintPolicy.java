package org.dtlsip.sample;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.TlsSecurityPolicy;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

/**
 * Pins the server certificate of outgoing TLS (and DTLS-UDP) connections to SHA-256
 * fingerprints. The RI's TLS transport checks servers only against a trust store; to pin a
 * fingerprint the sample stack accepts any certificate at the TLS layer and this policy, which
 * the RI applies after each client handshake, refuses the connection when the server's leaf
 * certificate is not pinned. The pins are the stack property {@value #PINS} (comma separated).
 */
public final class FingerprintPolicy implements TlsSecurityPolicy {
    public static final String PINS = "org.dtlsip.sample.TLS_PEER_FINGERPRINTS";

    @Override
    public void enforceTlsPolicy(ClientTransactionExt transaction) throws SecurityException {
        if (transaction == null) {
            throw new SecurityException("no transaction to check the server certificate of");
        }
        SipStackImpl stack = (SipStackImpl) transaction.getSipProvider().getSipStack();
        List<String> pins = Arrays.asList(stack.getConfigurationProperties().getProperty(PINS, "").split(","));
        Certificate[] peer;
        try {
            peer = transaction.getPeerCertificates();
        } catch (Exception e) {
            throw new SecurityException("server certificate unavailable: " + e.getMessage(), e);
        }
        if (peer == null || peer.length == 0 || !(peer[0] instanceof X509Certificate leaf)) {
            throw new SecurityException("the server sent no certificate");
        }
        String fp = Credentials.fingerprintOf(leaf);
        if (!pins.contains(fp)) {
            throw new SecurityException("server certificate " + fp + " is not the pinned fingerprint");
        }
    }
}
