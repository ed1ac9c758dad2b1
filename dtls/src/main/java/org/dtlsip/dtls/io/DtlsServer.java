package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerIdentity;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.util.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many DTLS peers on one UDP port. One thread owns the channel and every association; this
 * class is the application's view. The work is split by job:
 * <ul>
 *   <li>{@link ServerLoop}: the thread; waits for a datagram or the next timer.</li>
 *   <li>{@link DatagramRouter}: where a datagram goes. From an address with no association it
 *       goes through the stateless {@link CookieExchange} first (RFC 6347 4.2.1): nothing is
 *       stored until a ClientHello returns a valid cookie. A tls12_cid datagram is routed by
 *       its connection ID whatever its source (RFC 9146).</li>
 *   <li>{@link AssociationTable}: associations by address and by connection ID, the
 *       {@link ServerLimits} (a new client is refused at a bound; an established association
 *       is never evicted to make room for a half-open one), when a peer may move
 *       ({@link PeerAddressRule}, RFC 9146 6) and the new handshakes that may replace an
 *       association ({@link NewHandshakeRule}, RFC 6347 4.2.8).</li>
 *   <li>{@link AssociationDriver}: feeds an engine, sends what it produced, turns its events
 *       into {@link Handler} calls; a fault in one association fails that one only.</li>
 *   <li>{@link TimerQueue}: retransmissions, handshake deadlines and idle timeouts in one
 *       priority queue, O(log n) per timer.</li>
 *   <li>{@link ServerCounters}: what {@link #stats()} and {@link #logStats()} report.</li>
 * </ul>
 * The same port can open client-role associations with {@link #connect}, so a peer such as a
 * SIP stack sends and receives on one 5-tuple. Handlers run on the server thread and must not
 * block.
 */
public final class DtlsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsServer.class);

    /** Socket buffers: 4 MiB absorbs a burst of ~3,000 full-size datagrams from many handshaking peers. */
    public static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /** Callbacks from the server thread. */
    public interface Handler {
        default void onHandshakeComplete(Association association) {
        }

        void onData(Association association, byte[] data);

        /**
         * The association ended: {@code failure} is null after close_notify; otherwise it says
         * why (fatal alert, timeout, an internal error, or the server's eviction, e.g.
         * "evicted: idle ..." or "replaced: ..." when the peer completed a new handshake).
         */
        default void onClosed(Association association, DtlsException failure) {
        }

        /** The socket refused a datagram for this peer (e.g. EMSGSIZE); it is also counted in {@link ServerStats#sendErrors()}. */
        default void onSendError(Association association, IOException error) {
        }

        /**
         * The peer now sends from {@link Association#peer()}, proven by a record under its
         * connection ID (RFC 9146 6) and, when both hellos agreed on the return routability
         * check, by the peer's path_response to a path_challenge sent there (RFC 9853; until
         * then everything went to the previous address). Without that check (a peer that does
         * not offer rrc) the move happens at once, and checking that the new address can
         * receive is left to the application (e.g. a ping-pong before sending much to it).
         */
        default void onPeerAddressChanged(Association association, InetSocketAddress previous) {
        }

        /**
         * Simultaneous open ({@link SimultaneousOpen}): our client handshake with this peer
         * crossed the peer's and gave way. {@code abandoned} is gone without a close or failure
         * callback; {@code replacement}, a server-role association with the same peer, carries
         * on and reports its completion as usual. Whatever waited for {@code abandoned} belongs
         * to {@code replacement} now, with the checks a client applies to its server.
         */
        default void onYielded(Association abandoned, Association replacement) {
        }
    }

    /** Where datagrams go: the channel, or a test's in-memory network. */
    interface Transport {
        /** Sends one datagram; false when the socket had no room for it. */
        boolean send(ByteBuffer datagram, InetSocketAddress to) throws IOException;
    }

    /**
     * One peer's association, as the application sees it. Its state belongs to the server
     * thread; the public methods take the server's lock and may be called from any thread.
     */
    public static final class Association {
        private final DtlsServer server;
        /** Changes only on the server thread under the lock, when the peer rebinds (RFC 9146 6). */
        volatile InetSocketAddress peer;
        final DtlsEngine engine;
        /** The connection ID this association receives on, as a table key; {@code null} without one. */
        final ByteBuffer connectionId;
        final long createdAt;
        long lastActivity;
        /** Its earliest entry in the {@link TimerQueue}. */
        long scheduledWake = Long.MAX_VALUE;
        boolean handshaking = true;
        boolean removed;
        /** The established association this new handshake replaces once complete (RFC 6347 4.2.8), or null. */
        Association replaces;
        /** For a new handshake that {@link #replaces} another: the random of the ClientHello that began it. */
        byte[] helloRandom;
        /** A client's own ClientHello random, read from the first datagram it sent (simultaneous open). */
        byte[] clientHelloRandom;
        /** An address the peer proved itself from, to move to once it is shown to receive ({@link AssociationTable#moveWhenValidated}). */
        InetSocketAddress addressToValidate;
        /**
         * Who {@link DtlsServer#connect} opened this association to check the server as
         * ({@link #checkedIdentity}); {@code null} for one the peer opened, or one that checks no name.
         */
        final PeerIdentity serverIdentity;

        private Association(DtlsServer server, InetSocketAddress peer, DtlsEngine engine, long now,
                PeerIdentity serverIdentity) {
            this.server = server;
            this.peer = peer;
            this.engine = engine;
            this.serverIdentity = serverIdentity;
            byte[] cid = engine.localConnectionId();
            this.connectionId = cid.length == 0 ? null : ByteBuffer.wrap(cid);
            this.createdAt = now;
            this.lastActivity = now;
        }

        /** The peer's address: where it last proved to be under its connection ID, else where it started. */
        public InetSocketAddress peer() {
            return peer;
        }

        public DtlsSession session() {
            synchronized (server.lock) {
                return engine.session();
            }
        }

        /** True once the handshake completed and until the association ends. */
        public boolean isEstablished() {
            synchronized (server.lock) {
                return engine.status() == DtlsEngine.Status.ESTABLISHED;
            }
        }

        /** The connection ID this association receives on (RFC 9146), empty without one. */
        byte[] localConnectionId() {
            return engine.localConnectionId();
        }

        /** True for associations opened with {@link DtlsServer#connect}. */
        public boolean isClient() {
            return engine.isClient();
        }

        /** The largest application record this association can send within its PMTU. */
        public int maxApplicationDataLength() {
            synchronized (server.lock) {
                return engine.maxApplicationDataLength();
            }
        }

        public int pmtu() {
            synchronized (server.lock) {
                return engine.pmtu();
            }
        }

        /** Sets this association's path MTU: no datagram sent to the peer from now on exceeds it. */
        public void setPmtu(int pmtu) {
            synchronized (server.lock) {
                engine.setPmtu(pmtu);
            }
        }

        /**
         * Lets {@link #send} take application records up to {@code bytes} even above the PMTU,
         * IP-fragmented: {@link DtlsEngine#allowIpFragmentation(int)}.
         */
        public void allowIpFragmentation(int bytes) {
            synchronized (server.lock) {
                engine.allowIpFragmentation(bytes);
            }
        }

        /** Flight retransmissions so far. */
        public long retransmissions() {
            synchronized (server.lock) {
                return engine.retransmissions();
            }
        }

        /**
         * Sends one application record to this peer; callable from any thread. Throws
         * {@link DtlsException} when it exceeds {@link #maxApplicationDataLength()} (DTLS does
         * not fragment application data) or the association is not established, and the socket's
         * {@link IOException} when the datagram could not be sent. An unexpected exception (a
         * bug) fails this association with internal_error and is thrown as a {@link DtlsException}.
         */
        public void send(byte[] data) throws IOException {
            synchronized (server.lock) {
                try {
                    engine.send(data);
                    lastActivity = server.clock.getAsLong();
                    server.driver.flush(this);
                } catch (RuntimeException e) {
                    server.driver.failInternally(this, e);
                    throw new DtlsException("internal error: " + e, AlertDescription.INTERNAL_ERROR, false, e);
                }
            }
        }

        /** Sends close_notify and forgets the association (no {@link Handler#onClosed} call). */
        public void close() throws IOException {
            synchronized (server.lock) {
                try {
                    engine.close();
                    server.driver.flush(this);
                } catch (RuntimeException e) {
                    server.driver.failInternally(this, e);
                } finally {
                    server.driver.forget(this);
                }
            }
        }

        @Override
        public String toString() {
            return "Association[" + peer + (isClient() ? ", client" : "") + "]";
        }
    }

    private final DtlsConfig associationConfig;
    private final ServerLimits limits;
    /** The socket, for {@link #localAddress()}; {@code null} in memory. */
    private final DatagramChannel channel;
    /** The thread's loop; {@code null} in memory. */
    private final ServerLoop loop;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private final AssociationTable table;
    private final TimerQueue timers = new TimerQueue();
    private final ServerCounters counters = new ServerCounters();
    private final AssociationDriver driver;
    private final DatagramRouter router;

    private DtlsServer(DtlsConfig config, ServerLimits limits, Handler handler, DatagramChannel channel,
            Selector selector, Transport transport, LongSupplier clock) {
        config.requireServerCredentials();
        this.limits = limits;
        this.channel = channel;
        this.clock = clock;
        Reassembler.Limits r = config.reassemblyLimits();
        int bytes = Math.min(r.maxBufferedBytes(), limits.maxReassemblyBytes());
        this.associationConfig = config.toBuilder()
                .reassemblyLimits(new Reassembler.Limits(Math.min(r.maxMessageLength(), bytes), r.maxLookahead(), bytes))
                .build();
        this.table = new AssociationTable(associationConfig, limits);
        this.driver = new AssociationDriver(table, timers, counters, limits, handler, transport);
        this.router = new DatagramRouter(this, new CookieExchange(config), associationConfig, table, driver, counters,
                handler);
        this.loop = channel == null ? null
                : new ServerLoop(channel, selector, lock, clock, timers, router, this::runTimers, counters);
    }

    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, Handler handler) throws IOException {
        return bind(local, config, ServerLimits.defaults(), handler);
    }

    /** Binds a non-blocking UDP channel to {@code local}; call {@link #start()} or {@link #run()}. */
    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, ServerLimits limits, Handler handler)
            throws IOException {
        config.requireServerCredentials();
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
            reportCappedReceiveBuffer(channel.getOption(StandardSocketOptions.SO_RCVBUF));
            channel.bind(local);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            Transport transport = (datagram, to) -> channel.send(datagram, to) > 0;
            return new DtlsServer(config, limits, handler, channel, selector, transport, DtlsServer::systemMillis);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + Addresses.format(local) + ": " + BindFailure.explain(e), e);
        }
    }

    /**
     * The kernel silently caps SO_RCVBUF (Linux: at {@code net.core.rmem_max}, 208 KiB by
     * default), and a capped buffer is where a burst of handshakes or bulk data is dropped; say
     * so once per server, with the fix, rather than leave an operator to find drop counters.
     */
    private static void reportCappedReceiveBuffer(int granted) {
        if (granted < SOCKET_BUFFER_BYTES) {
            log.info("DTLS server receive buffer is {} bytes, below the {} asked for: the kernel caps it; "
                    + "to absorb bursts, raise it (Linux: sysctl -w net.core.rmem_max={})",
                    granted, SOCKET_BUFFER_BYTES, SOCKET_BUFFER_BYTES);
        }
    }

    /** A server with no socket, driven by a test through {@link #receive} and {@link #runTimers}. */
    static DtlsServer inMemory(DtlsConfig config, ServerLimits limits, Handler handler, Transport transport,
            LongSupplier clock) {
        return new DtlsServer(config, limits, handler, null, null, transport, clock);
    }

    private static long systemMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** A new association of this server, not yet in its table (for {@link DatagramRouter}). */
    Association newAssociation(InetSocketAddress peer, DtlsEngine engine, long now, PeerIdentity serverIdentity) {
        return new Association(this, peer, engine, now, serverIdentity);
    }

    // ---------------------------------------------------------------- client role

    /**
     * Opens a client-role association to {@code peer} from this server's port; the handshake
     * runs on the server thread and completion is reported to the handler. Unless the
     * configuration names the server, its certificate must carry the host of {@code peer}
     * (RFC 9525). An existing association with that peer is returned only if this method
     * opened it to check the same identity: one the peer opened to us never authenticated it
     * as a server (it may have sent no certificate at all), and one opened for another name
     * never checked this one. Use {@link #association} to take an association as it is.
     *
     * @throws IOException when the table is at {@link ServerLimits#maxAssociations()}, every
     *     connection ID is in use, or another association with {@code peer} exists (close it first)
     */
    public Association connect(InetSocketAddress peer) throws IOException {
        return connect(peer, associationConfig.forHost(peer.getHostString()));
    }

    /**
     * As {@link #connect(InetSocketAddress)}, checking the server's certificate against
     * {@code serverIdentity} (e.g. the SIP domain being reached, RFC 5922) instead of a name.
     */
    public Association connect(InetSocketAddress peer, PeerIdentity serverIdentity) throws IOException {
        return connect(peer, associationConfig.toBuilder().serverIdentity(serverIdentity).build());
    }

    private Association connect(InetSocketAddress peer, DtlsConfig clientConfig) throws IOException {
        PeerIdentity identity = checkedIdentity(clientConfig);
        synchronized (lock) {
            Association existing = table.at(peer);
            if (existing == null) {
                existing = table.replacementAt(peer); // a new handshake the peer started, as the peer opened it
            }
            if (existing != null) {
                return existingClient(existing, peer, identity);
            }
            if (table.size() >= limits.maxAssociations()) {
                throw new IOException("cannot connect to " + peer + ": " + table.size()
                        + " associations, the configured maximum (ServerLimits.maxAssociations)");
            }
            byte[] cid = table.newConnectionId();
            if (cid == null) {
                router.refuseForConnectionIds(peer);
                throw new IOException("cannot connect to " + peer + ": every connection ID of "
                        + associationConfig.connectionIdLength() + " byte(s) is in use; configure a longer "
                        + "DtlsConfig.connectionIdLength");
            }
            long now = clock.getAsLong();
            Association a = new Association(this, peer, DtlsEngine.client(clientConfig, now, cid), now, identity);
            table.add(a);
            driver.guarded(a, () -> driver.afterActivity(a, now));
            if (loop != null) {
                loop.wakeup();
            }
            return a;
        }
    }

    private static Association existingClient(Association existing, InetSocketAddress peer, PeerIdentity identity)
            throws IOException {
        if (!existing.isClient()) {
            throw new IOException("cannot connect to " + peer + " as a server" + (identity == null ? "" : " for "
                    + identity) + ": the association with it was opened by the peer, which we never authenticated "
                    + "as a server; use association(peer) to take it as it is, or close it first");
        }
        if (!Objects.equals(existing.serverIdentity, identity)) {
            throw new IOException("cannot connect to " + peer + " for " + (identity == null ? "no name" : identity)
                    + ": the association with it was opened to check "
                    + (existing.serverIdentity == null ? "no name" : existing.serverIdentity)
                    + ", not this; close it first");
        }
        return existing;
    }

    /** The identity a client engine with {@code config} checks the server as, or {@code null} for none. */
    private static PeerIdentity checkedIdentity(DtlsConfig config) {
        boolean checks = config.peerVerifier() != null && config.peerVerifier().requiresIdentityCheck()
                && config.serverNameCheck();
        return checks ? config.serverIdentity() : null;
    }

    /** The association with {@code peer}, or {@code null}. */
    public Association association(InetSocketAddress peer) {
        synchronized (lock) {
            return table.at(peer);
        }
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    public ServerLimits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- the loop

    /** Whether the thread {@link #start()} began still runs the loop (tests: nothing killed it). */
    boolean loopAlive() {
        return loop != null && loop.alive();
    }

    /** Runs the server loop on a new daemon thread. */
    public DtlsServer start() throws IOException {
        loop.start("dtls-server-" + localAddress().getPort());
        return this;
    }

    /** The server loop on the calling thread; returns when {@link #close()} is called. */
    public void run() throws IOException {
        loop.run();
    }

    /** Feeds one datagram as if it arrived on the socket (tests, and alternative front ends). */
    void receive(InetSocketAddress from, byte[] datagram, long now) {
        synchronized (lock) {
            router.route(from, datagram, datagram.length, now);
        }
    }

    /** Runs every timer due at {@code now}: retransmissions, handshake deadlines, idle timeouts. */
    void runTimers(long now) {
        synchronized (lock) {
            Association a;
            while ((a = timers.pollDue(now)) != null) {
                driver.onWake(a, now);
            }
        }
    }

    /** The earliest time {@link #runTimers} has work, or {@link Long#MAX_VALUE}. */
    long nextWake() {
        synchronized (lock) {
            return timers.next();
        }
    }

    /** Entries in the timer queue, live and stale: bounded by a small multiple of the associations. */
    int timerQueueSize() {
        synchronized (lock) {
            return timers.size();
        }
    }

    // ---------------------------------------------------------------- counters

    /** A consistent snapshot of every counter. */
    public ServerStats stats() {
        synchronized (lock) {
            return counters.snapshot(table.all(), table.handshakesInProgress());
        }
    }

    /** Logs {@link #stats()} at INFO, one line. */
    public ServerStats logStats() {
        ServerStats s = stats();
        log.info("DTLS server {}: {}", channel == null ? "in-memory" : channel.socket().getLocalSocketAddress(), s);
        return s;
    }

    public long handshakesCompleted() {
        synchronized (lock) {
            return counters.handshakesCompleted;
        }
    }

    public long handshakesFailed() {
        synchronized (lock) {
            return counters.handshakesFailed;
        }
    }

    public long helloVerifyRequestsSent() {
        synchronized (lock) {
            return counters.helloVerifyRequests;
        }
    }

    public long refusedAtLimit() {
        synchronized (lock) {
            return counters.refusedAtLimit;
        }
    }

    public int associationCount() {
        synchronized (lock) {
            return table.size();
        }
    }

    public int handshakesInProgress() {
        synchronized (lock) {
            return table.handshakesInProgress();
        }
    }

    /** Datagrams dropped before any association existed, by reason ({@link #stats()} has all drops). */
    public Map<DropReason, Long> preAssociationDrops() {
        synchronized (lock) {
            return counters.preAssociationDrops();
        }
    }

    /** The associations now in the table, new handshakes waiting to replace one included (a copy). */
    public List<Association> associations() {
        synchronized (lock) {
            return table.all();
        }
    }

    /** Sends close_notify to every peer and stops the loop. */
    @Override
    public void close() throws IOException {
        if (loop != null) {
            loop.halt();
        }
        synchronized (lock) {
            for (Association a : table.all()) {
                try {
                    a.engine.close();
                    driver.flush(a);
                } catch (IOException | RuntimeException e) {
                    log.debug("close_notify to {} not sent: {}", a.peer, e.toString());
                }
                driver.forget(a);
            }
            timers.clear();
        }
        if (loop != null) {
            loop.stop();
        }
    }
}
