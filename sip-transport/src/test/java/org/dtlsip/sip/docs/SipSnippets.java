package org.dtlsip.sip.docs;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.ServerTransactionExt;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.ServerTransaction;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.dtlsip.sip.DtlsIOExceptionEvent;
import org.dtlsip.sip.DtlsSipProperties;
import org.dtlsip.sip.DtlsSipStack;

/** The SIP snippets of README.md and docs/EMBEDDING.md (see the dtls module's DocSnippetsTest). */
public final class SipSnippets {
    private SipSnippets() {
    }

    /**
     * Sends OPTIONS over DTLS-UDP to {@code bob} (host:port) pinning his fingerprint; completes
     * with "status peer-subject suite", or exceptionally with the transport's reason.
     */
    public static CompletableFuture<String> options(Path certFile, Path keyFile, String peerFingerprint, String bob)
            throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        SipListener listener = new Listener(result);
        int port = 0;
        // tag::sip-stack[]
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "alice");
        // A DTLS-UDP listening point needs our certificate and a way to check the peer's.
        p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, certFile.toString());   // PEM chain, leaf first
        p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, keyFile.toString());
        p.setProperty(DtlsSipProperties.PEER_FINGERPRINTS, peerFingerprint);      // or javax.net.ssl.trustStore
        SipStack stack = new DtlsSipStack(p);                                      // not through SipFactory
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "DTLS-UDP");   // port 0: any free one
        SipProvider provider = stack.createSipProvider(lp);
        provider.addSipListener(listener);
        // end::sip-stack[]
        result.whenComplete((r, e) -> stack.stop());
        // tag::sip-call[]
        AddressFactory addresses = SipFactory.getInstance().createAddressFactory();
        HeaderFactory headers = SipFactory.getInstance().createHeaderFactory();
        MessageFactory messages = SipFactory.getInstance().createMessageFactory();
        SipURI to = (SipURI) addresses.createURI("sip:bob@" + bob + ";transport=dtls-udp");
        SipURI from = addresses.createSipURI("alice", "127.0.0.1");
        Request options = messages.createRequest(to, Request.OPTIONS, provider.getNewCallId(),
                headers.createCSeqHeader(1L, Request.OPTIONS),
                headers.createFromHeader(addresses.createAddress(from), "a1"),
                headers.createToHeader(addresses.createAddress(to), null),
                List.of(headers.createViaHeader("127.0.0.1", lp.getPort(), "DTLS-UDP", null)),
                headers.createMaxForwardsHeader(70));
        ClientTransaction ct = provider.getNewClientTransaction(options);
        ct.sendRequest();                  // opens the DTLS association; the request waits for the handshake
        // end::sip-call[]
        return result;
    }

    // tag::sip-server-domain[]
    /** Whether the client's certificate names one of the SIP domains served here (RFC 5922 7.1). */
    static boolean fromAllowedDomain(ServerTransaction st, Set<String> allowedDomains)
            throws SSLPeerUnverifiedException {
        for (String domain : ((ServerTransactionExt) st).extractCertIdentities()) {
            if (allowedDomains.contains(domain.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
    // end::sip-server-domain[]

    private record Listener(CompletableFuture<String> result) implements SipListener {
        // tag::sip-identity[]
        @Override
        public void processResponse(ResponseEvent event) {
            ClientTransactionExt ct = (ClientTransactionExt) event.getClientTransaction();
            try {
                Certificate[] chain = ct.getPeerCertificates();                 // the DTLS peer's, leaf first
                String who = ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
                result.complete(event.getResponse().getStatusCode() + " " + who + " " + ct.getCipherSuite());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                result.completeExceptionally(e);
            }
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            // The request never left: the DTLS transport says why (handshake failed, policy refused, ...).
            String why = event instanceof DtlsIOExceptionEvent dtls ? dtls.getMessage() : "I/O error";
            result.completeExceptionally(new java.io.IOException(why));
        }
        // end::sip-identity[]

        @Override
        public void processRequest(RequestEvent event) {
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            result.completeExceptionally(new java.io.IOException("timeout"));
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }
    }
}
