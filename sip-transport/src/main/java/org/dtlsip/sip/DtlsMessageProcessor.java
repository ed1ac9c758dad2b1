package org.dtlsip.sip;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.TlsSecurityPolicy;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.io.DtlsServer;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.util.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS-UDP listening socket of a SIP stack: one {@link DtlsServer} port carries every
 * association, server role for peers that connect to us and client role (from the same port,
 * so the 5-tuple is stable) for peers we send to first. One association per peer address,
 * reused by every transaction and dialog with that peer, closed after an idle time.
 *
 * <p>Threads: the DtlsServer thread only hands events over; one "dtls-sip" thread per
 * processor parses and dispatches incoming SIP messages, opens links after handshakes (TLS
 * security policy, queued messages) and closes idle associations.
 */
public final class DtlsMessageProcessor extends MessageProcessor {
    private static final Logger log = LoggerFactory.getLogger(DtlsMessageProcessor.class);

    /** Largest DTLS plaintext (RFC 6347 4.1 via RFC 5246 6.2.1: 2^14). */
    static final int MAX_RECORD_PLAINTEXT = 1 << 14;

    private final DtlsSipProperties settings;
    /** Record overhead before a suite is negotiated: {@link RecordOverhead#worstCase}. */
    private final int worstCaseOverhead;
    private final DtlsServer server;
    private final Map<InetSocketAddress, PeerLink> links = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sipThread;
    private final KeyLogFile keyLog;
    /** RFC 5922: servers trusted through a CA must name the SIP domain a request goes to. */
    private final boolean checkDomains;
    private volatile boolean running;
    /** Written on the SIP thread only. */
    private volatile long deadPeers;
    /** Written on the SIP thread only. */
    private volatile long yielded;
    /** Counted on the SIP thread and on sending threads. */
    private final LongAdder faults = new LongAdder();
    private volatile AssociationListener listener = new AssociationListener() { };

    /**
     * Told when this port's DTLS associations start, complete or fail, for tools that show
     * them (a call ladder, the reason a call failed). {@link #handshakeStarted} runs on the
     * sending thread; the others on the processor's SIP thread. Keep them short.
     */
    public interface AssociationListener {
        /** A client-role handshake with {@code peer} begins (the first message to it is waiting). */
        default void handshakeStarted(InetSocketAddress peer) {
        }

        /** A handshake completed, either role. */
        default void established(InetSocketAddress peer, DtlsSession session, boolean client) {
        }

        /** An association failed (handshake or later), or the TLS security policy refused it. */
        default void failed(InetSocketAddress peer, String reason) {
        }
    }

