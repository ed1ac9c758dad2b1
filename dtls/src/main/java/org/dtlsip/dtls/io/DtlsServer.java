package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerIdentity;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many DTLS peers on one UDP port. One thread owns the channel and every association.
 *
 * <ul>
 *   <li>A datagram from an address with no association goes through the stateless
 *       {@link CookieExchange} first (RFC 6347 4.2.1): nothing is stored for it until a
 *       ClientHello returns a valid cookie.</li>
 *   <li>Associations are kept in a table keyed by the peer's address and port, and, when
 *       {@link DtlsConfig#connectionIdLength()} is above 0, in a second table keyed by the
 *       connection ID each association receives on (RFC 9146). A tls12_cid datagram is routed
 *       by its ID whatever its source; when a record in it authenticates and is the newest
 *       the association has seen, the association's peer address moves to that source (NAT
 *       rebinding, RFC 9146 6; {@link ServerStats#peerAddressChanges()}). A forged, replayed or
 *       reordered datagram never moves it.</li>
 *   <li>Every bound is a {@link ServerLimits} value with a named default: associations,
 *       handshakes in progress, handshake deadline, idle timeout, reassembly bytes. A new
 *       client is refused at a bound; an established association is never evicted to make
 *       room for a half-open one.</li>
 *   <li>Timers (retransmission, handshake deadline, idle timeout) live in one priority queue
 *       keyed by deadline with lazy invalidation, so the loop costs O(log n) per timer rather
 *       than a scan of the table.</li>
 *   <li>{@link Handler} gets accepted associations ({@link Handler#onHandshakeComplete}),
 *       their data and their end. {@link #stats()} and {@link #logStats()} expose the counters.</li>
 * </ul>
 * The same port can open client-role associations with {@link #connect}, so a peer such as a
 * SIP stack sends and receives on one 5-tuple. Handlers run on the server thread and must not
 * block.
 */
public final class DtlsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsServer.class);

    /** @deprecated use {@link ServerLimits#DEFAULT_MAX_ASSOCIATIONS} */
    @Deprecated
    public static final int DEFAULT_MAX_ASSOCIATIONS = ServerLimits.DEFAULT_MAX_ASSOCIATIONS;
    /** @deprecated use {@link ServerLimits#DEFAULT_MAX_HANDSHAKES} */
    @Deprecated
    public static final int DEFAULT_MAX_HANDSHAKES = ServerLimits.DEFAULT_MAX_HANDSHAKES;
    /** Socket buffers: 4 MiB absorbs a burst of ~3,000 full-size datagrams from many handshaking peers. */
    public static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    /** Datagrams handled per loop round before timers run, so a flood cannot starve retransmissions. */
    static final int RECEIVE_BATCH = 1_024;
    private static final int RECEIVE_BUFFER = 65_536;
    /** Random connection IDs drawn before a short ID space is scanned or the handshake refused. */
    static final int CONNECTION_ID_ATTEMPTS = 16;
    /** ID lengths whose whole space (at most 65,536 IDs) is scanned when random draws keep colliding. */
    static final int SCANNED_CONNECTION_ID_LENGTH = 2;

    /** Callbacks from the server thread. */
    public interface Handler {
        default void onHandshakeComplete(Association association) {
        }

        void onData(Association association, byte[] data);

        /**
         * The association ended: {@code failure} is null after close_notify; otherwise it says
         * why (fatal alert, timeout, or the server's eviction, e.g. "evicted: idle ...").
         */
        default void onClosed(Association association, DtlsException failure) {
        }

        /** The socket refused a datagram for this peer (e.g. EMSGSIZE); it is also counted in {@link ServerStats#sendErrors()}. */
        default void onSendError(Association association, IOException error) {
        }

        /**
         * The peer now sends from {@link Association#peer()}, proven by a record under its
         * connection ID (RFC 9146 6). RFC 9146 leaves checking that the new address can
         * receive to the application (e.g. a ping-pong before sending much to it).
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

    /** One peer's association, as the application sees it. */
    public final class Association {
        /** Changes only on the server thread under {@code lock}, when the peer rebinds (RFC 9146 6). */
        private volatile InetSocketAddress peer;
        private final DtlsEngine engine;
        /** The connection ID this association receives on, as a table key; {@code null} without one. */
        private final ByteBuffer connectionId;
        private final long createdAt;
        private long lastActivity;
        private long scheduledWake = Long.MAX_VALUE;
        private boolean handshaking = true;
        private boolean removed;
        /** The established association this new handshake will replace once complete (RFC 6347 4.2.8), or null. */
        private Association replaces;
        /** For a pending replacement: the random of the ClientHello that began it. */
        private byte[] helloRandom;
        /** A client's own ClientHello random, read from the first datagram it sent (simultaneous open). */
        private byte[] clientHelloRandom;
        /**
         * Who {@link DtlsServer#connect} opened this association to check the server as
         * ({@link #checkedIdentity}); {@code null} for one the peer opened, or one that checks no name.
         */
        private final PeerIdentity serverIdentity;

        private Association(InetSocketAddress peer, DtlsEngine engine, long now) {
            this(peer, engine, now, null);
        }

        private Association(InetSocketAddress peer, DtlsEngine engine, long now, PeerIdentity serverIdentity) {
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
            synchronized (lock) {
                return engine.session();
            }
        }

        /** True once the handshake completed and until the association ends. */
        public boolean isEstablished() {
            synchronized (lock) {
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
            synchronized (lock) {
                return engine.maxApplicationDataLength();
            }
        }

        public int pmtu() {
            synchronized (lock) {
                return engine.pmtu();
            }
        }

        /** Sets this association's path MTU: no datagram sent to the peer from now on exceeds it. */
        public void setPmtu(int pmtu) {
            synchronized (lock) {
                engine.setPmtu(pmtu);
            }
        }

        /**
         * Lets {@link #send} take application records up to {@code bytes} even above the PMTU,
         * IP-fragmented: {@link DtlsEngine#allowIpFragmentation(int)}.
         */
        public void allowIpFragmentation(int bytes) {
            synchronized (lock) {
                engine.allowIpFragmentation(bytes);
            }
        }

        /** Flight retransmissions so far. */
        public long retransmissions() {
            synchronized (lock) {
                return engine.retransmissions();
            }
        }

        /**
         * Sends one application record to this peer; callable from any thread. Throws
         * {@link DtlsException} when it exceeds {@link #maxApplicationDataLength()} (DTLS does
         * not fragment application data) or the association is not established, and the socket's
         * {@link IOException} when the datagram could not be sent.
         */
        public void send(byte[] data) throws IOException {
            synchronized (lock) {
                try {
                    engine.send(data);
                    lastActivity = clock.getAsLong();
                    flush(this);
                } catch (RuntimeException e) {
                    failInternally(this, e);
                    throw new DtlsException("internal error: " + e, AlertDescription.INTERNAL_ERROR, false, e);
                }
            }
        }

        /** Sends close_notify and forgets the association (no {@link Handler#onClosed} call). */
        public void close() throws IOException {
            synchronized (lock) {
                try {
                    engine.close();
                    flush(this);
                } catch (RuntimeException e) {
                    failInternally(this, e);
                } finally {
                    remove(this);
                }
            }
        }

        @Override
        public String toString() {
            return "Association[" + peer + (isClient() ? ", client" : "") + "]";
        }
    }

    private record Wake(long time, Association association) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake o) {
            return Long.compare(time, o.time);
        }
    }

    private final DtlsConfig config;
    private final DtlsConfig associationConfig;
    private final ServerLimits limits;
    private final Handler handler;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Transport transport;
    private final LongSupplier clock;
    private final CookieExchange cookieExchange;
    private final Map<InetSocketAddress, Association> associations = new HashMap<>();
    /** The same associations by the connection ID they receive on (RFC 9146); empty without IDs. */
    private final Map<ByteBuffer, Association> byConnectionId = new HashMap<>();
    /**
     * New handshakes from the address of an established association, by that address, kept
     * apart until they complete and replace it (RFC 6347 4.2.8).
     */
    private final Map<InetSocketAddress, Association> replacements = new HashMap<>();
    private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
    private final Object lock = new Object();
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
    private final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    private final EnumMap<DropReason, Long> retiredDrops = new EnumMap<>(DropReason.class);
    private final EnumMap<ServerStats.Eviction, Long> evictions = new EnumMap<>(ServerStats.Eviction.class);
    private int handshakesInProgress;
    private long handshakesCompleted;
    private long handshakesFailed;
    private long helloVerifyRequests;
    private long refusedAtLimit;
    private long retiredRetransmissions;
    private long sendErrors;
    private long peerAddressChanges;
    private long connectionIdsExhausted;
    private long internalErrors;
    private long callbackErrors;
    private volatile boolean running = true;
    private Thread thread;

    private DtlsServer(DtlsConfig config, ServerLimits limits, Handler handler, DatagramChannel channel,
            Selector selector, Transport transport, LongSupplier clock) {
        config.requireServerCredentials();
        this.config = config;
        this.limits = limits;
        this.handler = handler;
        this.channel = channel;
        this.selector = selector;
        this.transport = transport;
        this.clock = clock;
        this.cookieExchange = new CookieExchange(config);
        Reassembler.Limits r = config.reassemblyLimits();
        int bytes = Math.min(r.maxBufferedBytes(), limits.maxReassemblyBytes());
        this.associationConfig = config.toBuilder()
                .reassemblyLimits(new Reassembler.Limits(Math.min(r.maxMessageLength(), bytes), r.maxLookahead(), bytes))
                .build();
    }

    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, Handler handler) throws IOException {
        return bind(local, config, ServerLimits.defaults(), handler);
    }

    /** Kept for existing callers; see {@link #bind(InetSocketAddress, DtlsConfig, ServerLimits, Handler)}. */
    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, Handler handler,
            int maxAssociations, int maxHandshakes) throws IOException {
        return bind(local, config, ServerLimits.defaults().withMaxAssociations(maxAssociations)
                .withMaxHandshakes(maxHandshakes), handler);
    }

    /** Binds a non-blocking UDP channel to {@code local}; call {@link #start()} or {@link #run()}. */
    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, ServerLimits limits, Handler handler)
            throws IOException {
        config.requireServerCredentials();
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
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

    /** A server with no socket, driven by a test through {@link #receive} and {@link #runTimers}. */
    static DtlsServer inMemory(DtlsConfig config, ServerLimits limits, Handler handler, Transport transport,
            LongSupplier clock) {
        return new DtlsServer(config, limits, handler, null, null, transport, clock);
    }

    private static long systemMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Opens a client-role association to {@code peer} from this server's port; the handshake
     * runs on the server thread and completion is reported to the handler. Unless the
     * configuration names the server, its certificate must carry the host of {@code peer}
     * (RFC 9525). An existing association with that peer is returned only if this method
     * opened it to check the same identity: one the peer opened to us never authenticated it
     * as a server (it may have sent no certificate at all), and one opened for another name
     * never checked this one. Use {@link #association} to take an association as it is.
     *
     * @throws IOException when the table is at {@link ServerLimits#maxAssociations()}, or
     *     another association with {@code peer} exists (close it first)
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
            Association existing = associations.get(peer);
            if (existing != null) {
                if (!existing.isClient()) {
                    throw new IOException("cannot connect to " + peer + " as a server" + (identity == null ? "" : " for "
                            + identity) + ": the association with it was opened by the peer, which we never authenticated "
                            + "as a server; use association(peer) to take it as it is, or close it first");
                }
                if (!java.util.Objects.equals(existing.serverIdentity, identity)) {
                    throw new IOException("cannot connect to " + peer + " for " + (identity == null ? "no name" : identity)
                            + ": the association with it was opened to check "
                            + (existing.serverIdentity == null ? "no name" : existing.serverIdentity)
                            + ", not this; close it first");
                }
                return existing;
            }
            if (tableSize() >= limits.maxAssociations()) {
                throw new IOException("cannot connect to " + peer + ": " + tableSize()
                        + " associations, the configured maximum (ServerLimits.maxAssociations)");
            }
            byte[] cid = newConnectionId();
            if (cid == null) {
                refuseForConnectionIds(peer);
                throw new IOException("cannot connect to " + peer + ": every connection ID of "
                        + associationConfig.connectionIdLength() + " byte(s) is in use; configure a longer "
                        + "DtlsConfig.connectionIdLength");
            }
            long now = clock.getAsLong();
            Association a = new Association(peer, DtlsEngine.client(clientConfig, now, cid), now, identity);
            add(a);
            guarded(a, () -> afterActivity(a, now));
            if (selector != null) {
                selector.wakeup();
            }
            return a;
        }
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
            return associations.get(peer);
        }
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    public ServerLimits limits() {
        return limits;
    }

    /** Whether the thread {@link #start()} began still runs the loop (tests: nothing killed it). */
    boolean loopAlive() {
        return thread != null && thread.isAlive();
    }

    /** Runs the server loop on a new daemon thread. */
    public DtlsServer start() throws IOException {
        thread = new Thread(this::runQuietly, "dtls-server-" + localAddress().getPort());
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void runQuietly() {
        try {
            run();
        } catch (IOException e) {
            if (running) {
                log.error("DTLS server loop stopped: {}", e.toString());
            }
        }
    }

    /** The server loop; returns when {@link #close()} is called. */
    public void run() throws IOException {
        try {
            boolean more = false;
            while (running) {
                long wait;
                synchronized (lock) {
                    Wake next = wakes.peek();
                    wait = next == null ? 1_000 : Math.min(1_000, next.time() - clock.getAsLong());
                }
                if (more || wait <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(wait);
                }
                selector.selectedKeys().clear();
                synchronized (lock) {
                    more = receiveBatch();
                    runTimers(clock.getAsLong());
                }
            }
        } catch (ClosedSelectorException e) {
            // closed by close()
        }
    }

    /** Handles up to {@link #RECEIVE_BATCH} datagrams; true if there may be more. */
    private boolean receiveBatch() throws IOException {
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (java.nio.channels.ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                // An unconnected UDP socket can still see ICMP errors on some platforms: report, keep serving.
                sendErrors++;
                log.warn("DTLS server receive error (ICMP?): {}", e.toString());
                continue;
            }
            if (from == null) {
                return false;
            }
            buffer.flip();
            onDatagramGuarded((InetSocketAddress) from, buffer.array(), buffer.limit(), clock.getAsLong());
        }
        return true;
    }

    /** Feeds one datagram as if it arrived on the socket (tests, and alternative front ends). */
    void receive(InetSocketAddress from, byte[] datagram, long now) {
        synchronized (lock) {
            onDatagramGuarded(from, datagram, datagram.length, now);
        }
    }

    /**
     * {@link #onDatagram}, with a last line of defence: what escapes it (a bug outside any one
     * association, e.g. while creating one) costs this datagram only, is counted in
     * {@link ServerStats#internalErrors()} and logged with its source, and the loop goes on.
     */
    private void onDatagramGuarded(InetSocketAddress from, byte[] data, int length, long t) {
        try {
            onDatagram(from, data, length, t);
        } catch (RuntimeException e) {
            internalErrors++;
            log.error("DTLS server: internal error on a datagram from {}; dropped, the server keeps serving", from, e);
        }
    }

    /**
     * Runs {@code step} on association {@code a}. An unexpected exception from its engine (a
     * bug) fails that association only, with an internal_error alert if one can still be sent
     * (RFC 5246 7.2.2), and is counted and logged once with the peer; the others go on.
     */
    private void guarded(Association a, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failInternally(a, e);
        }
    }

    private void failInternally(Association a, RuntimeException e) {
        internalErrors++;
        log.error("DTLS server: internal error in the association with {}; it fails with internal_error, "
                + "the others go on", a.peer, e);
        if (a.removed) {
            return;
        }
        try {
            a.engine.abort(AlertDescription.INTERNAL_ERROR, "internal error: " + e);
            flush(a);
        } catch (RuntimeException | IOException again) {
            log.debug("internal_error alert to {} not sent: {}", a.peer, again.toString());
        }
        if (a.handshaking) {
            handshakesFailed++;
        }
        remove(a);
        DtlsException failure = new DtlsException("internal error: " + e, AlertDescription.INTERNAL_ERROR, false, e);
        safely(() -> handler.onClosed(a, failure));
    }

    private void onDatagram(InetSocketAddress from, byte[] data, int length, long t) {
        byte[] cid = RecordCodec.firstConnectionId(data, 0, length, config.connectionIdLength());
        if (cid != null) {
            onConnectionIdDatagram(from, cid, data, length, t);
            return;
        }
        Association pending = replacements.get(from);
        if (pending != null && !supersedesPendingReplacement(pending, data, length)) {
            duringReplacement(associations.get(from), pending, data, length, t);
            return;
        }
        Association a = associations.get(from);
        if (a != null && a.isClient() && a.engine.status() == DtlsEngine.Status.HANDSHAKING
                && looksLikeInitialClientHello(data, length)) {
            crossedClientHello(a, from, data, length, t);
            return;
        }
        if (a != null && !(a.engine.status() != DtlsEngine.Status.HANDSHAKING && replaceableByNewHandshake(a)
                && looksLikeInitialClientHello(data, length))) {
            guarded(a, () -> {
                a.engine.receive(data, 0, length, t);
                afterActivity(a, t);
            });
            return;
        }
        CookieExchange.Verdict verdict = cookieExchange.check(data, 0, length, PeerIds.of(from), t);
        if (verdict instanceof CookieExchange.Reply reply) {
            helloVerifyRequests++;
            sendStateless(reply.datagram(), from);
        } else if (verdict instanceof CookieExchange.Drop drop) {
            count(drops, drop.reason());
        } else if (verdict instanceof CookieExchange.Accept accept) {
            if (pending != null) {
                // Another new handshake from the address supersedes one not yet complete: only
                // the latest ClientHello of a restarted peer can finish (RFC 6347 4.2.8).
                remove(pending);
                DtlsException failure = new DtlsException("superseded by a newer handshake from " + from);
                safely(() -> handler.onClosed(pending, failure));
            }
            if (tableSize() >= limits.maxAssociations() || handshakesInProgress >= limits.maxHandshakes()) {
                refusedAtLimit++;
                return;
            }
            byte[] localId = newConnectionId();
            if (localId == null) {
                refuseForConnectionIds(from);
                return;
            }
            Association created = new Association(from, DtlsEngine.server(associationConfig, accept, t, localId), t);
            if (a != null) {
                // RFC 6347 4.2.8: a new handshake from the address of an established association,
                // proven by a cookie, may mean the peer lost its state; but a captured ClientHello
                // replayed while its cookie is valid proves nothing. The old association stays
                // until the new handshake completes (completeReplacement), and if it never does.
                created.replaces = a;
                created.helloRandom = SimultaneousOpen.clientHelloRandom(data, length);
            }
            add(created);
            guarded(created, () -> {
                created.engine.receive(data, 0, length, t);
                afterActivity(created, t);
            });
        }
    }

    /**
     * A datagram from an address where an established association and the new handshake that
     * may replace it (RFC 6347 4.2.8) both live. Epoch 0 carries the new handshake until its
     * ChangeCipherSpec, so it goes to the new one only; a protected record may belong to either
     * (the new handshake's Finished and the old association's data are both epoch 1), so it is
     * offered to both, the old first: each drops what does not authenticate under its keys
     * (RFC 6347 4.1.2.7) and keeps its own replay window.
     */
    private void duringReplacement(Association old, Association pending, byte[] data, int length, long t) {
        if (old != null && firstEpoch(data, length) != 0) {
            guarded(old, () -> {
                old.engine.receive(data, 0, length, t);
                afterActivity(old, t);
            });
        }
        if (!pending.removed) {
            guarded(pending, () -> {
                pending.engine.receive(data, 0, length, t);
                afterActivity(pending, t);
            });
        }
    }

    /**
     * Whether {@code data} is an initial ClientHello other than the one that began
     * {@code pending} (not its retransmission): it then goes through the cookie exchange and,
     * once verified, supersedes {@code pending}.
     */
    private static boolean supersedesPendingReplacement(Association pending, byte[] data, int length) {
        if (!looksLikeInitialClientHello(data, length)) {
            return false;
        }
        byte[] random = SimultaneousOpen.clientHelloRandom(data, length);
        return random != null && !java.util.Arrays.equals(random, pending.helloRandom);
    }

    /**
     * The new handshake from an established association's address completed (RFC 6347 4.2.8):
     * the peer proved it is the peer, so the old association ends. Quietly: the peer has lost
     * it, and a close_notify would reach the new association's peer, not the old one's.
     */
    private void completeReplacement(Association created) {
        Association old = created.replaces;
        created.replaces = null;
        created.helloRandom = null;
        replacements.remove(created.peer, created);
        if (!old.removed) {
            count(evictions, ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE);
            log.debug("{}: a new handshake completed; it replaces the established association", created.peer);
            remove(old);
            DtlsException failure = new DtlsException("replaced: the peer at " + created.peer
                    + " completed a new handshake (RFC 6347 4.2.8)");
            safely(() -> handler.onClosed(old, failure));
        }
        Association holder = associations.get(created.peer);
        if (holder == null) {
            associations.put(created.peer, created);
        } else if (holder != created) {
            // Another association took the address meanwhile: the new one cannot be reached.
            evict(created, ServerStats.Eviction.ADDRESS_TAKEN_OVER, "its address now belongs to another association");
        }
    }

    /**
     * A ClientHello from a peer we are handshaking with as a client: both opened at once
     * ({@link SimultaneousOpen}). If our random wins, the peer yields when our ClientHello
     * reaches it and this one is dropped unanswered. If theirs wins, the peer must first return
     * a cookie (RFC 6347 4.2.1: so a spoofed ClientHello cannot end our handshake); then our
     * client association gives way to a server-role one that answers it and requires the peer's
     * certificate, as our client would have required the server's.
     */
    private void crossedClientHello(Association ours, InetSocketAddress from, byte[] data, int length, long t) {
        if (!SimultaneousOpen.yields(ours.clientHelloRandom, SimultaneousOpen.clientHelloRandom(data, length))) {
            count(drops, DropReason.UNEXPECTED_MESSAGE);
            return;
        }
        CookieExchange.Verdict verdict = cookieExchange.check(data, 0, length, PeerIds.of(from), t);
        if (verdict instanceof CookieExchange.Reply reply) {
            helloVerifyRequests++;
            sendStateless(reply.datagram(), from);
        } else if (verdict instanceof CookieExchange.Drop drop) {
            count(drops, drop.reason());
        } else if (verdict instanceof CookieExchange.Accept accept) {
            count(evictions, ServerStats.Eviction.YIELDED_TO_PEER_HANDSHAKE);
            log.debug("simultaneous open with {}: the peer's handshake wins, ours gives way", from);
            remove(ours);
            // The server-role association stands in for a client one that was to authenticate
            // this peer: it requires the peer's certificate, checked by the same verifier.
            DtlsConfig yielded = associationConfig.clientAuth() == DtlsConfig.ClientAuth.NEED ? associationConfig
                    : associationConfig.toBuilder().clientAuth(DtlsConfig.ClientAuth.NEED).build();
            byte[] cid = newConnectionId();
            if (cid == null) {
                refuseForConnectionIds(from);
                return;
            }
            Association created = new Association(from, DtlsEngine.server(yielded, accept, t, cid), t);
            add(created);
            safely(() -> handler.onYielded(ours, created));
            guarded(created, () -> {
                created.engine.receive(data, 0, length, t);
                afterActivity(created, t);
            });
        }
    }

    /**
     * A datagram whose first record carries a connection ID (RFC 9146 4): routed by the ID,
     * whatever its source. Only a record that authenticated under the ID and is the newest the
     * association has seen moves the peer's address (RFC 9146 6).
     */
    private void onConnectionIdDatagram(InetSocketAddress from, byte[] cid, byte[] data, int length, long t) {
        Association a = byConnectionId.get(ByteBuffer.wrap(cid));
        if (a == null) {
            count(drops, DropReason.UNKNOWN_CONNECTION_ID);
            return;
        }
        guarded(a, () -> {
            DtlsEngine.Received received = a.engine.receive(data, 0, length, t);
            if (received.movesPeerAddress() && !from.equals(a.peer)) {
                movePeer(a, from);
            }
            afterActivity(a, t);
        });
    }

    /** The peer rebound to {@code to}; an association that had that address loses it (its NAT mapping is gone). */
    private void movePeer(Association a, InetSocketAddress to) {
        InetSocketAddress previous = a.peer;
        Association displaced = associations.get(to);
        if (displaced != null && displaced != a) {
            // No close_notify: it would go to the new owner of the address, not to that peer.
            count(evictions, ServerStats.Eviction.ADDRESS_TAKEN_OVER);
            remove(displaced);
            DtlsException failure = new DtlsException("evicted: its address " + to
                    + " now belongs to another association's peer (connection ID rebinding)");
            safely(() -> handler.onClosed(displaced, failure));
        }
        associations.remove(previous, a);
        a.peer = to;
        associations.put(to, a);
        peerAddressChanges++;
        log.debug("peer moved from {} to {} (RFC 9146 connection ID)", previous, to);
        safely(() -> handler.onPeerAddressChanged(a, previous));
    }

    /**
     * A connection ID of the configured length that no association receives on (empty without
     * IDs), or {@code null} when none is free. Random IDs are tried {@link
     * #CONNECTION_ID_ATTEMPTS} times; a space of at most {@link #SCANNED_CONNECTION_ID_LENGTH}
     * bytes (65,536 IDs) is then scanned once, so a full space is found for sure and the lock is
     * held for a bounded time (RFC 9146 3 leaves the choice of IDs to the receiver).
     */
    private byte[] newConnectionId() {
        int length = associationConfig.connectionIdLength();
        if (length == 0) {
            return new byte[0];
        }
        for (int i = 0; i < CONNECTION_ID_ATTEMPTS; i++) {
            byte[] cid = DtlsEngine.randomConnectionId(associationConfig);
            if (!byConnectionId.containsKey(ByteBuffer.wrap(cid))) {
                return cid;
            }
        }
        if (length <= SCANNED_CONNECTION_ID_LENGTH) {
            int space = 1 << (8 * length);
            int start = associationConfig.random().nextInt(space);
            for (int i = 0; i < space; i++) {
                int v = (start + i) & (space - 1);
                byte[] cid = length == 1 ? new byte[] {(byte) v} : new byte[] {(byte) (v >> 8), (byte) v};
                if (!byConnectionId.containsKey(ByteBuffer.wrap(cid))) {
                    return cid;
                }
            }
        }
        return null;
    }

    /** Counts and logs (the first time at WARN) a handshake refused because every connection ID is taken. */
    private void refuseForConnectionIds(InetSocketAddress peer) {
        connectionIdsExhausted++;
        if (connectionIdsExhausted == 1) {
            log.warn("DTLS server: no free connection ID of {} byte(s) for {} ({} associations receive on IDs); "
                    + "handshakes are refused until one ends. Configure a longer DtlsConfig.connectionIdLength",
                    associationConfig.connectionIdLength(), peer, byConnectionId.size());
        } else {
            log.debug("no free connection ID for {}; handshake refused", peer);
        }
    }

    /**
     * Whether a cookie-verified ClientHello from {@code a}'s address may replace it (RFC 6347
     * 4.2.8: the peer lost its state). Always for an association we accepted; for one we opened
     * as a client only when client certificates are required, because the replacement then
     * authenticates the peer as the original did. Otherwise a ClientHello from that address could
     * swap a server we authenticated for a client we might not (docs/SECURITY.md).
     */
    private boolean replaceableByNewHandshake(Association a) {
        return !a.isClient() || associationConfig.clientAuth() == DtlsConfig.ClientAuth.NEED;
    }

    /** The epoch of the datagram's first record (RFC 6347 4.1), or -1 if it has no full header. */
    private static int firstEpoch(byte[] d, int length) {
        return length < 13 ? -1 : (d[3] & 0xff) << 8 | (d[4] & 0xff);
    }

    /** An epoch-0 record carrying a ClientHello: the start of a new handshake, not part of the current one. */
    private static boolean looksLikeInitialClientHello(byte[] d, int length) {
        return length > 25 && d[0] == 22 && d[3] == 0 && d[4] == 0 && d[13] == 1;
    }

    private void add(Association a) {
        if (a.replaces != null) {
            replacements.put(a.peer, a);
        } else {
            associations.put(a.peer, a);
        }
        if (a.connectionId != null) {
            byConnectionId.put(a.connectionId, a);
        }
        handshakesInProgress++;
    }

    /** Runs every timer due at {@code now}: retransmissions, handshake deadlines, idle timeouts. */
    void runTimers(long now) {
        synchronized (lock) {
            Wake w;
            while ((w = wakes.peek()) != null && w.time() <= now) {
                wakes.poll();
                Association a = w.association();
                if (a.removed || a.scheduledWake != w.time()) {
                    continue; // stale: the association went away or was rescheduled earlier
                }
                a.scheduledWake = Long.MAX_VALUE;
                guarded(a, () -> onWake(a, now));
            }
        }
    }

    private void onWake(Association a, long now) {
        if (a.handshaking && now >= a.createdAt + limits.handshakeDeadlineMillis()) {
            evict(a, ServerStats.Eviction.HANDSHAKE_DEADLINE,
                    "handshake not complete within " + limits.handshakeDeadlineMillis() + " ms");
            return;
        }
        if (!a.handshaking && a.engine.status() == DtlsEngine.Status.ESTABLISHED
                && now >= a.lastActivity + limits.idleTimeoutMillis()) {
            evict(a, ServerStats.Eviction.IDLE, "idle for " + limits.idleTimeoutMillis() + " ms");
            return;
        }
        if (a.engine.nextDeadline() <= now) {
            a.engine.handleTimeout(now);
        }
        afterActivity(a, now);
    }

    /** The earliest time {@link #runTimers} has work, or {@link Long#MAX_VALUE}. */
    long nextWake() {
        synchronized (lock) {
            Wake w = wakes.peek();
            return w == null ? Long.MAX_VALUE : w.time();
        }
    }

    /** Entries in the timer queue, live and stale: bounded by a small multiple of the associations. */
    int timerQueueSize() {
        synchronized (lock) {
            return wakes.size();
        }
    }

    private void schedule(Association a) {
        if (a.removed) {
            return;
        }
        long wake = a.engine.nextDeadline();
        if (a.handshaking) {
            wake = Math.min(wake, a.createdAt + limits.handshakeDeadlineMillis());
        } else if (a.engine.status() == DtlsEngine.Status.ESTABLISHED) {
            wake = Math.min(wake, a.lastActivity + limits.idleTimeoutMillis());
        }
        // Only an earlier wake needs a new entry; a later one is found when the earlier fires.
        if (wake < a.scheduledWake) {
            a.scheduledWake = wake;
            wakes.add(new Wake(wake, a));
        }
    }

    private void evict(Association a, ServerStats.Eviction why, String reason) {
        count(evictions, why);
        log.debug("evicting {}: {}", a.peer, reason);
        if (a.engine.status() == DtlsEngine.Status.ESTABLISHED) {
            a.engine.close();
            flushReporting(a);
        }
        remove(a);
        DtlsException failure = new DtlsException("evicted: " + reason);
        safely(() -> handler.onClosed(a, failure));
    }

    private void remove(Association a) {
        if (a.removed) {
            return;
        }
        a.removed = true;
        associations.remove(a.peer, a);
        replacements.remove(a.peer, a);
        if (a.connectionId != null) {
            byConnectionId.remove(a.connectionId, a);
        }
        if (a.handshaking) {
            a.handshaking = false;
            handshakesInProgress--;
        }
        retiredRetransmissions += a.engine.retransmissions();
        a.engine.drops().forEach((reason, n) -> retiredDrops.merge(reason, n, Long::sum));
    }

    private void afterActivity(Association a, long now) {
        flushReporting(a);
        EngineEvent event;
        while ((event = a.engine.pollEvent()) != null) {
            a.lastActivity = now;
            switch (event.kind()) {
                case HANDSHAKE_COMPLETE -> {
                    handshakesCompleted++;
                    if (a.handshaking) {
                        a.handshaking = false;
                        handshakesInProgress--;
                    }
                    if (a.replaces != null) {
                        completeReplacement(a);
                    }
                    safely(() -> handler.onHandshakeComplete(a));
                }
                case FAILED -> {
                    if (a.engine.session() == null) {
                        handshakesFailed++;
                    }
                    log.debug("association with {} failed: {}", a.peer, event.failure().getMessage());
                    flushReporting(a);
                    remove(a);
                    DtlsException failure = event.failure();
                    safely(() -> handler.onClosed(a, failure));
                }
                case CLOSED -> {
                    flushReporting(a);
                    remove(a);
                    safely(() -> handler.onClosed(a, null));
                }
                case WARNING_ALERT -> log.debug("warning alert {} from {}", event.alert(), a.peer);
            }
        }
        byte[] data;
        while ((data = a.engine.pollApplicationData()) != null) {
            a.lastActivity = now;
            byte[] d = data;
            safely(() -> handler.onData(a, d));
        }
        flushReporting(a);
        schedule(a);
    }

    private void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            callbackErrors++;
            log.warn("DTLS server handler threw; the server keeps serving", e);
        }
    }

    /** Sends the association's queued datagrams; a socket error goes to the counters, the log and the handler. */
    private void flushReporting(Association a) {
        try {
            flush(a);
        } catch (IOException e) {
            log.warn("DTLS datagram to {} not sent: {}", a.peer, e.toString());
            safely(() -> handler.onSendError(a, e));
        }
    }

    private void flush(Association a) throws IOException {
        byte[] datagram;
        IOException first = null;
        while ((datagram = a.engine.pollDatagram()) != null) {
            if (a.clientHelloRandom == null && a.isClient()) {
                a.clientHelloRandom = SimultaneousOpen.clientHelloRandom(datagram, datagram.length);
            }
            try {
                if (!transport.send(ByteBuffer.wrap(datagram), a.peer)) {
                    sendErrors++;
                    log.debug("send buffer full: datagram to {} dropped", a.peer);
                }
            } catch (IOException e) {
                sendErrors++;
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void sendStateless(byte[] datagram, InetSocketAddress to) {
        try {
            if (!transport.send(ByteBuffer.wrap(datagram), to)) {
                sendErrors++;
            }
        } catch (IOException e) {
            sendErrors++;
            log.debug("HelloVerifyRequest to {} not sent: {}", to, e.toString());
        }
    }

    private static <K extends Enum<K>> void count(EnumMap<K, Long> counters, K key) {
        counters.merge(key, 1L, Long::sum);
    }

    // ---------------------------------------------------------------- counters

    /** A consistent snapshot of every counter. */
    public ServerStats stats() {
        synchronized (lock) {
            EnumMap<DropReason, Long> allDrops = new EnumMap<>(drops);
            retiredDrops.forEach((reason, n) -> allDrops.merge(reason, n, Long::sum));
            long retransmissions = retiredRetransmissions;
            for (Association a : all()) {
                a.engine.drops().forEach((reason, n) -> allDrops.merge(reason, n, Long::sum));
                retransmissions += a.engine.retransmissions();
            }
            return new ServerStats(tableSize(), handshakesInProgress, handshakesCompleted, handshakesFailed,
                    helloVerifyRequests, refusedAtLimit, evictions, allDrops, retransmissions, sendErrors,
                    peerAddressChanges, connectionIdsExhausted, internalErrors, callbackErrors);
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
            return handshakesCompleted;
        }
    }

    public long handshakesFailed() {
        synchronized (lock) {
            return handshakesFailed;
        }
    }

    public long helloVerifyRequestsSent() {
        synchronized (lock) {
            return helloVerifyRequests;
        }
    }

    public long refusedAtLimit() {
        synchronized (lock) {
            return refusedAtLimit;
        }
    }

    public int associationCount() {
        synchronized (lock) {
            return tableSize();
        }
    }

    /** Associations kept, established and handshaking, pending replacements included. */
    private int tableSize() {
        return associations.size() + replacements.size();
    }

    private List<Association> all() {
        List<Association> all = new ArrayList<>(associations.values());
        all.addAll(replacements.values());
        return all;
    }

    public int handshakesInProgress() {
        synchronized (lock) {
            return handshakesInProgress;
        }
    }

    /** Datagrams dropped before any association existed, by reason ({@link #stats()} has all drops). */
    public Map<DropReason, Long> preAssociationDrops() {
        synchronized (lock) {
            return new EnumMap<>(drops);
        }
    }

    /** The associations now in the table (a copy). */
    public List<Association> associations() {
        synchronized (lock) {
            return all();
        }
    }

    /** Sends close_notify to every peer and stops the loop. */
    @Override
    public void close() throws IOException {
        running = false;
        synchronized (lock) {
            for (Association a : all()) {
                try {
                    a.engine.close();
                    flush(a);
                } catch (IOException | RuntimeException e) {
                    log.debug("close_notify to {} not sent: {}", a.peer, e.toString());
                }
                remove(a);
            }
            wakes.clear();
        }
        if (selector != null) {
            selector.close();
        }
        if (channel != null) {
            channel.close();
        }
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
