package org.dtlsip.sample.uas;

import gov.nist.javax.sip.ServerTransactionExt;
import java.io.PrintStream;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.MessageTraceFormat;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.SampleStack;
import org.dtlsip.sample.Sdp;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.digest.DigestServer;
import org.dtlsip.sample.digest.NonceFactory;
import org.dtlsip.sip.DtlsMessageProcessor;

/**
 * The sample user agent server: answers INVITE with 100, 180 and 200 with an SDP answer (after
 * an optional ringing time), takes ACK, BYE, CANCEL (487 for the INVITE), OPTIONS and
 * re-INVITE, and refuses the rest with the status code RFC 3261 gives for it: 405 with Allow
 * for other methods, 415 with Accept for a body that is not SDP, 420 with Unsupported for a
 * Require it does not know, 481 for a CANCEL or BYE without a call, 488 for an offer without
 * audio. Prints one line per call when it ends and a summary on {@link #close()}.
 */
public final class Uas implements SipListener, AutoCloseable {
    static final String ALLOWED = "INVITE, ACK, BYE, CANCEL, OPTIONS";

    /**
     * Digest accounts (RFC 3261 22, RFC 8760) and the registrar they enable: REGISTER and
     * INVITE are challenged in {@code realm}; the UAS keeps the bindings of its domain (its
     * address, or the realm as a host name) and answers an INVITE only for a registered AOR.
     */
    public record Auth(String realm, Map<String, String> passwords, long nonceLifetimeMillis) {
        public Auth {
            passwords = Map.copyOf(passwords);
            if (passwords.isEmpty()) {
                throw new IllegalArgumentException("no accounts");
            }
        }

        public Auth(String realm, Map<String, String> passwords) {
            this(realm, passwords, NonceFactory.DEFAULT_LIFETIME_MILLIS);
        }
    }
    /** Registration time when a REGISTER gives none (RFC 3261 10.2.1.1 suggests an hour). */
    static final int DEFAULT_EXPIRES_SECONDS = 3600;
    private static final int MEDIA_PORT = 49170;

    private final SampleStack sip;
    private final PrintStream out;
    private final boolean quiet;
    /** {@code --trace}: a line per SIP message here, per DTLS record in the stack's {@link MessageTrace}. */
    private final boolean trace;
    private final long ringMillis;
    private final ScheduledExecutorService timer;
    private final long started = System.nanoTime();
    private final AtomicLong callNumbers = new AtomicLong();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Set<String> peersShown = ConcurrentHashMap.newKeySet();
    private final AtomicLong dtlsFailures = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Both {@code null} unless started with {@link Auth}. */
    private final DigestServer digest;
    private final Registrar registrar;
    private final UasMedia media;

    /** One INVITE dialog, from the INVITE to its BYE, CANCEL or rejection. */
    private static final class Call {
        final long number;
        final long startNanos = System.nanoTime();
        final Transport transport;
        final String peer;
        final ServerTransaction invite;
        final String toTag;
        /** The transport parameter of our Contact: the caller's name for the transport. */
        final String uriTransport;
        volatile boolean finalSent;
        volatile int reInvites;

        Call(long number, Transport transport, String peer, ServerTransaction invite, String toTag, String uriTransport) {
            this.number = number;
            this.transport = transport;
            this.peer = peer;
            this.invite = invite;
            this.toTag = toTag;
            this.uriTransport = uriTransport;
        }
    }

    private Uas(SampleStack sip, PrintStream out, boolean quiet, long ringMillis, Auth auth, boolean trace, UasMedia.Settings media) {
        this.sip = sip;
        this.media = new UasMedia(media);
        this.out = out;
        this.quiet = quiet;
        this.trace = trace;
        this.ringMillis = ringMillis;
        this.digest = auth == null ? null : new DigestServer(auth.realm(), auth.passwords(),
                new NonceFactory(auth.realm(), auth.nonceLifetimeMillis(), System::currentTimeMillis, new SecureRandom()),
                sip.headers, sip.addresses);
        this.registrar = auth == null ? null : new Registrar(System::currentTimeMillis);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "uas-ringing");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Listens and starts answering.
     *
     * @param ports transport to port (0: a free port)
     * @param quiet no line per call (the summary still prints)
     */
    public static Uas start(Credentials creds, String address, Map<Transport, Integer> ports, long ringMillis,
            boolean quiet, PrintStream out) throws SampleFailure {
        return start(creds, address, ports, ringMillis, quiet, out, null);
    }