    private DtlsMessageProcessor(DtlsSipProperties settings, InetSocketAddress local) throws IOException {
        super(DtlsUdp.TRANSPORT);
        this.settings = settings;
        this.worstCaseOverhead = RecordOverhead.worstCase(settings.dtlsConfig());
        this.keyLog = settings.keyLogFile() == null ? null : new KeyLogFile(settings.keyLogFile());
        this.checkDomains = settings.checksDomains();
        this.server = DtlsServer.bind(local, settings.dtlsConfig(), new Events());
        this.sipThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dtls-sip-" + local.getPort());
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds the port (0 picks a free one) without starting; the stack calls {@link #start()}. */
    static DtlsMessageProcessor bind(InetAddress address, int port, SIPTransactionStack stack,
            DtlsSipProperties settings) throws IOException {
        DtlsMessageProcessor p = new DtlsMessageProcessor(settings, new InetSocketAddress(address, port));
        p.initialize(address, p.server.localAddress().getPort(), stack);
        return p;
    }

    @Override
    public SIPTransactionStack getSIPStack() {
        return sipStack;
    }

    @Override
    public void start() throws IOException {
        running = true;
        server.start();
        long period = Math.max(50, Math.min(1_000, Math.min(settings.idleTimeoutMillis(), settings.deadPeerMillis()) / 4));
        // A periodic task that throws is never run again (ScheduledExecutorService): closeIdle
        // guards each link itself, and this catches whatever could still escape.
        sipThread.scheduleWithFixedDelay(() -> guard("closing idle associations", this::closeIdle), period, period,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing DTLS port {}: {}", getPort(), e.toString());
        }
        sipThread.shutdownNow();
        links.clear();
    }

    /**
     * A channel to the next hop the stack chose: the host of a Route, the outbound proxy or the
     * Request-URI, as written there. That host, not the address it resolves to, is the SIP
     * domain the server's certificate must name (RFC 5922 7.3).
     */
    @Override
    public MessageChannel createMessageChannel(HostPort target) throws IOException {
        InetAddress address = target.getInetAddress();
        return new DtlsMessageChannel(this, new InetSocketAddress(address, port(target.getPort())),
                target.getHost().getHostname(), settings.transportToken());
    }

    /** A channel to an address; its domain is the name it was resolved from, if any (else the address). */
    @Override
    public MessageChannel createMessageChannel(InetAddress host, int port) throws IOException {
        InetSocketAddress peer = new InetSocketAddress(host, port(port));
        return new DtlsMessageChannel(this, peer, peer.getHostString(), settings.transportToken());
    }

    private static int port(int port) {
        return port == -1 ? DtlsUdp.DEFAULT_PORT : port;
    }

    @Override
    public int getDefaultTargetPort() {
        return DtlsUdp.DEFAULT_PORT;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    /**
     * The largest SIP message that is sure to fit one record, whatever suite and connection ID
     * the configuration lets the handshake agree ({@link RecordOverhead#worstCase}): within the
     * PMTU, or up to {@link DtlsSipProperties#MAX_MESSAGE_SIZE} if that is set.
     */
    @Override
    public int getMaximumMessageSize() {
        return Math.max(Math.max(0, Math.min(MAX_RECORD_PLAINTEXT, settings.dtlsConfig().pmtu() - worstCaseOverhead)),
                settings.maxMessageSize());
    }

    @Override
    public boolean inUse() {
        return !links.isEmpty();
    }

    public DtlsConfig dtlsConfig() {
        return settings.dtlsConfig();
    }

    /** The token we write in Via and URIs: {@link DtlsSipProperties#TRANSPORT_TOKEN}. */
    public String transportToken() {
        return settings.transportToken();
    }

    /** Replaces the association listener ({@code null}: none). */
    public void setAssociationListener(AssociationListener l) {
        listener = l == null ? new AssociationListener() { } : new GuardedAssociationListener(l);
    }

    // ---------------------------------------------------------------- counters

    /** Full handshakes completed on this port, both roles. */
    public long handshakesCompleted() {
        return server.handshakesCompleted();
    }

    /** Associations currently kept (handshaking or established). */
    public int associationCount() {
        return server.associationCount();
    }

    /**
     * Datagrams dropped before any association existed, e.g. cleartext SIP sent to this port
     * (it is not a ClientHello, RFC 6347 4.2.1), by reason.
     */
    public Map<DropReason, Long> droppedDatagrams() {
        return server.preAssociationDrops();
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends one SIP message to {@code peer}, opening a client-role association if there is
     * none. While the handshake runs the message waits in the peer's queue; if the handshake
     * then fails, {@code transaction} (if any) gets an IOException event.
     *
     * @throws IOException if the message cannot fit one DTLS record, the peer's queue is full,
     *     or the association with the peer has failed
     */
    void send(InetSocketAddress peer, byte[] message, SIPClientTransaction transaction) throws IOException {
        send(peer, message, transaction, null);
    }

    /**
     * As {@link #send(InetSocketAddress, byte[], SIPClientTransaction)}, for a request to the SIP
     * domain {@code domain}: with domain checks on, a new association's handshake refuses a
     * server whose certificate does not name it (bad_certificate), and an existing one carries
     * the request only if the peer's certificate names it ({@link PeerLink}).
     */
    void send(InetSocketAddress peer, byte[] message, SIPClientTransaction transaction, String domain) throws IOException {
        if (!running) {
            throw new IOException("DTLS-UDP listening point " + getIpAddress().getHostAddress() + ":" + getPort()
                    + " is stopped");
        }
        try {
            checkSize(peer, message.length);
            sendOverLink(peer, domain, message, transaction);
        } catch (DtlsException e) {
            throw new IOException("DTLS send to " + Addresses.format(peer) + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A fault in the server or the engine is this send's failure, reported as the
            // transport's IOException; it never reaches the stack as an unchecked exception.
            faults.increment();
            log.warn("DTLS send to {} failed unexpectedly", peer, e);
            throw new IOException("DTLS send to " + Addresses.format(peer) + " failed: internal error " + e, e);
        }
    }

    /**
     * DTLS does not fragment application data (RFC 6347 4.1.1): one SIP message, one record,
     * which must fit the PMTU unless {@link DtlsSipProperties#MAX_MESSAGE_SIZE} lets it be
     * IP-fragmented.
     */
    private void checkSize(InetSocketAddress peer, int length) throws IOException {
        DtlsServer.Association a = server.association(peer);
        if (a != null) {
            allowLargeMessages(a);
        }
        int max = a != null && a.isEstablished() ? a.maxApplicationDataLength() : getMaximumMessageSize();
        if (length > max) {
            int pmtu = settings.dtlsConfig().pmtu();
            String remedies = settings.maxMessageSize() == 0
                    ? "send it over a congestion-controlled transport such as TLS (RFC 3261 18.1.1), raise "
                            + DtlsSipProperties.PMTU + " if the path carries larger datagrams, or set "
                            + DtlsSipProperties.MAX_MESSAGE_SIZE + " (at most " + DtlsSipProperties.MAX_MESSAGE_SIZE_LIMIT
                            + ") to send it as one record in an IP-fragmented datagram"
                    : "send it over a congestion-controlled transport such as TLS (RFC 3261 18.1.1)"
                            + (max < DtlsSipProperties.MAX_MESSAGE_SIZE_LIMIT ? " or raise " + DtlsSipProperties.MAX_MESSAGE_SIZE : "");
            throw new IOException("SIP message of " + length + " bytes to " + Addresses.format(peer) + " is larger than the " + max
                    + " bytes one DTLS record may carry here (PMTU " + pmtu
                    + (settings.maxMessageSize() > 0 ? ", " + DtlsSipProperties.MAX_MESSAGE_SIZE + " " + settings.maxMessageSize() : "")
                    + "; DTLS does not fragment application data, RFC 6347 4.1.1): " + remedies);
        }
    }

    /** Applies {@link DtlsSipProperties#MAX_MESSAGE_SIZE} to an association (idempotent). */
    private void allowLargeMessages(DtlsServer.Association a) {
        if (settings.maxMessageSize() > 0) {
            a.allowIpFragmentation(settings.maxMessageSize());
        }
    }

    /**
     * Sends over the link to {@code peer}, making it (and the association, if none) first. A
     * new link takes its first message before it is published: the handshake it starts can
     * fail at once (a rejected certificate over loopback), and that failure must reach the
     * message's transaction as an event, as any later failure does, never race the send.
     */
    private void sendOverLink(InetSocketAddress peer, String domain, byte[] message, SIPClientTransaction transaction)
            throws IOException {
        PeerLink link = links.get(peer);
        if (link == null) {
            synchronized (links) {
                link = links.get(peer);
                if (link == null) {
                    link = newLink(peer, domain);
                    link.send(message, transaction, domain, now());
                    links.put(peer, link);
                    return;
                }
            }
        }
        link.send(message, transaction, domain, now());
    }

    /** A link to {@code peer} over its association, opening a client-role one if there is none; the caller publishes it. */
    private PeerLink newLink(InetSocketAddress peer, String domain) throws IOException {
        DtlsServer.Association a = server.association(peer);
        SipDomainIdentity checked = null;
        if (a == null) {
            log.debug("opening a DTLS association with {}{}", peer, domain == null ? "" : " for " + domain);
            if (checkDomains) {
                checked = domainIdentity(domain != null ? domain : peer.getHostString());
                a = server.connect(peer, checked);
            } else {
                a = server.connect(peer);
            }
            listener.handshakeStarted(peer);
        }
        allowLargeMessages(a);
        PeerLink link = new PeerLink(peer, a, now(), checkDomains, checked);
        if (a.isEstablished() && !a.isClient()) {
            // A server-role association whose completion event is still on its way:
            // nothing to queue for, and no policy applies to the server role.
            link.open();
        }
        return link;
    }

    private static SipDomainIdentity domainIdentity(String domain) throws IOException {
        try {
            return new SipDomainIdentity(domain);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot check the DTLS server for '" + domain + "': " + e.getMessage(), e);
        }
    }

    /** The session with {@code peer}, or {@code null} if no association is established. */
    DtlsSession session(InetSocketAddress peer) {
        DtlsServer.Association a = server.association(peer);
        return a == null ? null : a.session();
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    // ---------------------------------------------------------------- events (on the SIP thread)

    /**
     * Runs {@code task}, an event of {@code peer}'s association, on the SIP thread. Whatever it
     * throws ends that peer's link only ({@link #fault}); the thread goes on serving the others.
     */
    private void execute(InetSocketAddress peer, Runnable task) {
        try {
            sipThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                    fault(peer, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("DTLS-UDP event after stop ignored");
        }
    }

    /** Runs {@code task}, logging and counting what it throws: the SIP thread's own chores. */
    private void guard(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            faults.increment();
            log.warn("DTLS-UDP listening point {}: {} failed; it keeps serving", getPort(), what, e);
        }
    }

    /**
     * An unexpected exception while handling {@code peer}: logged once with the peer, counted
     * ({@link #faults()}), and that peer's link ended as a failure (its client transactions get
     * an error event; the next message to it starts a new handshake). No other peer is touched.
     */
    private void fault(InetSocketAddress peer, Throwable e) {
        faults.increment();
        String why = "DTLS-UDP association with " + Addresses.format(peer) + " ended by an internal error: " + e;
        log.warn("{}; the listening point keeps serving other peers", why, e);
        PeerLink link = links.get(peer);
        if (link != null) {
            try {
                close(link, new IOException(why, e));
            } catch (RuntimeException again) {
                log.debug("closing the link to {} after an internal error failed too: {}", peer, again.toString());
            }
        }
        listener.failed(peer, why);
    }

    /**
     * Unexpected exceptions caught while serving peers (in the server, an engine, an application
     * callback or this processor), each of which ended at most one peer's association.
     */
    public long faults() {
        return faults.sum();
    }

    /**
     * Handshake complete. As a client, apply the stack's TLS security policy to the
     * transaction that caused the connection, as the RI's TLS transport does after its
     * handshake (a SecurityException there ends the transaction with an IOException); then
     * send what waited.
     */
    private void opened(DtlsServer.Association a) {
        allowLargeMessages(a);
        PeerLink link;
        synchronized (links) {
            link = links.get(a.peer());
            if (link == null || link.association() != a) {
                link = new PeerLink(a.peer(), a, now(), checkDomains, null);
                if (!a.isClient()) {
                    // Nothing waits on an association the peer opened and no policy applies to
                    // it: ready before it is published, so a send that finds it never queues
                    // behind an open() still to come (its refusal, if any, comes at once).
                    link.open();
                }
                links.put(a.peer(), link);
            }
        }
        if (keyLog != null && a.session() != null) {
            keyLog.append(a.session());
        }
        if (link.adopted() && (a.session() == null || a.session().peerCertificates().isEmpty())) {
            // Simultaneous open left us the server of a peer we meant to reach as its client,
            // and it sent no certificate: the messages were for a server we would have
            // authenticated, so they do not go to one we did not. The next send opens a client
            // association of our own.
            String why = "simultaneous open with DTLS peer " + a.peer() + ": its handshake won and it sent no "
                    + "certificate, so the SIP messages meant for the server we were authenticating were not sent "
                    + "(set gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE=Enabled to require one)";
            log.info("{}", why);
            listener.failed(a.peer(), why);
            close(link, new IOException(why));
            return;
        }
        if ((a.isClient() || link.adopted()) && sipStack instanceof SipStackImpl stack && stack.getTlsSecurityPolicy() != null) {
            TlsSecurityPolicy policy = stack.getTlsSecurityPolicy();
            try {
                policy.enforceTlsPolicy(link.firstTransaction());
            } catch (SecurityException e) {
                log.info("TLS security policy rejected DTLS peer {}: {}", a.peer(), e.getMessage());
                listener.failed(a.peer(), "TLS security policy rejected the peer: " + e.getMessage());
                close(link, new IOException("TLS security policy rejected DTLS peer " + Addresses.format(a.peer()) + ": " + e.getMessage(), e));
                return;
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // A policy that fails is no verdict: the link must not stay "not ready" with its
                // messages queued forever. It fails like a rejection, and the next message to the
                // peer starts a new handshake and asks the policy again.
                String why = "TLS security policy " + policy.getClass().getName() + " failed on DTLS peer "
                        + Addresses.format(a.peer()) + " with " + e + "; the SIP messages waiting for it were not sent";
                log.warn("{}", why, e);
                listener.failed(a.peer(), why);
                close(link, new IOException(why, e));
                return;
            }
        }
        listener.established(a.peer(), a.session(), a.isClient());
        for (PeerLink.Refused r : link.open()) {
            log.info("{}", r.reason());
            report(r.pending().transaction(), r.reason());
        }
    }

    /**
     * Simultaneous open: our client handshake with this peer gave way to the peer's (the
     * DtlsServer's tie-break). What waited for it moves to the server-role association, to be
     * sent once that completes and the peer passes a client's checks ({@link #opened}).
     */
    private void yielded(DtlsServer.Association abandoned, DtlsServer.Association replacement) {
        synchronized (links) {
            PeerLink link = links.get(abandoned.peer());
            if (link != null && link.association() == abandoned) {
                log.debug("simultaneous open with {}: our handshake gave way to the peer's", abandoned.peer());
                yielded++;
                links.put(replacement.peer(), link.handOver(replacement, now()));
            }
        }
    }

    private void closed(DtlsServer.Association a, DtlsException failure) {
        if (failure != null) {
            listener.failed(a.peer(), failure.getMessage());
        }
        PeerLink link;
        synchronized (links) {
            link = links.get(a.peer());
            if (link == null || link.association() != a) {
                if (failure != null) {
                    log.debug("DTLS association with {} failed: {}", a.peer(), failure.getMessage());
                }
                return;
            }
            links.remove(a.peer(), link);
        }
        IOException why = failure == null
                ? new IOException("DTLS association with " + Addresses.format(a.peer()) + " closed by the peer")
                : new IOException("DTLS association with " + Addresses.format(a.peer()) + " failed: " + failure.getMessage(), failure);
        if (failure != null) {
            log.info("{}", why.getMessage());
        }
        for (PeerLink.Pending p : link.fail(why)) {
            report(p.transaction(), why.getMessage());
        }
    }

    /** Ends a link ourselves: close_notify, fail what waited. */
    private void close(PeerLink link, IOException why) {
        synchronized (links) {
            links.remove(link.peer(), link);
        }
        List<PeerLink.Pending> dropped = link.fail(why);
        try {
            link.association().close();
        } catch (IOException | RuntimeException e) {
            log.debug("close_notify to {} not sent: {}", link.peer(), e.toString());
        }
        for (PeerLink.Pending p : dropped) {
            report(p.transaction(), why.getMessage());
        }
    }

    /**
     * Tells a client transaction its request never left: the application sees an
     * IOExceptionEvent, a {@link DtlsIOExceptionEvent} that says why.
     */
    private static void report(SIPClientTransaction transaction, String why) {
        if (transaction != null && !transaction.isTerminated()) {
            log.debug("transaction {}: {}", transaction.getBranchId(), why);
            if (transaction instanceof DtlsClientTransaction t) {
                t.raiseIOExceptionEvent(why);
            } else {
                transaction.raiseIOExceptionEvent();
            }
        }
    }

    private void closeIdle() {
        long t = now();
        for (PeerLink link : links.values()) {
            try {
                closeIfIdle(link, t);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                fault(link.peer(), e);
            }
        }
    }

    private void closeIfIdle(PeerLink link, long t) {
        long unanswered = link.unansweredMillis(t);
        if (t - link.lastActivityMillis() >= settings.idleTimeoutMillis()) {
            log.debug("closing DTLS association with {} after {} ms idle", link.peer(), settings.idleTimeoutMillis());
            close(link, new IOException("DTLS association with " + Addresses.format(link.peer()) + " closed after idle timeout"));
        } else if (unanswered >= settings.deadPeerMillis()) {
            // The peer drops what we send (e.g. it restarted and lost the keys; RFC 6347 4.2.8
            // lets it ignore us): a new handshake is the only way back to it.
            log.info("closing DTLS association with {}: nothing received for {} ms after a request; "
                    + "the peer may have lost its state, the next message starts a new handshake",
                    link.peer(), unanswered);
            deadPeers++;
            close(link, new IOException("DTLS association with " + Addresses.format(link.peer()) + " closed: no answer for "
                    + unanswered + " ms (" + DtlsSipProperties.DEAD_PEER_MS + ")"));
        }
    }

    /**
     * Client handshakes that crossed the peer's at the same moment and gave way to it, their SIP
     * messages moving to the peer's association (simultaneous open, docs/SECURITY.md).
     */
    public long yieldedHandshakes() {
        return yielded;
    }

    /** Associations closed because the peer stopped answering ({@link DtlsSipProperties#DEAD_PEER_MS}). */
    public long deadPeerCloses() {
        return deadPeers;
    }

    private void received(DtlsServer.Association a, byte[] data) {
        PeerLink link = links.get(a.peer());
        if (link != null) {
            link.received(now());
        }
        new DtlsMessageChannel(this, a.peer(), null, settings.transportToken()).processIncoming(data);
    }

    /** DtlsServer callbacks: on its thread, so only hand over. */
    private final class Events implements DtlsServer.Handler {
        @Override
        public void onHandshakeComplete(DtlsServer.Association a) {
            execute(a.peer(), () -> opened(a));
        }

        @Override
        public void onData(DtlsServer.Association a, byte[] data) {
            execute(a.peer(), () -> received(a, data));
        }

        @Override
        public void onClosed(DtlsServer.Association a, DtlsException failure) {
            execute(a.peer(), () -> closed(a, failure));
        }

        @Override
        public void onYielded(DtlsServer.Association abandoned, DtlsServer.Association replacement) {
            execute(abandoned.peer(), () -> yielded(abandoned, replacement));
        }
    }
}
