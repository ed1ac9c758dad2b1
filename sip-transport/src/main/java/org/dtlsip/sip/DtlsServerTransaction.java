package org.dtlsip.sip;

import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransactionImpl;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A server transaction that answers {@code ServerTransactionExt}'s security questions from
 * the DTLS session when it runs over DTLS-UDP; the RI's own answers otherwise (TLS, or
 * "Not a TLS channel").
 */
final class DtlsServerTransaction extends SIPServerTransactionImpl {
    DtlsServerTransaction(SIPTransactionStack stack, MessageChannel channel) {
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

    @Override
    public List<String> extractCertIdentities() throws SSLPeerUnverifiedException {
        return overDtls() ? TransactionSecurity.identities(TransactionSecurity.session(getMessageChannel()))
                : super.extractCertIdentities();
    }
}
