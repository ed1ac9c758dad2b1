package org.dtlsip.sip;

import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.TransactionState;

/**
 * A client transaction that answers {@code ClientTransactionExt}'s security questions from
 * the DTLS session when it runs over DTLS-UDP; the RI's own answers otherwise (TLS, or
 * "Not a TLS channel").
 */
final class DtlsClientTransaction extends SIPClientTransactionImpl {
    DtlsClientTransaction(SIPTransactionStack stack, MessageChannel channel) {
        super(stack, channel);
    }

    private boolean overDtls() {
        return getMessageChannel() instanceof DtlsMessageChannel;
    }

    @Override
    public String getCipherSuite() {
        return overDtls() ? TransactionSecurity.cipherSuite(TransactionSecurity.session(getMessageChannel()))
                : super.getCipherSuite();
    }

    @Override
    public Certificate[] getLocalCertificates() {
        return overDtls() ? TransactionSecurity.localCertificates(TransactionSecurity.session(getMessageChannel()))
                : super.getLocalCertificates();
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
        return overDtls() ? TransactionSecurity.peerCertificates(TransactionSecurity.session(getMessageChannel()))
                : super.getPeerCertificates();
    }

    /**
     * Ends the transaction with a {@link DtlsIOExceptionEvent} saying why its request could not
     * be sent, as the RI's {@code raiseIOExceptionEvent()} does without a reason.
     */
    void raiseIOExceptionEvent(String reason) {
        setState(TransactionState._TERMINATED);
        getSipProvider().handleEvent(new DtlsIOExceptionEvent(this, getPeerAddress(), getPeerPort(), getTransport(), reason),
                this);
    }

    @Override
    public List<String> extractCertIdentities() throws SSLPeerUnverifiedException {
        return overDtls() ? TransactionSecurity.identities(TransactionSecurity.session(getMessageChannel()))
                : super.extractCertIdentities();
    }
}
