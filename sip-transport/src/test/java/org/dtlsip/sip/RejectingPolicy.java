package org.dtlsip.sip;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicReference;

/** A TLS security policy (loaded by class name) that records the peer chain it saw and rejects it. */
public final class RejectingPolicy implements TlsSecurityPolicy {
    static final AtomicReference<Certificate[]> seen = new AtomicReference<>();
    static final String REASON = "test policy rejects every peer";

    public RejectingPolicy() {
    }

    @Override
    public void enforceTlsPolicy(ClientTransactionExt transaction) throws SecurityException {
        try {
            seen.set(transaction.getPeerCertificates());
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new SecurityException(e);
        }
        throw new SecurityException(REASON);
    }
}
