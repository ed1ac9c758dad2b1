package org.dtlsip.sip;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.ServerTransactionExt;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

/**
 * A SIP user agent for tests: one DtlsSipStack with one DTLS-UDP listening point on
 * 127.0.0.1. As UAS it answers INVITE with 100, 180, 200 (or holds at 180 when asked, for
 * CANCEL), and BYE, OPTIONS, MESSAGE with 200. As UAC it sends what the test asks and lets
 * the test wait, bounded, for the final response of each transaction.
 */
final class SipPeer implements SipListener, AutoCloseable {
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 49170 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    static final long WAIT_SECONDS = 20;

    final String name;
    final DtlsSipStack stack;
    final DtlsListeningPoint listeningPoint;
    final SipProvider provider;
    final AddressFactory addresses = new AddressFactoryImpl();
    final HeaderFactory headers = new HeaderFactoryImpl();
    final MessageFactory messages = new MessageFactoryImpl();

    /** Where peers should send to reach us (a relay in the lossy test); our own address otherwise. */
    volatile InetSocketAddress advertised;
    volatile boolean holdInvites;
    /** As UAS: requests this refuses are answered 403 (e.g. a client domain check); {@code null}: all admitted. */
    volatile Admission admission;

    /** Decides whether a request may be served. */
    interface Admission {
        boolean admit(ServerTransaction st) throws Exception;
    }

    final BlockingQueue<RequestEvent> requests = new LinkedBlockingQueue<>();
    final List<Integer> provisionals = new CopyOnWriteArrayList<>();
    final BlockingQueue<IOExceptionEvent> ioExceptions = new LinkedBlockingQueue<>();
    final BlockingQueue<TimeoutEvent> timeouts = new LinkedBlockingQueue<>();
    final Map<String, ServerTransaction> heldInvites = new ConcurrentHashMap<>();
    final Map<ServerTransaction, Boolean> serverTransactions = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, CompletableFuture<Response>> finals = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, CompletableFuture<Response>> firstProvisional = new ConcurrentHashMap<>();
    private final AtomicLong cseq = new AtomicLong(1);
    private final AtomicLong callIds = new AtomicLong();

    SipPeer(String name, Properties extra) throws Exception {
        this(name, extra, 0);
    }

    /** A peer listening on {@code port} (0: any free one), e.g. to restart one on the same port. */
    SipPeer(String name, Properties extra, int port) throws Exception {
        this(name, extra, port, null);
    }

