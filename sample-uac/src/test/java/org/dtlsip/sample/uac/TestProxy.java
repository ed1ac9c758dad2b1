package org.dtlsip.sample.uac;

import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleStack;
import org.dtlsip.sample.Transport;

/**
 * A transaction-stateful SIP proxy for tests (RFC 3261 16), DTLS-UDP on both legs: it removes
 * the Route naming it (16.4), Record-Routes dialog-creating requests (16.6 step 4) so that
 * in-dialog requests come back through it, adds its Via (16.6 step 8) and forwards by the next
 * Route or the Request-URI (loose routing, 16.12); responses go back through the server
 * transaction without its Via (16.7), 100 Trying excepted. An ACK for a 2xx has no transaction
 * and is forwarded statelessly (16.11). Records what it forwarded, per method.
 */
final class TestProxy implements SipListener, AutoCloseable {
    final SampleStack sip;
    final List<String> forwarded = new CopyOnWriteArrayList<>();
    private final Map<ClientTransaction, ServerTransaction> legs = new ConcurrentHashMap<>();
    /** Applied to the SDP of forwarded requests: a proxy that tampers with the offer. */
    private volatile java.util.function.UnaryOperator<String> sdpRewrite;

    /** @param creds our certificate, and the pins of the servers we forward to */
    TestProxy(Credentials creds) throws Exception {
        Properties p = new Properties();
        // A proxy has no dialogs of its own (RFC 3261 16): the RI must not make any.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        this.sip = SampleStack.start("test-proxy", SampleStack.Role.CLIENT, creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0),
                this, p);
    }

    int port() {
        return sip.port(Transport.DTLS_UDP);
    }

    /** {@code sip:127.0.0.1:PORT;transport=dtls-udp;lr}. */
    String uri() {
        return "sip:127.0.0.1:" + port() + ";transport=" + sip.uriTransport(Transport.DTLS_UDP) + ";lr";
    }

    /** From now on, forwarded request bodies pass through {@code rewrite}. */
    void rewriteSdp(java.util.function.UnaryOperator<String> rewrite) {
        this.sdpRewrite = rewrite;
    }

    long count(String method) {
        return forwarded.stream().filter(method::equals).count();
    }

    private SipURI self() throws Exception {
        SipURI u = sip.addresses.createSipURI(null, "127.0.0.1");
        u.setPort(port());
        u.setTransportParam(sip.uriTransport(Transport.DTLS_UDP));
        u.setLrParam();
        return u;
    }

    private boolean isSelf(RouteHeader route) {
        return route.getAddress().getURI() instanceof SipURI u && "127.0.0.1".equals(u.getHost()) && u.getPort() == port();
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request original = event.getRequest();
        try {
            Request r = (Request) original.clone();
            // 16.4: the Route that brought the request here is spent.
            @SuppressWarnings("unchecked")
            ListIterator<RouteHeader> routes = r.getHeaders(RouteHeader.NAME);
            if (routes.hasNext() && isSelf(routes.next())) {
                r.removeFirst(RouteHeader.NAME);
            }
            MaxForwardsHeader mf = (MaxForwardsHeader) r.getHeader(MaxForwardsHeader.NAME);
            if (mf != null) {
                mf.decrementMaxForwards();
            }
            java.util.function.UnaryOperator<String> rewrite = sdpRewrite;
            if (rewrite != null && r.getRawContent() != null) {
                r.setContent(rewrite.apply(new String(r.getRawContent(), java.nio.charset.StandardCharsets.UTF_8)),
                        (javax.sip.header.ContentTypeHeader) r.getHeader(javax.sip.header.ContentTypeHeader.NAME));
            }
            ViaHeader via = sip.headers.createViaHeader("127.0.0.1", port(), "DTLS-UDP", null);
            r.addFirst(via);
            if (r.getMethod().equals(Request.ACK)) {
                forwarded.add(Request.ACK);
                sip.provider().sendRequest(r);
                return;
            }
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : sip.provider().getNewServerTransaction(original);
            boolean initial = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag() == null;
            if (initial && (r.getMethod().equals(Request.INVITE) || r.getMethod().equals(Request.SUBSCRIBE))) {
                RecordRouteHeader rr = sip.headers.createRecordRouteHeader(sip.addresses.createAddress(self()));
                r.addFirst(rr);
            }
            ClientTransaction ct = sip.provider().getNewClientTransaction(r);
            legs.put(ct, st);
            forwarded.add(r.getMethod());
            ct.sendRequest();
        } catch (Exception e) {
            throw new IllegalStateException("proxy could not forward " + original.getMethod(), e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response r = (Response) event.getResponse().clone();
        try {
            r.removeFirst(ViaHeader.NAME);
            ClientTransaction ct = event.getClientTransaction();
            if (ct == null) {
                // A retransmitted 2xx after the transaction ended (16.7 step 10): statelessly.
                sip.provider().sendResponse(r);
                return;
            }
            if (r.getStatusCode() == Response.TRYING) {
                return;
            }
            ServerTransaction st = legs.get(ct);
            if (st != null) {
                st.sendResponse(r);
            }
        } catch (Exception e) {
            throw new IllegalStateException("proxy could not forward " + r.getStatusCode(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (event.getClientTransaction() != null) {
            legs.remove(event.getClientTransaction());
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    @Override
    public void close() {
        sip.close();
    }
}