    /** {@link #start(Credentials, String, Map, long, boolean, PrintStream)} with digest accounts and a registrar ({@code null}: none). */
    public static Uas start(Credentials creds, String address, Map<Transport, Integer> ports, long ringMillis,
            boolean quiet, PrintStream out, Auth auth) throws SampleFailure {
        return start(creds, address, ports, ringMillis, quiet, out, auth, false);
    }

    /**
     * {@link #start(Credentials, String, Map, long, boolean, PrintStream, Auth)}, and with
     * {@code trace} ({@code --trace}) a line for every SIP message received and sent and every
     * DTLS record and handshake message, as they happen.
     */
    public static Uas start(Credentials creds, String address, Map<Transport, Integer> ports, long ringMillis,
            boolean quiet, PrintStream out, Auth auth, boolean trace) throws SampleFailure {
        return start(creds, address, ports, ringMillis, quiet, out, auth, trace, null, null);
    }

    /**
     * {@link #start(Credentials, String, Map, long, boolean, PrintStream, Auth, boolean)}, and
     * DTLS-SRTP media: {@code media} {@code null} answers DTLS-SRTP offers with the stream
     * declined; otherwise each such call gets our tone and, with {@code recordDir}, a WAV file
     * of what we heard there ({@code call-N.wav}).
     */
    public static Uas start(Credentials creds, String address, Map<Transport, Integer> ports, long ringMillis,
            boolean quiet, PrintStream out, Auth auth, boolean trace, MediaOptions media, Path recordDir) throws SampleFailure {
        return start(creds, address, ports, ringMillis, quiet, out, auth, trace, media, recordDir, null);
    }

    /**
     * {@link #start(Credentials, String, Map, long, boolean, PrintStream, Auth, boolean, MediaOptions, Path)}
     * with the DTLS versions dtls-udp speaks ({@code --dtls-protocols}, a
     * {@link org.dtlsip.sip.DtlsSipProperties#PROTOCOLS} value; {@code null}: the library's default).
     */
    public static Uas start(Credentials creds, String address, Map<Transport, Integer> ports, long ringMillis,
            boolean quiet, PrintStream out, Auth auth, boolean trace, MediaOptions media, Path recordDir,
            String dtlsProtocols) throws SampleFailure {
        java.util.Properties extra = new java.util.Properties();
        if (dtlsProtocols != null) {
            extra.setProperty(org.dtlsip.sip.DtlsSipProperties.PROTOCOLS, dtlsProtocols);
        }
        Uas[] self = new Uas[1];
        SipListener relay = new Relay(self);
        MessageTrace dtlsTrace = trace ? event -> out.println("uas: dtls " + MessageTraceFormat.line(event)) : null;
        SampleStack sip = SampleStack.start("sample-uas", SampleStack.Role.SERVER, creds, address, ports, relay,
                extra, dtlsTrace);
        Uas uas = new Uas(sip, out, quiet, ringMillis, auth, trace, new UasMedia.Settings(media, recordDir));
        self[0] = uas;
        if (sip.dtls() != null) {
            sip.dtls().dtlsProcessor().setAssociationListener(uas.new DtlsEvents());
        }
        return uas;
    }

    public SampleStack sip() {
        return sip;
    }

    public int port(Transport t) {
        return sip.port(t);
    }

