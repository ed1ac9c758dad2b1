package org.dtlsip.sample.uac;

import gov.nist.javax.sip.ClientTransactionExt;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.MessageTraceFormat;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.media.session.MediaReport;
import org.dtlsip.sample.CallMedia;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.FingerprintMismatch;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.SampleStack;
import org.dtlsip.sample.Sdp;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.digest.DigestClient;
import org.dtlsip.sample.uas.Uas;
import org.dtlsip.sip.DtlsIOExceptionEvent;
import org.dtlsip.sip.DtlsMessageProcessor;
import org.dtlsip.sip.DtlsSipProperties;
import org.dtlsip.sip.DtlsUdp;

/**
 * The sample user agent client: places calls INVITE, 200, ACK, hold, BYE, 200 to one target.
 * The first call runs alone (it pays for any DTLS or TLS handshake) and the rest run
 * {@code concurrency} at a time. Times call setup from sending the INVITE to receiving its 200.
 */
public final class Uac implements SipListener, AutoCloseable {
    /** What to do; see the command's options. */
    public record Plan(String target, Transport transport, int calls, int concurrency, long holdMillis,
            long timeoutMillis, boolean ladder, boolean progress, boolean trace, MediaOptions media, Path recording,
            String dtlsProtocols) {
        /** Without media: the offer advertises plain RTP and no media flows; the library's default DTLS versions. */
        public Plan(String target, Transport transport, int calls, int concurrency, long holdMillis, long timeoutMillis,
                boolean ladder, boolean progress, boolean trace) {
            this(target, transport, calls, concurrency, holdMillis, timeoutMillis, ladder, progress, trace, null, null, null);
        }

        /**
         * With the DTLS versions offered over dtls-udp ({@code --dtls-protocols}: a
         * {@link DtlsSipProperties#PROTOCOLS} value; {@code null}: the library's default).
         */
        public Plan withDtlsProtocols(String protocols) {
            return new Plan(target, transport, calls, concurrency, holdMillis, timeoutMillis, ladder, progress, trace, media,
                    recording, protocols);
        }

        /** Without {@code --trace} and without media. */
        public Plan(String target, Transport transport, int calls, int concurrency, long holdMillis, long timeoutMillis,
                boolean ladder, boolean progress) {
            this(target, transport, calls, concurrency, holdMillis, timeoutMillis, ladder, progress, false);
        }

        /**
         * With DTLS-SRTP media in every call ({@code null}: none): the tone for
         * {@link MediaOptions#sendMillis()} instead of the hold time; the first call's received
         * audio to {@code recording} ({@code null}: not recorded).
         */
        public Plan withMedia(MediaOptions options, Path recordingOfFirstCall) {
            return new Plan(target, transport, calls, concurrency, holdMillis, timeoutMillis, ladder, progress, trace, options,
                    recordingOfFirstCall, dtlsProtocols);
        }
    }

    /**
     * Who we are and how we get there: digest credentials ({@code user} {@code null}: none),
     * whether to register our Contact first ({@code expiresSeconds} asked), and an outbound
     * proxy ({@code null}: none).
     */
    public record Signalling(String user, String password, boolean register, int expiresSeconds, String proxy) {
        public static final Signalling NONE = new Signalling(null, null, false, 0, null);
    }

    /** Requests sent per original request when challenged: the first, and a retry with credentials, and one more for a stale nonce. */
    static final int MAX_AUTH_ATTEMPTS = 3;

    /** What happened. Setup times in milliseconds; {@code first} is NaN if the first call failed. */
    public record Result(Transport transport, String target, int calls, int ok, Map<String, Integer> failures,
            double firstSetupMillis, List<Double> laterSetupMillis, double wallMillis, Wire firstWire, Wire laterWire,
            double cpuMillisFirst, double cpuMillisLater, String peerFingerprint, String suite, UacMedia.Totals media,
            String protocol) {

        public boolean allOk() {
            return ok == calls;
        }

        /** Percentile (nearest rank) of the later calls' setup times, NaN if there are none. */
        public double laterPercentile(double p) {
            if (laterSetupMillis.isEmpty()) {
                return Double.NaN;
            }
            List<Double> s = new ArrayList<>(laterSetupMillis);
            Collections.sort(s);
            int rank = (int) Math.ceil(p / 100.0 * s.size());
            return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
        }
    }