    /**
     * A peer whose CA-issued certificate has exactly these subjectAltNames (DNS names, IP
     * addresses, URIs such as {@code sip:example.com}); {@code null}: {@link TestPki#issue(String)}.
     */
    SipPeer(String name, Properties extra, int port, List<String> subjectAltNames) throws Exception {
        this.name = name;
        TestPki pki = TestPki.get();
        Path[] cert = subjectAltNames == null ? pki.issue(name) : pki.issue(name, subjectAltNames);
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name + "-" + System.nanoTime());
        p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, cert[0].toString());
        p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, cert[1].toString());
        p.setProperty("javax.net.ssl.trustStore", pki.trustStore.toString());
        p.setProperty("javax.net.ssl.trustStorePassword", TestPki.TRUST_PASSWORD);
        p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        p.setProperty(DtlsSipProperties.INITIAL_RETRANSMIT_MS, "200");
        p.putAll(extra);
        stack = new DtlsSipStack(p);
        listeningPoint = (DtlsListeningPoint) stack.createListeningPoint("127.0.0.1", port, "DTLS-UDP");
        provider = stack.createSipProvider(listeningPoint);
        provider.addSipListener(this);
        advertised = new InetSocketAddress("127.0.0.1", listeningPoint.getPort());
    }

    SipPeer(String name) throws Exception {
        this(name, new Properties());
    }

    int port() {
        return listeningPoint.getPort();
    }

    DtlsMessageProcessor processor() {
        return listeningPoint.dtlsProcessor();
    }

    /** A URI of ours: with our {@code transport} parameter ({@link DtlsSipProperties#TRANSPORT_TOKEN}). */
    SipURI uri(String user, InetSocketAddress at) throws Exception {
        return uri(user, at, listeningPoint.uriTransport());
    }

    SipURI uri(String user, InetSocketAddress at, String transport) throws Exception {
        SipURI uri = addresses.createSipURI(user, at.getAddress().getHostAddress());
        uri.setPort(at.getPort());
        uri.setTransportParam(transport);
        return uri;
    }

    ContactHeader contact() throws Exception {
        Address a = addresses.createAddress(uri(name, advertised));
        return headers.createContactHeader(a);
    }

    /** An out-of-dialog request to {@code to}, addressed at {@code target} (the peer or a relay). */
    Request request(String method, SipPeer to, InetSocketAddress target) throws Exception {
        // Every URI with the transport name we write, as a stack that knows one name does.
        return request(method, to, uri(to.name, target));
    }

    /** An out-of-dialog request to {@code to} at {@code host} (a domain name), its port. */
    Request request(String method, SipPeer to, String host) throws Exception {
        SipURI uri = addresses.createSipURI(to.name, host);
        uri.setPort(to.port());
        uri.setTransportParam(listeningPoint.uriTransport());
        return request(method, to, uri);
    }

    private Request request(String method, SipPeer to, SipURI requestUri) throws Exception {
        FromHeader from = headers.createFromHeader(addresses.createAddress(uri(name, advertised)), "f" + System.nanoTime());
        ToHeader toHeader = headers.createToHeader(addresses.createAddress((SipURI) requestUri.clone()), null);
        CallIdHeader callId = headers.createCallIdHeader(name + "-" + callIds.incrementAndGet() + "-" + System.nanoTime());
        CSeqHeader cs = headers.createCSeqHeader(cseq.getAndIncrement(), method);
        MaxForwardsHeader mf = headers.createMaxForwardsHeader(70);
        List<ViaHeader> vias = new ArrayList<>();
        ViaHeader via = headers.createViaHeader("127.0.0.1", port(), "DTLS-UDP", null);
        via.setRPort();
        vias.add(via);
        Request r = messages.createRequest(requestUri, method, callId, cs, from, toHeader, vias, mf);
        r.addHeader(contact());
        return r;
    }

    Request request(String method, SipPeer to) throws Exception {
        return request(method, to, to.advertised);
    }

    /** Sends in a new client transaction; the future completes with the final response. */
    ClientTransactionExt send(Request request) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        track(ct);
        ct.sendRequest();
        return (ClientTransactionExt) ct;
    }

    /** Sends a request built by a dialog. */
    ClientTransactionExt sendInDialog(Dialog dialog, Request request) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        track(ct);
        dialog.sendRequest(ct);
        return (ClientTransactionExt) ct;
    }

    void track(ClientTransaction ct) {
        finals.put(ct, new CompletableFuture<>());
        firstProvisional.put(ct, new CompletableFuture<>());
    }

    Response awaitFinal(ClientTransaction ct) throws Exception {
        return finals.get(ct).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    Response awaitProvisional(ClientTransaction ct) throws Exception {
        return firstProvisional.get(ct).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** INVITE, wait for 200, ACK; returns the dialog. */
    Dialog call(SipPeer to, InetSocketAddress target) throws Exception {
        return call(request(Request.INVITE, to, target));
    }

    /** Sends {@code invite} (an INVITE from {@link #request}; {@link #SDP} unless it has a body), waits for 200, ACKs; returns the dialog. */
    Dialog call(Request invite) throws Exception {
        if (invite.getRawContent() == null) {
            invite.setContent(SDP, headers.createContentTypeHeader("application", "sdp"));
        }
        ClientTransactionExt ct = send(invite);
        Response ok = awaitFinal(ct);
        if (ok.getStatusCode() != 200) {
            throw new AssertionError(name + ": INVITE answered " + ok.getStatusCode());
        }
        Dialog dialog = ct.getDialog();
        long seq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
        dialog.sendAck(dialog.createAck(seq));
        return dialog;
    }

    /** BYE in the dialog, wait for 200. */
    void hangUp(Dialog dialog) throws Exception {
        ClientTransactionExt bye = sendInDialog(dialog, dialog.createRequest(Request.BYE));
        Response r = awaitFinal(bye);
        if (r.getStatusCode() != 200) {
            throw new AssertionError(name + ": BYE answered " + r.getStatusCode());
        }
    }

    // ---------------------------------------------------------------- SipListener

    @Override
    public void processRequest(RequestEvent event) {
        try {
            Request r = event.getRequest();
            String method = r.getMethod();
            if (method.equals(Request.ACK)) {
                requests.add(event);
                return;
            }
            ServerTransaction st = event.getServerTransaction();
            if (st == null) {
                st = provider.getNewServerTransaction(r);
            }
            serverTransactions.put(st, Boolean.TRUE);
            requests.add(new RequestEvent(provider, st, st.getDialog(), r));
            Admission a = admission;
            if (a != null && !a.admit(st)) {
                st.sendResponse(messages.createResponse(Response.FORBIDDEN, r));
                return;
            }
            switch (method) {
                case Request.INVITE -> answerInvite(st, r);
                case Request.CANCEL -> {
                    st.sendResponse(messages.createResponse(200, r));
                    String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
                    ServerTransaction invite = heldInvites.remove(callId);
                    if (invite != null) {
                        invite.sendResponse(messages.createResponse(487, invite.getRequest()));
                    }
                }
                default -> st.sendResponse(messages.createResponse(200, r));
            }
        } catch (Exception e) {
            throw new IllegalStateException(name + " could not answer " + event.getRequest().getMethod(), e);
        }
    }

    private void answerInvite(ServerTransaction st, Request r) throws Exception {
        boolean reInvite = st.getDialog() != null && st.getDialog().getState() != null
                && "CONFIRMED".equals(st.getDialog().getState().toString());
        if (!reInvite) {
            st.sendResponse(messages.createResponse(100, r));
            Response ringing = messages.createResponse(180, r);
            ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag("t" + System.nanoTime());
            ringing.addHeader(contact());
            st.sendResponse(ringing);
            if (holdInvites) {
                heldInvites.put(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId(), st);
                return;
            }
        }
        Response ok = messages.createResponse(200, r);
        ok.addHeader(contact());
        ok.setContent(SDP, headers.createContentTypeHeader("application", "sdp"));
        st.sendResponse(ok);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        Response r = event.getResponse();
        if (ct == null) {
            return; // a retransmitted 2xx; the RI re-sends the ACK itself
        }
        if (r.getStatusCode() < 200) {
            provisionals.add(r.getStatusCode());
            CompletableFuture<Response> f = firstProvisional.get(ct);
            if (f != null && r.getStatusCode() > 100) {
                f.complete(r);
            }
        } else {
            CompletableFuture<Response> f = finals.get(ct);
            if (f != null) {
                f.complete(r);
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        timeouts.add(event);
        if (!event.isServerTransaction()) {
            CompletableFuture<Response> f = finals.get(event.getClientTransaction());
            if (f != null) {
                f.completeExceptionally(new AssertionError(name + ": transaction timed out"));
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        ioExceptions.add(event);
        if (event.getSource() instanceof ClientTransaction ct) {
            CompletableFuture<Response> f = finals.get(ct);
            if (f != null) {
                f.completeExceptionally(new AssertionError(name + ": transport error"));
            }
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    /** The server transaction of the next request with {@code method}, waiting at most {@link #WAIT_SECONDS}. */
    RequestEvent awaitRequest(String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            RequestEvent e = requests.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError(name + ": no " + method + " arrived within " + WAIT_SECONDS + " s");
            }
            if (e.getRequest().getMethod().equals(method)) {
                return e;
            }
        }
    }

    static ServerTransactionExt ext(ServerTransaction st) {
        return (ServerTransactionExt) st;
    }

    @Override
    public void close() {
        stack.stop();
    }
}