    /** "DTLS-UDP 127.0.0.1:5061, UDP 127.0.0.1:5060". */
    public String describeListeners() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Transport, ListeningPoint> e : sip.listeningPoints().entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey().sipName()).append(' ').append(sip.address()).append(':').append(e.getValue().getPort());
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- requests

    @Override
    public void processRequest(RequestEvent event) {
        Request r = event.getRequest();
        String method = r.getMethod();
        requests.computeIfAbsent(method, k -> new LongAdder()).increment();
        if (trace) {
            out.println("uas: sip <<< " + method + " " + r.getRequestURI() + " from " + peer(r) + " over " + transport(r).sipName());
        }
        try {
            switch (method) {
                // The call's line is printed at BYE; a 2xx ACK ends the INVITE transaction and starts the media.
                case Request.ACK -> media.acknowledged(callId(r));
                case Request.INVITE -> invite(event);
                case Request.BYE -> bye(event);
                case Request.CANCEL -> cancel(event);
                case Request.REGISTER -> {
                    if (registrar == null) {
                        Response no = response(405, r);
                        allow(no);
                        send(serverTransaction(event), no);
                    } else {
                        register(event);
                    }
                }
                case Request.OPTIONS -> {
                    Response ok = response(200, r);
                    allow(ok);
                    ok.addHeader(sip.headers.createAcceptHeader("application", "sdp"));
                    send(serverTransaction(event), ok);
                }
                default -> {
                    Response no = response(405, r);
                    allow(no);
                    send(serverTransaction(event), no);
                }
            }
        } catch (TransactionAlreadyExistsException e) {
            // a retransmission racing its transaction's creation: the transaction answers it
        } catch (Exception e) {
            out.println("uas: could not answer " + method + ": " + SampleFailure.rootMessage(e));
        }
    }

    private void invite(RequestEvent event) throws Exception {
        Request r = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        showSecurity(r, st);
        if (st.getDialog() != null && st.getDialog().getState() == DialogState.CONFIRMED) {
            reInvite(r, st);
            return;
        }
        String callId = callId(r);
        if (digest != null && !authenticated(r, st)) {
            return;
        }
        Call call = new Call(callNumbers.incrementAndGet(), transport(r), peer(r), st, "uas" + Long.toHexString(System.nanoTime()),
                uriTransport(r));
        if (registrar != null) {
            String aor = aorOf(r.getRequestURI());
            if (aor == null || !registrar.isRegistered(aor)) {
                reject(call, st, response(404, r), r.getRequestURI() + " is not registered here");
                return;
            }
        }
        String unsupported = unsupportedRequire(r);
        if (unsupported != null) {
            Response bad = response(420, r);
            bad.addHeader(sip.headers.createUnsupportedHeader(unsupported));
            reject(call, st, bad, "unsupported extension " + unsupported);
            return;
        }
        String offer = sdpBody(r);
        if (offer == null && r.getRawContent() != null && r.getRawContent().length > 0) {
            Response bad = response(415, r);
            bad.addHeader(sip.headers.createAcceptHeader("application", "sdp"));
            reject(call, st, bad, "body is not application/sdp");
            return;
        }
        String secure;
        try {
            secure = offer == null ? null : media.answer(callId, call.number, offer, sip.address());
        } catch (IllegalArgumentException e) {
            reject(call, st, response(488, r), "offer SDP: " + e.getMessage());
            return;
        }
        String body = secure != null ? secure : offer == null ? Sdp.offer(sip.address(), MEDIA_PORT, call.number)
                : Sdp.answer(offer, sip.address(), MEDIA_PORT, call.number);
        if (body == null) {
            reject(call, st, response(488, r), "offer has no audio");
            return;
        }
        calls.put(callId, call);
        send(st, response(100, r));
        Response ringing = response(180, r);
        ((ToHeader) ringing.getHeader(ToHeader.NAME)).setTag(call.toTag);
        ringing.addHeader(contact(call.transport, call.uriTransport));
        send(st, ringing);
        if (ringMillis > 0) {
            timer.schedule(() -> answer(call, r, body), ringMillis, TimeUnit.MILLISECONDS);
        } else {
            answer(call, r, body);
        }
    }

    private void answer(Call call, Request invite, String body) {
        synchronized (call) {
            if (call.finalSent) {
                return; // cancelled while ringing
            }
            call.finalSent = true;
        }
        try {
            Response ok = response(200, invite);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(call.toTag);
            ok.addHeader(contact(call.transport, call.uriTransport));
            ok.setContent(body, sdpType());
            send(call.invite, ok);
        } catch (Exception e) {
            end(call, "INVITE 200 not sent: " + SampleFailure.rootMessage(e), "failed");
        }
    }

    private void reInvite(Request r, ServerTransaction st) throws Exception {
        Call call = calls.get(callId(r));
        if (call != null) {
            call.reInvites++;
        }
        String offer = sdpBody(r);
        if (offer == null && r.getRawContent() != null && r.getRawContent().length > 0) {
            Response bad = response(415, r);
            bad.addHeader(sip.headers.createAcceptHeader("application", "sdp"));
            send(st, bad);
            return;
        }
        long version = call == null ? 1 : call.number;
        String body = offer == null ? Sdp.offer(sip.address(), MEDIA_PORT, version) : Sdp.answer(offer, sip.address(), MEDIA_PORT, version);
        if (body == null) {
            send(st, response(488, r));
            return;
        }
        Response ok = response(200, r);
        ok.addHeader(contact(transport(r), uriTransport(r)));
        ok.setContent(body, sdpType());
        send(st, ok);
    }

    private void bye(RequestEvent event) throws Exception {
        Request r = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        if (st.getDialog() == null) {
            send(st, response(481, r));
            return;
        }
        // Counted before the 200 leaves: a caller that sees the 200 sees the call completed, and
        // its media ended and reported.
        Call call = calls.remove(callId(r));
        List<String> mediaLines = media.ended(callId(r));
        if (call != null) {
            String re = call.reInvites > 0 ? ", " + call.reInvites + " re-INVITE" : "";
            end(call, "INVITE 200, ACK" + re + ", BYE 200 (" + seconds(call) + ")", "completed");
        }
        for (String line : mediaLines) {
            note("uas:   media " + line);
        }
        send(st, response(200, r));
    }

    /**
     * Whether {@code r} carries good credentials; if not, it has been answered 401 with our
     * challenges (stale=true when only the nonce had expired, RFC 7616 3.3).
     */
    private boolean authenticated(Request r, ServerTransaction st) throws Exception {
        if (digest.check(r) instanceof DigestServer.Outcome.Challenge c) {
            Response challenge = response(401, r);
            for (WWWAuthenticateHeader h : digest.challenges(c.stale())) {
                challenge.addHeader(h);
            }
            send(st, challenge);
            return false;
        }
        return true;
    }

    /**
     * A registrar for our domain (RFC 3261 10.3): authenticate (step 5), the AOR from To must be
     * ours (step 3, else 404) and the authenticated user's (step 6, else 403), then bind,
     * refresh or remove each Contact (step 7) and answer every binding with its expires
     * (step 8). Not done: the Call-ID/CSeq ordering check of step 7, and a minimum expires.
     */
    private void register(RequestEvent event) throws Exception {
        Request r = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        DigestServer.Outcome outcome = digest.check(r);
        if (!(outcome instanceof DigestServer.Outcome.Authenticated user)) {
            authenticated(r, st);
            return;
        }
        String aor = aorOf(((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().getURI());
        if (aor == null) {
            send(st, response(404, r));
            return;
        }
        if (!aor.equals(user.user())) {
            send(st, response(403, r));
            return;
        }
        ExpiresHeader expires = r.getExpires();
        int requested = expires == null ? DEFAULT_EXPIRES_SECONDS : expires.getExpires();
        List<ContactHeader> contacts = new ArrayList<>();
        r.getHeaders(ContactHeader.NAME).forEachRemaining(h -> contacts.add((ContactHeader) h));
        if (contacts.stream().anyMatch(ContactHeader::isWildCard)) {
            // RFC 3261 10.3 step 6: "*" only alone and with Expires: 0.
            if (contacts.size() != 1 || expires == null || expires.getExpires() != 0) {
                send(st, response(400, r));
                return;
            }
            registrar.removeAll(aor);
            note("uas: " + aor + " unregistered every contact (from " + peer(r) + ")");
        } else {
            for (ContactHeader c : contacts) {
                int seconds = c.getExpires() >= 0 ? c.getExpires() : requested;
                if (!registrar.update(aor, c.getAddress().getURI(), seconds)) {
                    send(st, response(403, r));
                    return;
                }
                note(seconds == 0 ? "uas: " + aor + " unregistered " + c.getAddress().getURI()
                        : "uas: " + aor + " registered " + c.getAddress().getURI() + " for "
                                + Math.min(seconds, Registrar.MAX_EXPIRES_SECONDS) + " s");
            }
        }
        Response ok = response(200, r);
        long now = registrar.now();
        for (Registrar.Binding b : registrar.bindings(aor)) {
            ContactHeader c = sip.headers.createContactHeader(sip.addresses.createAddress(b.contact()));
            c.setExpires(b.secondsLeft(now));
            ok.addHeader(c);
        }
        ok.addHeader(sip.headers.createDateHeader(Calendar.getInstance(TimeZone.getTimeZone("GMT"))));
        send(st, ok);
    }

    /**
     * The AOR key (the user part) of {@code uri} if it is in our domain: our address, or the
     * realm used as a host name; {@code null} otherwise.
     */
    private String aorOf(URI uri) {
        if (!(uri instanceof SipURI s) || s.getUser() == null) {
            return null;
        }
        String host = s.getHost();
        boolean ours = host.equalsIgnoreCase(sip.address()) || host.equalsIgnoreCase(digest.realm());
        return ours ? s.getUser() : null;
    }

    private void note(String line) {
        if (!quiet) {
            out.println(line);
        }
    }

    /** RFC 3261 9.2: 200 to the CANCEL and, if the INVITE is still unanswered, 487 to it. */
    private void cancel(RequestEvent event) throws Exception {
        Request r = event.getRequest();
        ServerTransaction st = serverTransaction(event);
        Call call = calls.get(callId(r));
        if (call == null) {
            send(st, response(481, r));
            return;
        }
        send(st, response(200, r));
        boolean terminate;
        synchronized (call) {
            terminate = !call.finalSent;
            call.finalSent = true;
        }
        if (terminate) {
            Response terminated = response(487, call.invite.getRequest());
            ((ToHeader) terminated.getHeader(ToHeader.NAME)).setTag(call.toTag);
            send(call.invite, terminated);
            calls.remove(callId(r));
            media.discard(callId(r));
            end(call, "INVITE 487, CANCEL 200 (cancelled while ringing)", "cancelled");
        }
    }

    private void reject(Call call, ServerTransaction st, Response response, String why) throws Exception {
        call.finalSent = true;
        send(st, response);
        end(call, "INVITE " + response.getStatusCode() + " (" + why + ")", "rejected " + response.getStatusCode());
    }

    private void end(Call call, String what, String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        if (!quiet) {
            out.println("uas: call " + call.number + " over " + call.transport + " from " + call.peer + ": " + what);
        }
    }

    // ---------------------------------------------------------------- helpers

    private ServerTransaction serverTransaction(RequestEvent event) throws Exception {
        ServerTransaction st = event.getServerTransaction();
        return st != null ? st : sip.provider().getNewServerTransaction(event.getRequest());
    }

    private Response response(int status, Request r) throws Exception {
        return sip.messages.createResponse(status, r);
    }

    private void send(ServerTransaction st, Response response) throws Exception {
        if (trace) {
            out.println("uas: sip >>> " + response.getStatusCode() + " " + response.getReasonPhrase() + " ("
                    + ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod() + ")");
        }
        st.sendResponse(response);
        responses.computeIfAbsent(response.getStatusCode(), k -> new LongAdder()).increment();
    }

    private void allow(Response r) throws Exception {
        AllowHeader allow = sip.headers.createAllowHeader(registrar == null ? ALLOWED : ALLOWED + ", REGISTER");
        r.addHeader(allow);
    }

    private ContentTypeHeader sdpType() throws Exception {
        return sip.headers.createContentTypeHeader("application", "sdp");
    }

    /** Our Contact for a dialog on {@code t}, with the transport parameter (RFC 3261 12.1.1). */
    private ContactHeader contact(Transport t, String uriTransport) throws Exception {
        SipURI uri = sip.addresses.createSipURI("uas", sip.address());
        uri.setPort(sip.port(t));
        if (t != Transport.UDP) {
            uri.setTransportParam(uriTransport);
        }
        return sip.headers.createContactHeader(sip.addresses.createAddress(uri));
    }

    /**
     * The transport parameter for our Contact in a dialog {@code r} starts: for DTLS, the name
     * the caller used in its Via ({@code dtls} for reSIProcate, which routes no other), so that
     * its in-dialog requests can reach us.
     */
    private String uriTransport(Request r) {
        Transport t = transport(r);
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        return t == Transport.DTLS_UDP && Transport.isDtlsAlias(via.getTransport()) ? "dtls" : sip.uriTransport(t);
    }

    /** The SDP body, or {@code null} if there is none or it is another type. */
    private static String sdpBody(Request r) {
        byte[] raw = r.getRawContent();
        ContentTypeHeader type = (ContentTypeHeader) r.getHeader(ContentTypeHeader.NAME);
        if (raw == null || raw.length == 0 || type == null) {
            return null;
        }
        if (!type.getContentType().equalsIgnoreCase("application") || !type.getContentSubType().equalsIgnoreCase("sdp")) {
            return null;
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** RFC 3261 8.2.2.3: an option in Require that we do not support (we support none). */
    private static String unsupportedRequire(Request r) {
        var it = r.getHeaders(RequireHeader.NAME);
        while (it.hasNext()) {
            return ((RequireHeader) it.next()).getOptionTag();
        }
        return null;
    }

    private static String callId(Request r) {
        return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
    }

    /**
     * The transport the request came over, from its top Via (the RI delivers only what our
     * listening points received). No guess: a transport we do not speak is an error, reported
     * as "could not answer".
     */
    private static Transport transport(Request r) {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        return Transport.parse(via.getTransport());
    }

    /** Where the request came from: the top Via's received/rport, as RFC 3581 says to answer. */
    private static String peer(Request r) {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        String host = via.getReceived() != null ? via.getReceived() : via.getHost();
        int port = via.getRPort() > 0 ? via.getRPort() : via.getPort();
        return host + ":" + port;
    }

    private String seconds(Call call) {
        return String.format("%.2f s", (System.nanoTime() - call.startNanos) / 1e9);
    }

    /** Once per TLS peer: suite and client certificate (DTLS-UDP peers are shown by {@link DtlsEvents}). */
    private void showSecurity(Request r, ServerTransaction st) {
        Transport t = transport(r);
        if (t != Transport.TLS || quiet || !peersShown.add(t + " " + peer(r))) {
            return;
        }
        try {
            ServerTransactionExt ext = (ServerTransactionExt) st;
            out.println("uas: TLS peer " + peer(r) + ": suite " + ext.getCipherSuite() + ", " + clientCertificate(ext.getPeerCertificates()));
        } catch (Exception e) {
            out.println("uas: TLS peer " + peer(r) + ": " + SampleFailure.rootMessage(e));
        }
    }

    private static String clientCertificate(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return "no client certificate";
        }
        return "client certificate " + Credentials.fingerprintOf(leaf);
    }

    /** "DTLS handshake failed: why", whether or not the engine's reason already says "handshake failed". */
    public static String dtlsFailure(String reason) {
        String r = org.dtlsip.sample.FingerprintMismatch.withFix(reason);
        return r.startsWith("handshake failed") ? "DTLS " + r : "DTLS association failed: " + r;
    }

    /** DTLS associations of the DTLS-UDP listening point, one line each (on the SIP thread). */
    private final class DtlsEvents implements DtlsMessageProcessor.AssociationListener {
        @Override
        public void established(InetSocketAddress peer, DtlsSession session, boolean client) {
            if (!quiet) {
                out.println("uas: DTLS-UDP peer " + org.dtlsip.dtls.util.Addresses.format(peer)
                        + ": handshake complete, " + session.protocol() + ", suite " + session.ianaCipherSuiteName() + ", "
                        + clientCertificate(session.peerCertificates().toArray(new Certificate[0])));
            }
        }

        @Override
        public void failed(InetSocketAddress peer, String reason) {
            dtlsFailures.incrementAndGet();
            out.println("uas: DTLS-UDP peer " + org.dtlsip.dtls.util.Addresses.format(peer)
                    + ": " + dtlsFailure(reason) + " (still serving)");
        }
    }

    // ---------------------------------------------------------------- other events

    @Override
    public void processResponse(ResponseEvent event) {
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            Request r = event.getServerTransaction().getRequest();
            Call call = calls.remove(callId(r));
            media.discard(callId(r));
            if (call != null) {
                end(call, "INVITE 200 sent, no ACK (timeout)", "no ACK");
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        if (!quiet) {
            out.println("uas: cannot send to " + event.getHost() + ":" + event.getPort() + " over " + event.getTransport());
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    // ---------------------------------------------------------------- summary

    /** Counts so far: calls by outcome, requests by method, responses by status. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("uas: summary after %.1f s on %s%n", (System.nanoTime() - started) / 1e9, describeListeners()));
        sb.append("uas:   calls      ").append(counts(outcomes, "none")).append('\n');
        sb.append("uas:   requests   ").append(counts(requests, "none")).append('\n');
        sb.append("uas:   responses  ").append(counts(responses, "none")).append('\n');
        if (media.on()) {
            sb.append("uas:   media      ").append(media.ok()).append(" DTLS-SRTP calls ok, ").append(media.failed())
                    .append(" failed\n");
        }
        if (sip.dtls() != null) {
            DtlsMessageProcessor p = sip.dtls().dtlsProcessor();
            sb.append("uas:   DTLS-UDP   ").append(p.handshakesCompleted()).append(" handshakes completed, ")
                    .append(dtlsFailures.get()).append(" failed, ").append(p.associationCount()).append(" associations open\n");
        }
        return sb.toString();
    }

    /** Calls ended by BYE so far. */
    public long completedCalls() {
        LongAdder a = outcomes.get("completed");
        return a == null ? 0 : a.sum();
    }

    private static <K> String counts(Map<K, LongAdder> m, String none) {
        if (m.isEmpty()) {
            return none;
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(m).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v.sum()));
        return sb.toString();
    }

    /** Stops the stack; the summary is the caller's to print. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            timer.shutdownNow();
            media.closeAll();
            sip.close();
        }
    }

    /** Hands events to the Uas once it exists (the stack is created before the Uas). */
    private record Relay(Uas[] target) implements SipListener {
        /** Passes an event on, or drops it while the stack is still starting (the peer retransmits). */
        private void forward(java.util.function.Consumer<Uas> call) {
            Uas u = target[0];
            if (u != null) {
                call.accept(u);
            }
        }

        @Override
        public void processRequest(RequestEvent e) {
            forward(u -> u.processRequest(e));
        }

        @Override
        public void processResponse(ResponseEvent e) {
            forward(u -> u.processResponse(e));
        }

        @Override
        public void processTimeout(TimeoutEvent e) {
            forward(u -> u.processTimeout(e));
        }

        @Override
        public void processIOException(IOExceptionEvent e) {
            forward(u -> u.processIOException(e));
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent e) {
            forward(u -> u.processTransactionTerminated(e));
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent e) {
            forward(u -> u.processDialogTerminated(e));
        }
    }
}