    /** A call that did not complete, with the reason shown in the summary. */
    private static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CallFailed(String reason) {
            super(reason, null, false, false);
        }
    }

    private final SampleStack sip;
    private final Plan plan;
    private final SipURI target;
    private final InetSocketAddress targetAddress;
    private final PrintStream out;
    private final Map<ClientTransaction, CompletableFuture<Response>> finals = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, String> dtlsFailures = new ConcurrentHashMap<>();
    private final Signalling signalling;
    /** The outbound proxy, {@code null} for none: a Route on every request outside a dialog. */
    private final SipURI proxy;
    /** {@code null} without {@code --user}. */
    private final DigestClient digest;
    private volatile Registration registration;
    private volatile Ladder ladder;
    private volatile String ladderCallId;
    private volatile String handshakeLine;
    /** The DTLS version the first association negotiated ({@code DTLSv1.2}, {@code DTLSv1.3}), or {@code null}. */
    private volatile String dtlsProtocol;
    /** The calls in progress, for {@link #stop()}. */
    private final CallsInFlight inFlight = new CallsInFlight();
    /** Why nothing can answer at the target (ICMP port unreachable, {@link PortProbe}); {@code null} while not known. */
    private volatile String unreachable;
    /** Counted down by {@link #stop()}: cuts a call's hold short. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final UacMedia media;

    private Uac(SampleStack sip, Plan plan, SipURI target, InetSocketAddress targetAddress, PrintStream out, Signalling signalling) {
        this.sip = sip;
        this.plan = plan;
        this.target = target;
        this.targetAddress = targetAddress;
        this.out = out;
        this.signalling = signalling;
        this.media = new UacMedia(plan.media(), plan.recording());
        try {
            this.proxy = signalling.proxy() == null ? null : parseTarget(signalling.proxy());
        } catch (SampleFailure e) {
            throw new IllegalStateException("proxy checked in start", e);
        }
        this.digest = signalling.user() == null ? null : new DigestClient(signalling.user(), signalling.password(), sip.headers);
    }

    /**
     * Creates the stack (a listening point on a free port of the target's transport).
     *
     * @throws SampleFailure one line: bad target, bad address, no way to check the server
     */
    public static Uac start(Credentials creds, Plan plan, PrintStream out) throws SampleFailure {
        return start(creds, plan, Signalling.NONE, out);
    }

    /** {@link #start(Credentials, Plan, PrintStream)} with credentials, registration and proxy. */
    public static Uac start(Credentials creds, Plan plan, Signalling signalling, PrintStream out) throws SampleFailure {
        if (signalling.register() && signalling.user() == null) {
            throw new SampleFailure("--register needs --user and --password");
        }
        if ((signalling.user() == null) != (signalling.password() == null)) {
            throw new SampleFailure("give both --user and --password");
        }
        if (signalling.register() && signalling.expiresSeconds() < 1) {
            throw new SampleFailure("--expires must be at least 1 second");
        }
        if (plan.calls() < 1 || plan.concurrency() < 1 || plan.holdMillis() < 0 || plan.timeoutMillis() < 1) {
            throw new SampleFailure("--calls and --concurrency must be at least 1, --hold-ms at least 0");
        }
        Uac[] self = new Uac[1];
        SipListener relay = new Relay(self);
        // Parse the target with a throw-away factory before there is a stack.
        SipURI uri = parseTarget(plan.target());
        Transport t = transportOf(uri, plan.transport());
        SipURI proxy = signalling.proxy() == null ? null : proxyOf(signalling.proxy(), t);
        // The first hop: the proxy if there is one (RFC 3261 8.1.2), else the target.
        SipURI first = proxy != null ? proxy : uri;
        InetAddress host;
        try {
            host = InetAddress.getByName(first.getHost());
        } catch (UnknownHostException e) {
            throw new SampleFailure("bad " + (proxy != null ? "proxy" : "target") + " address '" + first.getHost() + "': unknown host");
        }
        int port = first.getPort() > 0 ? first.getPort() : t.defaultPort();
        String local = localAddressFor(host);
        Properties extra = new Properties();
        if (Transport.isDtlsAlias(first.getTransportParam())) {
            // A target that says transport=dtls belongs to a stack that knows DTLS by that name
            // only (reSIProcate): write it in our Via and Contact too, so that it can answer.
            extra.setProperty(DtlsSipProperties.TRANSPORT_TOKEN, DtlsUdp.DTLS);
        }
        if (plan.dtlsProtocols() != null) {
            extra.setProperty(DtlsSipProperties.PROTOCOLS, plan.dtlsProtocols());
        }
        MessageTrace trace = plan.trace() ? event -> {
            Uac u = self[0];
            if (u != null) {
                u.traced(event);
            }
        } : null;
        SampleStack sip = SampleStack.start("sample-uac", SampleStack.Role.CLIENT, creds, local, Map.of(t, 0), relay, extra,
                trace);
        Uac uac = new Uac(sip, new Plan(plan.target(), t, plan.calls(), plan.concurrency(), plan.holdMillis(),
                plan.timeoutMillis(), plan.ladder(), plan.progress(), plan.trace(), plan.media(), plan.recording(), plan.dtlsProtocols()), uri,
                new InetSocketAddress(host, port), out, signalling);
        self[0] = uac;
        if (sip.dtls() != null) {
            sip.dtls().dtlsProcessor().setAssociationListener(uac.new DtlsEvents());
        }
        return uac;
    }

    private static SipURI parseTarget(String target) throws SampleFailure {
        if (target == null || target.isBlank()) {
            throw new SampleFailure("give --target SIP-URI, e.g. sip:uas@127.0.0.1:5061;transport=dtls-udp");
        }
        if (target.regionMatches(true, 0, "sips:", 0, 5)) {
            throw new SampleFailure("sips: URIs mean TLS to the SIP stack: use sip:...;transport=tls (or dtls-udp)");
        }
        String example = "e.g. sip:uas@127.0.0.1:5061;transport=dtls-udp";
        if (!target.regionMatches(true, 0, "sip:", 0, 4)) {
            throw new SampleFailure("bad --target '" + target + "': not a sip: URI (" + example + ")");
        }
        try {
            URI u = new gov.nist.javax.sip.address.AddressFactoryImpl().createURI(target);
            if (u instanceof SipURI s && s.getHost() != null && !s.getHost().isBlank()) {
                return s;
            }
        } catch (Exception e) {
            // The RI's ParseException messages print a char[] ("[C@3932c79aunexpected EOL"): say it plainly.
        }
        throw new SampleFailure("bad --target '" + target + "': not a SIP URI with a host (" + example + ")");
    }

    /**
     * {@code --proxy}: a sip: URI with {@code lr} (loose routing, RFC 3261 16.12; strict routing
     * would rewrite our Request-URI) on the call's transport.
     */
    private static SipURI proxyOf(String text, Transport t) throws SampleFailure {
        SipURI p;
        try {
            p = parseTarget(text);
        } catch (SampleFailure e) {
            throw new SampleFailure(e.getMessage().replace("--target", "--proxy"));
        }
        if (!p.hasLrParam()) {
            throw new SampleFailure("--proxy " + text + " has no ;lr: only loose routers are supported (RFC 3261 16.12)");
        }
        Transport pt;
        try {
            pt = p.getTransportParam() == null ? Transport.UDP : Transport.parse(p.getTransportParam());
        } catch (IllegalArgumentException e) {
            throw new SampleFailure("--proxy: " + e.getMessage());
        }
        if (pt != t) {
            throw new SampleFailure("--proxy is on " + pt.uriParam() + " but the call is on " + t.uriParam()
                    + ": give the proxy ;transport=" + t.uriParam());
        }
        if (p.getUser() != null) {
            throw new SampleFailure("--proxy " + text + " names a user: a proxy URI is sip:host[:port];transport=...;lr");
        }
        return p;
    }

    /** A Route to the outbound proxy on an out-of-dialog request (RFC 3261 8.1.2), if there is one. */
    private void routeViaProxy(Request r) throws Exception {
        if (proxy != null) {
            r.addFirst(sip.headers.createRouteHeader(sip.addresses.createAddress((SipURI) proxy.clone())));
        }
    }

    /** The URI's transport parameter, else {@code --transport}, else UDP; they must agree. */
    private static Transport transportOf(SipURI uri, Transport given) throws SampleFailure {
        String param = uri.getTransportParam();
        if (param == null) {
            Transport t = given == null ? Transport.UDP : given;
            if (t != Transport.UDP) {
                try {
                    uri.setTransportParam(t.uriParam());
                } catch (Exception e) {
                    throw new SampleFailure("cannot set transport " + t.uriParam() + " on " + uri);
                }
            }
            return t;
        }
        Transport t;
        try {
            t = Transport.parse(param);
        } catch (IllegalArgumentException e) {
            throw new SampleFailure("--target: " + e.getMessage());
        }
        if (given != null && given != t) {
            throw new SampleFailure("--transport " + given.uriParam() + " but the target says transport=" + param);
        }
        return t;
    }

    /** The local address that routes to {@code host} (loopback for a loopback target). */
    private static String localAddressFor(InetAddress host) throws SampleFailure {
        if (host.isLoopbackAddress()) {
            return host.getHostAddress();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(host, 9);
            return probe.getLocalAddress().getHostAddress();
        } catch (Exception e) {
            throw new SampleFailure("no route to " + host.getHostAddress() + ": " + SampleFailure.rootMessage(e));
        }
    }

    public Transport transport() {
        return plan.transport();
    }

    public String targetUri() {
        return target.toString();
    }

    /** {@code --calls}. */
    public int plannedCalls() {
        return plan.calls();
    }

    // ---------------------------------------------------------------- running

    /** Places the calls; prints the ladder (if asked) and a progress bar (on runs over a second). */
    public Result run() throws InterruptedException {
        long t0 = System.nanoTime();
        Progress progress = plan.progress() ? Progress.start(plan.calls(), out) : null;
        List<Double> later = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> failures = new TreeMap<>();
        AtomicInteger ok = new AtomicInteger();
        String[] security = new String[2];

        if (plan.transport() == Transport.UDP || plan.transport() == Transport.DTLS_UDP) {
            PortProbe.start(targetAddress, plan.transport().uriParam(), proxy != null ? "the proxy" : "sample-uas",
                    this::unreachable);
        }
        Wire w0 = Wire.loopback();
        double cpu0 = cpuMillis();
        if (plan.ladder() || plan.trace()) {
            ladder = new Ladder();
        }
        double first = Double.NaN;
        try {
            if (!inFlight.stopping()) {
                first = call(true, security);
                ok.incrementAndGet();
            }
        } catch (CallFailed e) {
            synchronized (failures) {
                failures.merge(e.getMessage(), 1, Integer::sum);
            }
        }
        if (progress != null) {
            progress.done(1, plan.calls() - ok.get());
        }
        if (ladder != null) {
            ladder.print(out, "call 1 over " + plan.transport() + " to " + target, "UAS " + hostPort(targetAddress));
            ladder = null;
        }
        Wire w1 = Wire.loopback();
        double cpu1 = cpuMillis();

        if (plan.calls() > 1 && !inFlight.stopping()) {
            AtomicInteger next = new AtomicInteger(1);
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(plan.concurrency(), plan.calls() - 1), r -> {
                Thread t = new Thread(r, "uac-call");
                t.setDaemon(true);
                return t;
            });
            for (int i = 0; i < Math.min(plan.concurrency(), plan.calls() - 1); i++) {
                pool.execute(() -> {
                    while (!inFlight.stopping() && next.getAndIncrement() < plan.calls()) {
                        try {
                            later.add(call(false, null));
                            ok.incrementAndGet();
                        } catch (CallFailed e) {
                            synchronized (failures) {
                                failures.merge(e.getMessage(), 1, Integer::sum);
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (progress != null) {
                            int failed;
                            synchronized (failures) {
                                failed = failures.values().stream().mapToInt(Integer::intValue).sum();
                            }
                            progress.done(ok.get() + failed, failed);
                        }
                    }
                });
            }
            pool.shutdown();
            // Each call is bounded by its transaction waits; this only guards against a bug.
            long bound = (plan.timeoutMillis() * 2 + plan.holdMillis()) * (plan.calls() / plan.concurrency() + 2);
            if (!pool.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        }
        if (progress != null) {
            progress.finish();
        }
        Wire w2 = Wire.loopback();
        double cpu2 = cpuMillis();
        // After a stop, the calls placed (some were never started).
        int n = inFlight.stopping() ? inFlight.started() : plan.calls();
        Map<String, Integer> f;
        synchronized (failures) {
            f = new TreeMap<>(failures);
        }
        int laterCount = n - 1;
        return new Result(plan.transport(), target.toString(), n, ok.get(), f, first, List.copyOf(later),
                (System.nanoTime() - t0) / 1e6,
                w0 == null || w1 == null ? null : w1.minus(w0),
                w1 == null || w2 == null || laterCount == 0 ? null : w2.minus(w1),
                cpu1 - cpu0, laterCount == 0 ? Double.NaN : (cpu2 - cpu1) / laterCount,
                security[0], security[1], media.totals(), dtlsProtocol);
    }

    /** One call; returns its setup time in ms. {@code security} (first call) receives fingerprint and suite. */
    private double call(boolean first, String[] security) throws CallFailed, InterruptedException {
        Dialog dialog = null;
        String callId = null;
        boolean completed = false;
        CallMedia callMedia = null;
        try {
            try {
                callMedia = media.on() ? media.open(sip.address(), first) : null;
            } catch (java.io.IOException e) {
                throw new CallFailed("media: cannot open a media port or the recording: " + SampleFailure.rootMessage(e));
            }
            Request invite = invite(callMedia == null ? Sdp.offer(sip.address(), 40000, System.currentTimeMillis())
                    : callMedia.sdp(System.currentTimeMillis()));
            callId = ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId();
            inFlight.begin(callId);
            Ladder l = first ? ladder : null;
            if (l != null) {
                ladderCallId = callId;
            }
            long start = System.nanoTime();
            if (l != null) {
                l.sent("INVITE (SDP offer)");
            }
            Exchange exchange = transact(invite, l);
            ClientTransaction ct = exchange.transaction();
            Response answer = exchange.response();
            double setup = (System.nanoTime() - start) / 1e6;
            dialog = ct.getDialog();
            if (answer.getStatusCode() / 100 != 2) {
                throw new CallFailed("INVITE answered " + answer.getStatusCode() + " " + answer.getReasonPhrase()
                        + authHint(answer));
            }
            if (security != null && plan.transport().secure()) {
                describeSecurity((ClientTransactionExt) ct, security);
            }
            long cseq = ((CSeqHeader) answer.getHeader(CSeqHeader.NAME)).getSeqNumber();
            // RFC 5763 5: the offerer may be the DTLS server, so it listens before the ACK goes.
            if (callMedia != null && !media.answered(callMedia, answer)) {
                callMedia = null;
            }
            if (l != null) {
                l.sent("ACK");
            }
            dialog.sendAck(dialog.createAck(cseq));
            inFlight.established(callId);
            MediaReport mediaReport = callMedia == null ? null : media.run(callMedia, first, stopped);
            if (mediaReport == null && plan.holdMillis() > 0) {
                stopped.await(plan.holdMillis(), TimeUnit.MILLISECONDS); // a stop hangs up at once
            }
            inFlight.ending(callId);
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction byeCt = sip.provider().getNewClientTransaction(bye);
            CompletableFuture<Response> bf = new CompletableFuture<>();
            finals.put(byeCt, bf);
            if (l != null) {
                l.sent("BYE");
            }
            dialog.sendRequest(byeCt);
            Response byeAnswer = await(byeCt, bf, "BYE");
            if (byeAnswer.getStatusCode() / 100 != 2) {
                throw new CallFailed("BYE answered " + byeAnswer.getStatusCode() + " " + byeAnswer.getReasonPhrase());
            }
            if (mediaReport != null && !mediaReport.ok()) {
                // RFC 5763 5: a peer whose certificate does not match its SDP fingerprint ends the call.
                throw new CallFailed("media: " + mediaReport.failure());
            }
            completed = true;
            return setup;
        } catch (CallFailed | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new CallFailed(reasonFor(e));
        } finally {
            if (callMedia != null) {
                callMedia.close();
            }
            if (first) {
                ladderCallId = null;
            }
            if (callId != null) {
                inFlight.end(callId, completed);
            }
        }
    }

    /** A request's client transaction and its final response. */
    private record Exchange(ClientTransaction transaction, Response response) {
    }

    /**
     * Sends {@code request} in a new client transaction and waits for its final response; a
     * 401 or 407 is answered with credentials (RFC 3261 22.2, 22.3: the same request with the
     * next CSeq and a new branch), at most {@link #MAX_AUTH_ATTEMPTS} sends in all.
     */
    private Exchange transact(Request request, Ladder l) throws Exception {
        Request r = request;
        for (int attempt = 1;; attempt++) {
            if (digest != null) {
                digest.authorize(r);
            }
            ClientTransaction ct = sip.provider().getNewClientTransaction(r);
            CompletableFuture<Response> f = new CompletableFuture<>();
            finals.put(ct, f);
            String why = unreachable; // read after the put: unreachable() fails what it finds in finals
            if (why != null) {
                finals.remove(ct);
                throw new CallFailed(why);
            }
            if (r.getMethod().equals(Request.INVITE)) {
                inFlight.inviting(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId(), ct);
            }
            ct.sendRequest();
            Response response = await(ct, f, r.getMethod());
            int status = response.getStatusCode();
            boolean challenged = status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
            if (!challenged || digest == null || attempt >= MAX_AUTH_ATTEMPTS || !digest.learn(r, response)) {
                return new Exchange(ct, response);
            }
            Request next = (Request) r.clone();
            CSeqHeader cseq = (CSeqHeader) next.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            ((ViaHeader) next.getHeader(ViaHeader.NAME)).removeParameter("branch");
            r = next;
            if (l != null) {
                l.sent(r.getMethod() + " (with credentials)");
            }
        }
    }

    /** Why a 401/407 stuck: no credentials given, or they were refused. */
    private String authHint(Response r) {
        if (r.getStatusCode() != Response.UNAUTHORIZED && r.getStatusCode() != Response.PROXY_AUTHENTICATION_REQUIRED) {
            return "";
        }
        return digest == null ? " (give --user and --password)" : " (credentials of " + digest.user() + " refused)";
    }

    /** Our address-of-record: {@code sip:USER@target-host} with {@code --user}, else {@code sip:uac@our-address}. */
    private SipURI localParty() throws Exception {
        return signalling.user() == null ? sip.addresses.createSipURI("uac", sip.address())
                : sip.addresses.createSipURI(signalling.user(), target.getHost());
    }

    /** Our Contact URI on the call's transport. */
    private SipURI contactUri() throws Exception {
        SipURI contactUri = sip.addresses.createSipURI(signalling.user() == null ? "uac" : signalling.user(), sip.address());
        contactUri.setPort(sip.port(plan.transport()));
        if (plan.transport() != Transport.UDP) {
            contactUri.setTransportParam(sip.uriTransport(plan.transport()));
        }
        return contactUri;
    }

    /**
     * Registers our Contact with the target's domain (RFC 3261 10.2: Request-URI the domain,
     * To and From the AOR) and keeps it registered until {@link #close()}.
     *
     * @throws SampleFailure if the registrar does not accept it
     */
    public void register() throws SampleFailure {
        try {
            var h = sip.headers;
            var a = sip.addresses;
            SipURI registrar = a.createSipURI(null, target.getHost());
            if (target.getPort() > 0) {
                registrar.setPort(target.getPort());
            }
            if (target.getTransportParam() != null) {
                registrar.setTransportParam(target.getTransportParam());
            }
            SipURI aor = localParty();
            ViaHeader via = h.createViaHeader(sip.address(), sip.port(plan.transport()), plan.transport().sipName(), null);
            via.setRPort();
            Request template = sip.messages.createRequest(registrar, Request.REGISTER, sip.provider().getNewCallId(),
                    h.createCSeqHeader(1L, Request.REGISTER), h.createFromHeader(a.createAddress(aor), Long.toHexString(System.nanoTime())),
                    h.createToHeader(a.createAddress(aor), null), List.of(via), h.createMaxForwardsHeader(70));
            routeViaProxy(template);
            Registration reg = new Registration(template, a.createAddress(contactUri()), signalling.expiresSeconds(), r -> {
                Exchange e = transact(r, null);
                return e.response();
            }, out::println);
            reg.start();
            registration = reg;
        } catch (SampleFailure e) {
            throw new SampleFailure(e.getMessage() + authHintFor(e.getMessage()), e);
        } catch (Exception e) {
            throw new SampleFailure("cannot register: " + SampleFailure.rootMessage(e), e);
        }
    }

    private String authHintFor(String message) {
        if (!message.contains(" 401 ") && !message.contains(" 407 ")) {
            return "";
        }
        return digest == null ? " (give --user and --password)" : " (credentials of " + digest.user() + " refused)";
    }

    /** The registration, if {@link #register()} succeeded. */
    Registration registration() {
        return registration;
    }

    private Request invite(String offer) throws Exception {
        var h = sip.headers;
        var a = sip.addresses;
        SipURI from = localParty();
        SipURI contactUri = contactUri();
        String tag = Long.toHexString(System.nanoTime());
        ViaHeader via = h.createViaHeader(sip.address(), sip.port(plan.transport()), plan.transport().sipName(), null);
        via.setRPort();
        SipURI requestUri = (SipURI) target.clone();
        Request r = sip.messages.createRequest(requestUri, Request.INVITE, sip.provider().getNewCallId(),
                h.createCSeqHeader(1L, Request.INVITE), h.createFromHeader(a.createAddress(from), tag),
                h.createToHeader(a.createAddress(target), null), List.of(via), h.createMaxForwardsHeader(70));
        r.addHeader(h.createContactHeader(a.createAddress(contactUri)));
        routeViaProxy(r);
        r.setContent(offer, h.createContentTypeHeader("application", "sdp"));
        return r;
    }

    private Response await(ClientTransaction ct, CompletableFuture<Response> f, String method)
            throws CallFailed, InterruptedException {
        try {
            return f.get(plan.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CallFailed("timeout: no final response to " + method + " within " + plan.timeoutMillis() + " ms");
        } catch (ExecutionException e) {
            throw new CallFailed(e.getCause().getMessage());
        } finally {
            finals.remove(ct);
        }
    }

    /** Why a send failed: the DTLS failure if there was one, else the innermost message. */
    private String reasonFor(Exception e) {
        String dtls = dtlsFailures.get(targetAddress);
        if (dtls != null) {
            return Uas.dtlsFailure(dtls);
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed: " + c.getMessage();
            }
        }
        return FingerprintMismatch.withFix("cannot send: " + SampleFailure.rootMessage(e));
    }

    private void describeSecurity(ClientTransactionExt ct, String[] security) {
        try {
            Certificate[] peer = ct.getPeerCertificates();
            if (peer != null && peer.length > 0 && peer[0] instanceof X509Certificate leaf) {
                security[0] = Credentials.fingerprintOf(leaf);
            }
            security[1] = ct.getCipherSuite();
        } catch (Exception e) {
            security[1] = "unknown (" + SampleFailure.rootMessage(e) + ")";
        }
    }

    private static double cpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e6;
        }
        return Double.NaN;
    }

    static String hostPort(InetSocketAddress a) {
        return org.dtlsip.dtls.util.Addresses.format(a);
    }

    /**
     * {@code --trace}: a DTLS record or handshake message goes into the first call's ladder, in
     * order with its SIP messages; outside that call (a registration, later calls) it is printed.
     */
    private void traced(MessageTrace.Event event) {
        String line = MessageTraceFormat.line(event);
        Ladder l = ladder;
        if (l != null) {
            l.dtls(line);
        } else {
            out.println("uac: dtls " + line);
        }
    }

    /** The line printed after the DTLS handshake, if there was one. */
    public String handshakeLine() {
        return handshakeLine;
    }

    // ---------------------------------------------------------------- events

    @Override
    public void processResponse(ResponseEvent event) {
        Response r = event.getResponse();
        Ladder l = ladder;
        if (l != null && ladderCallId != null
                && ladderCallId.equals(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId())) {
            String method = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod();
            l.received(r.getStatusCode() + " " + r.getReasonPhrase() + " (" + method + ")"
                    + (r.getRawContent() != null && r.getRawContent().length > 0 ? " (SDP answer)" : "")
                    + (event.getClientTransaction() == null ? " retransmission" : ""));
        }
        ClientTransaction ct = event.getClientTransaction();
        if (ct != null && r.getStatusCode() < 200 && Request.INVITE.equals(((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod())) {
            ClientTransaction toCancel = inFlight.provisional(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
            if (toCancel != null) {
                cancel(toCancel);
            }
        }
        if (ct != null && r.getStatusCode() >= 200) {
            CompletableFuture<Response> f = finals.get(ct);
            if (f != null) {
                f.complete(r);
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            CompletableFuture<Response> f = finals.get(event.getClientTransaction());
            if (f != null) {
                String method = event.getClientTransaction().getRequest().getMethod();
                f.completeExceptionally(new CallFailed("timeout: no final response to " + method
                        + " (SIP transaction timer expired)"));
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        if (event.getSource() instanceof ClientTransaction ct) {
            CompletableFuture<Response> f = finals.get(ct);
            if (f != null) {
                // The listener's reason for the target first; else the event's own (a later
                // call's handshakeStarted may have cleared the listener's by now).
                String dtls = dtlsFailures.get(targetAddress);
                String own = event instanceof DtlsIOExceptionEvent d
                        ? Uas.dtlsFailure(d.getMessage().replaceFirst("^DTLS association with \\S+ failed: ", "")) : null;
                f.completeExceptionally(new CallFailed(dtls != null ? Uas.dtlsFailure(dtls) : own != null ? own
                        : "transport error sending " + ct.getRequest().getMethod() + " to " + event.getHost() + ":" + event.getPort()
                                + " over " + event.getTransport()));
            }
        }
    }

    @Override
    public void processRequest(RequestEvent event) {
        // A UAS may end the call itself: answer its BYE.
        try {
            Request r = event.getRequest();
            if (!r.getMethod().equals(Request.ACK)) {
                var st = event.getServerTransaction() != null ? event.getServerTransaction()
                        : sip.provider().getNewServerTransaction(r);
                st.sendResponse(sip.messages.createResponse(r.getMethod().equals(Request.BYE) ? 200 : 405, r));
            }
        } catch (Exception e) {
            // the peer retransmits or gives up
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    /** The DTLS association with the UAS: when it starts, completes or fails. */
    private final class DtlsEvents implements DtlsMessageProcessor.AssociationListener {
        @Override
        public void handshakeStarted(InetSocketAddress peer) {
            dtlsFailures.remove(peer);
            Ladder l = ladder;
            if (l != null) {
                l.note("DTLS handshake starts: UAC is the DTLS client, the INVITE waits");
            }
        }

        @Override
        public void established(InetSocketAddress peer, DtlsSession session, boolean client) {
            String fp = session.peerCertificates().isEmpty() ? "none" : Credentials.fingerprintOf(session.peerCertificates().get(0));
            if (dtlsProtocol == null) {
                dtlsProtocol = session.protocol();
            }
            handshakeLine = "uac: DTLS handshake with " + hostPort(peer) + " complete: " + session.protocol() + ", suite "
                    + session.ianaCipherSuiteName() + ", server certificate " + fp;
            Ladder l = ladder;
            if (l != null) {
                l.note("DTLS handshake complete: " + session.protocol() + " " + session.ianaCipherSuiteName() + "; the INVITE goes out");
            }
        }

        @Override
        public void failed(InetSocketAddress peer, String reason) {
            dtlsFailures.put(peer, reason);
            Ladder l = ladder;
            if (l != null) {
                l.note(Uas.dtlsFailure(reason));
            }
        }
    }

    /**
     * Ends the run early (SIGINT, SIGTERM; {@link ShutdownHandler}): no more calls start, an
     * established call hangs up now (BYE), a ringing INVITE is cancelled (RFC 3261 9.1) and one
     * without a provisional response yet when that arrives. {@link #run()} then returns the calls
     * placed so far, each call still bounded by {@code --timeout-ms}.
     */
    public void stop() {
        List<ClientTransaction> ringing = inFlight.stop();
        stopped.countDown();
        ringing.forEach(this::cancel);
    }

    /** Nothing listens at the target: the calls waiting fail now with {@code reason}, and later ones do not start. */
    private void unreachable(String reason) {
        unreachable = reason;
        finals.values().forEach(f -> f.completeExceptionally(new CallFailed(reason)));
    }

    /** The calls in progress and their state, e.g. "call 2 established"; "none". */
    public String callsInProgress() {
        return inFlight.describe();
    }

    /** Calls placed, completed and failed so far (a run in progress), e.g. "2 ok, 1 failed, 1 in progress". */
    public String callsSoFar() {
        return inFlight.ok() + " ok, " + inFlight.failed() + " failed, " + inFlight.inProgress() + " in progress (of "
                + plan.calls() + " planned)";
    }

    /** CANCEL for a ringing INVITE (RFC 3261 9.1); its 487 then ends the call as failed. */
    private void cancel(ClientTransaction invite) {
        try {
            ClientTransaction cancel = sip.provider().getNewClientTransaction(invite.createCancel());
            cancel.sendRequest();
        } catch (Exception e) {
            out.println("uac: cannot CANCEL " + ((CallIdHeader) invite.getRequest().getHeader(CallIdHeader.NAME)).getCallId()
                    + ": " + SampleFailure.rootMessage(e));
        }
    }

    /** Unregisters (if registered) and stops the stack. */
    @Override
    public void close() {
        unregister();
        sip.close();
    }

    /** {@link #close()} for a process that exits next, without the RI's second of sleep ({@link SampleStack#closeForExit()}). */
    public void closeForExit() {
        unregister();
        sip.closeForExit();
    }

    private void unregister() {
        Registration r = registration;
        if (r != null) {
            registration = null;
            r.close();
        }
    }

    private record Relay(Uac[] target) implements SipListener {
        @Override
        public void processRequest(RequestEvent e) {
            if (target[0] != null) {
                target[0].processRequest(e);
            }
        }

        @Override
        public void processResponse(ResponseEvent e) {
            if (target[0] != null) {
                target[0].processResponse(e);
            }
        }

        @Override
        public void processTimeout(TimeoutEvent e) {
            if (target[0] != null) {
                target[0].processTimeout(e);
            }
        }

        @Override
        public void processIOException(IOExceptionEvent e) {
            if (target[0] != null) {
                target[0].processIOException(e);
            }
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent e) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent e) {
        }
    }
}
