package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleStack;
import org.dtlsip.sample.Sdp;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The sample UAS beyond the basic call, over UDP and DTLS-UDP: CANCEL while ringing (487 to the
 * INVITE, 200 to the CANCEL), re-INVITE (200 with an SDP answer), OPTIONS (200 with Allow), and
 * the rejections it implements (405 with Allow, 415 with Accept, 420 with Unsupported, 481, 488).
 * The 481s are on the wire whoever sends them: with the RI's defaults its dialog layer answers a
 * BYE without a dialog and a CANCEL without an INVITE before the UAS's listener sees them.
 * Two UASs run in-process (one answering at once, one ringing {@value #RING_MS} ms first) and one
 * minimal JAIN-SIP client stack per transport drives them; every wait is bounded.
 */
@Timeout(60)
class UasMethodsTest {
    static final long RING_MS = 2000;
    static final long WAIT_MS = 5000;
    static final String ALLOWED = "INVITE, ACK, BYE, CANCEL, OPTIONS";

    static Uas answering;
    static Uas ringing;
    static final Captured uasOut = new Captured();
    static final Map<Transport, Client> clients = new EnumMap<>(Transport.class);

    @BeforeAll
    static void start() throws Exception {
        Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
        Map<Transport, Integer> ports = Map.of(Transport.UDP, 0, Transport.DTLS_UDP, 0);
        answering = Uas.start(uasCreds, "127.0.0.1", ports, 0, false, uasOut.stream);
        ringing = Uas.start(uasCreds, "127.0.0.1", ports, RING_MS, false, uasOut.stream);
        // The client pins the UAS's certificate, as bin/sample-uac --fingerprint does.
        Credentials clientCreds = Credentials.of(null, null, "uas-methods-test", null, List.of(uasCreds.fingerprint()));
        for (Transport t : List.of(Transport.UDP, Transport.DTLS_UDP)) {
            clients.put(t, new Client(t, clientCreds));
        }
    }

    @AfterAll
    static void stop() {
        for (Client c : clients.values()) {
            c.close();
        }
        for (Uas u : new Uas[] {answering, ringing}) {
            if (u != null) {
                u.close();
                uasOut.stream.print(u.summary());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void cancelWhileRingingGets487ForTheInviteAnd200ForTheCancel(Transport t) throws Exception {
        Client c = clients.get(t);
        Exchange invite = c.send(c.request(ringing, Request.INVITE, null, sdpOffer()));
        // The UAS rings for RING_MS before answering: CANCEL as soon as the 180 is here.
        Response ringingResponse = invite.next();
        while (ringingResponse.getStatusCode() == 100) {
            ringingResponse = invite.next();
        }
        assertEquals(180, ringingResponse.getStatusCode(), "INVITE rings before its final response");

        Exchange cancel = c.send(invite.ct.createCancel());
        assertEquals(200, cancel.finalResponse().getStatusCode(), "CANCEL");
        Response terminated = invite.finalResponse();
        assertEquals(487, terminated.getStatusCode(), "INVITE");
        assertEquals(((ToHeader) ringingResponse.getHeader(ToHeader.NAME)).getTag(),
                ((ToHeader) terminated.getHeader(ToHeader.NAME)).getTag(), "487 in the 180's early dialog");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void cancelWithoutItsInviteGets481(Transport t) throws Exception {
        Client c = clients.get(t);
        // Our stack will not send a CANCEL without its INVITE (RFC 3261 9.1), so it goes statelessly.
        Request cancel = c.request(answering, Request.CANCEL, null, null);
        ((ViaHeader) cancel.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK-no-such-invite-" + System.nanoTime());
        assertEquals(481, c.sendStateless(cancel).finalResponse().getStatusCode());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void reInviteGets200WithAnSdpAnswerThenByeGets200(Transport t) throws Exception {
        Client c = clients.get(t);
        Exchange invite = c.send(c.request(answering, Request.INVITE, null, sdpOffer()));
        Response ok = invite.finalResponse();
        assertEquals(200, ok.getStatusCode());
        // The client stack delivers responses on a thread pool, so the 100 and 180 may come in any
        // order, even after the 200: only check that nothing else came before it.
        assertTrue(List.of(100, 180).containsAll(invite.provisionals), "provisionals " + invite.provisionals);
        assertSdp(ok);
        Dialog dialog = invite.ct.getDialog();
        dialog.sendAck(dialog.createAck(((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber()));

        Request reInvite = dialog.createRequest(Request.INVITE);
        reInvite.setContent(sdpOffer(), c.sip.headers.createContentTypeHeader("application", "sdp"));
        Exchange re = c.sendInDialog(dialog, reInvite);
        Response reOk = re.finalResponse();
        assertEquals(200, reOk.getStatusCode(), "re-INVITE");
        assertTrue(!re.provisionals.contains(180), "no ringing on a re-INVITE: " + re.provisionals);
        assertSdp(reOk);
        long reCseq = ((CSeqHeader) reOk.getHeader(CSeqHeader.NAME)).getSeqNumber();
        assertEquals(((CSeqHeader) reInvite.getHeader(CSeqHeader.NAME)).getSeqNumber(), reCseq);
        dialog.sendAck(dialog.createAck(reCseq));

        Exchange bye = c.sendInDialog(dialog, dialog.createRequest(Request.BYE));
        assertEquals(200, bye.finalResponse().getStatusCode(), "BYE");
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void optionsGets200WithAllowAndAccept(Transport t) throws Exception {
        Client c = clients.get(t);
        Response ok = c.send(c.request(answering, Request.OPTIONS, null, null)).finalResponse();
        assertEquals(200, ok.getStatusCode());
        assertAllow(ok);
        assertAcceptsSdp(ok);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void unsupportedMethodsGet405WithAllow(Transport t) throws Exception {
        Client c = clients.get(t);
        Request subscribe = c.request(answering, Request.SUBSCRIBE, null, null);
        subscribe.addHeader(c.sip.headers.createEventHeader("presence"));
        subscribe.addHeader(c.sip.headers.createExpiresHeader(60));
        for (Request r : List.of(subscribe, c.request(answering, Request.INFO, null, null),
                c.request(answering, Request.MESSAGE, null, null))) {
            Response no = c.send(r).finalResponse();
            assertEquals(405, no.getStatusCode(), r.getMethod());
            assertAllow(no);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void byeForAnUnknownDialogGets481(Transport t) throws Exception {
        Client c = clients.get(t);
        Response no = c.send(c.request(answering, Request.BYE, "no-such-dialog", null)).finalResponse();
        assertEquals(481, no.getStatusCode());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void inviteRejections415And420And488(Transport t) throws Exception {
        Client c = clients.get(t);
        var h = c.sip.headers;

        Request text = c.request(answering, Request.INVITE, null, null);
        text.setContent("hello", h.createContentTypeHeader("text", "plain"));
        Response r415 = c.send(text).finalResponse();
        assertEquals(415, r415.getStatusCode(), "INVITE with a text/plain body");
        assertAcceptsSdp(r415);

        Request require = c.request(answering, Request.INVITE, null, sdpOffer());
        require.addHeader(h.createRequireHeader("no-such-extension"));
        Response r420 = c.send(require).finalResponse();
        assertEquals(420, r420.getStatusCode(), "INVITE requiring an unknown extension");
        UnsupportedHeader unsupported = (UnsupportedHeader) r420.getHeader(UnsupportedHeader.NAME);
        assertNotNull(unsupported, "420 carries Unsupported");
        assertEquals("no-such-extension", unsupported.getOptionTag());

        String videoOnly = "v=0\r\no=test 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
        Response r488 = c.send(c.request(answering, Request.INVITE, null, videoOnly)).finalResponse();
        assertEquals(488, r488.getStatusCode(), "INVITE offering no audio");
    }

    // ---------------------------------------------------------------- assertions

    private static String sdpOffer() {
        return Sdp.offer("127.0.0.1", 40000, 1);
    }

    private static void assertSdp(Response r) {
        ContentTypeHeader type = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        assertNotNull(type, "Content-Type");
        assertEquals("application/sdp", type.getContentType() + "/" + type.getContentSubType());
        String body = new String(r.getRawContent(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("v=0\r\n"), body);
        assertTrue(body.contains("m=audio 49170 RTP/AVP 0\r\n"), "answer takes the first offered format:\n" + body);
    }

    private static void assertAllow(Response r) {
        List<String> methods = new ArrayList<>();
        r.getHeaders(AllowHeader.NAME).forEachRemaining(a -> methods.add(((AllowHeader) a).getMethod()));
        assertEquals(List.of(ALLOWED.split(", ")), methods, "Allow of " + r.getStatusCode());
    }

    private static void assertAcceptsSdp(Response r) {
        AcceptHeader accept = (AcceptHeader) r.getHeader(AcceptHeader.NAME);
        assertNotNull(accept, "Accept on " + r.getStatusCode());
        assertEquals("application/sdp", accept.getContentType() + "/" + accept.getContentSubType());
    }

    // ---------------------------------------------------------------- the client

    /** The responses of one client transaction, in order; waits are bounded by {@link #WAIT_MS}. */
    static final class Exchange {
        final ClientTransaction ct;
        final Request request;
        final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        final List<Integer> provisionals = new ArrayList<>();

        Exchange(ClientTransaction ct) {
            this.ct = ct;
            this.request = ct.getRequest();
        }

        Exchange(Request statelessRequest) {
            this.ct = null;
            this.request = statelessRequest;
        }

        /** The next response, provisional or final. */
        Response next() throws InterruptedException {
            Response r = responses.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            if (r == null) {
                throw new AssertionError("no response to " + request.getMethod() + " within " + WAIT_MS + " ms");
            }
            if (r.getStatusCode() < 200) {
                provisionals.add(r.getStatusCode());
            }
            return r;
        }

        /** The final response; provisional ones are recorded in {@link #provisionals}. */
        Response finalResponse() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (true) {
                long left = deadline - System.nanoTime();
                Response r = left > 0 ? responses.poll(left, TimeUnit.NANOSECONDS) : null;
                if (r == null) {
                    throw new AssertionError("no final response to " + request.getMethod() + " within " + WAIT_MS + " ms");
                }
                if (r.getStatusCode() >= 200) {
                    return r;
                }
                provisionals.add(r.getStatusCode());
            }
        }
    }

    /** A JAIN-SIP stack on one transport (a free port on 127.0.0.1) that sends requests and collects responses. */
    static final class Client implements SipListener, AutoCloseable {
        final Transport transport;
        final SampleStack sip;
        private final Map<ClientTransaction, Exchange> exchanges = new ConcurrentHashMap<>();
        private final Map<String, Exchange> stateless = new ConcurrentHashMap<>();
        private final AtomicLong tags = new AtomicLong();

        Client(Transport transport, Credentials creds) throws Exception {
            this.transport = transport;
            this.sip = SampleStack.start("uas-methods-test", SampleStack.Role.CLIENT, creds, "127.0.0.1",
                    Map.of(transport, 0), this);
        }

        /** An out-of-dialog request to {@code uas}; {@code toTag} non-null makes it look in-dialog. */
        Request request(Uas uas, String method, String toTag, String sdp) throws Exception {
            var h = sip.headers;
            var a = sip.addresses;
            SipURI target = a.createSipURI("uas", "127.0.0.1");
            target.setPort(uas.port(transport));
            SipURI contact = a.createSipURI("uac", sip.address());
            contact.setPort(sip.port(transport));
            if (transport != Transport.UDP) {
                target.setTransportParam(transport.uriParam());
                contact.setTransportParam(transport.uriParam());
            }
            ViaHeader via = h.createViaHeader(sip.address(), sip.port(transport), transport.sipName(), null);
            via.setRPort();
            Request r = sip.messages.createRequest(target, method, sip.provider().getNewCallId(),
                    h.createCSeqHeader(1L, method), h.createFromHeader(a.createAddress(contact), "t" + tags.incrementAndGet()),
                    h.createToHeader(a.createAddress(target), toTag), List.of(via), h.createMaxForwardsHeader(70));
            r.addHeader(h.createContactHeader(a.createAddress(contact)));
            if (sdp != null) {
                r.setContent(sdp, h.createContentTypeHeader("application", "sdp"));
            }
            return r;
        }

        Exchange send(Request r) throws Exception {
            ClientTransaction ct = sip.provider().getNewClientTransaction(r);
            Exchange e = new Exchange(ct);
            exchanges.put(ct, e);
            ct.sendRequest();
            return e;
        }

        /** Sends without a client transaction (no retransmission: loopback does not lose it). */
        Exchange sendStateless(Request r) throws Exception {
            Exchange e = new Exchange(r);
            stateless.put(callId(r), e);
            sip.provider().sendRequest(r);
            return e;
        }

        private static String callId(javax.sip.message.Message m) {
            return ((CallIdHeader) m.getHeader(CallIdHeader.NAME)).getCallId();
        }

        Exchange sendInDialog(Dialog dialog, Request r) throws Exception {
            ClientTransaction ct = sip.provider().getNewClientTransaction(r);
            Exchange e = new Exchange(ct);
            exchanges.put(ct, e);
            dialog.sendRequest(ct);
            return e;
        }

        @Override
        public void processResponse(ResponseEvent event) {
            ClientTransaction ct = event.getClientTransaction();
            Exchange e = ct == null ? stateless.get(callId(event.getResponse())) : exchanges.get(ct);
            if (e != null) { // else a retransmitted 2xx, already answered by our ACK
                e.responses.add(event.getResponse());
            }
        }

        @Override
        public void processRequest(RequestEvent event) {
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
        }

        @Override
        public void close() {
            sip.close();
        }
    }
}
