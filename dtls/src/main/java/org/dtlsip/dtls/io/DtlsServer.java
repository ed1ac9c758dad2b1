package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.record.DropReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many DTLS peers on one UDP port. One thread owns the channel and every association; a
 * datagram from an unknown address goes through the stateless {@link CookieExchange} before
 * any state exists (RFC 6347 4.2.1). The same port can also open client-role associations
 * with {@link #connect}, so a peer such as a SIP stack sends and receives on one 5-tuple.
 * Handlers run on the server thread and must not block.
 */
public final class DtlsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsServer.class);

    /** Associations (handshaking or established) kept at once; more ClientHellos are dropped. */
    public static final int DEFAULT_MAX_ASSOCIATIONS = 10_000;
    /** Handshakes in progress at once: what a flood of cookie-bearing ClientHellos can cost. */
    public static final int DEFAULT_MAX_HANDSHAKES = 1_000;
    private static final int RECEIVE_BUFFER = 65_536;

    /** Callbacks from the server thread. */
    public interface Handler {
        default void onHandshakeComplete(Association association) {
        }

        void onData(Association association, byte[] data);

        /** The association ended: {@code failure} is null after close_notify. */
        default void onClosed(Association association, DtlsException failure) {
        }
    }

    /** One peer's association, as the application sees it. */
    public final class Association {
        private final InetSocketAddress peer;
        private final DtlsEngine engine;

        private Association(InetSocketAddress peer, DtlsEngine engine) {
            this.peer = peer;
            this.engine = engine;
        }

        public InetSocketAddress peer() {
            return peer;
        }

        public DtlsSession session() {
            return engine.session();
        }

        /** True once the handshake completed and until the association ends. */
        public boolean isEstablished() {
            synchronized (lock) {
                return engine.status() == DtlsEngine.Status.ESTABLISHED;
            }
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

        /** Sends one application record to this peer; callable from any thread. */
        public void send(byte[] data) throws IOException {
            synchronized (lock) {
                engine.send(data);
                flush(this);
            }
        }

        /** Sends close_notify and forgets the association. */
        public void close() throws IOException {
            synchronized (lock) {
                engine.close();
                flush(this);
                associations.remove(peer, this);
            }
        }
    }

    private final DtlsConfig config;
    private final Handler handler;
    private final DatagramChannel channel;
    private final Selector selector;
    private final CookieExchange cookieExchange;
    private final Map<SocketAddress, Association> associations = new HashMap<>();
    private final Object lock = new Object();
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
    private final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    private final AtomicLong handshakesCompleted = new AtomicLong();
    private final AtomicLong handshakesFailed = new AtomicLong();
    private final AtomicLong helloVerifyRequests = new AtomicLong();
    private final AtomicLong refusedAtLimit = new AtomicLong();
    private final int maxAssociations;
    private final int maxHandshakes;
    private volatile boolean running = true;
    private Thread thread;

    private DtlsServer(DtlsConfig config, Handler handler, DatagramChannel channel, Selector selector,
            int maxAssociations, int maxHandshakes) {
        this.config = config;
        this.handler = handler;
        this.channel = channel;
        this.selector = selector;
        this.cookieExchange = new CookieExchange(config);
        this.maxAssociations = maxAssociations;
        this.maxHandshakes = maxHandshakes;
    }

    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, Handler handler) throws IOException {
        return bind(local, config, handler, DEFAULT_MAX_ASSOCIATIONS, DEFAULT_MAX_HANDSHAKES);
    }

    public static DtlsServer bind(InetSocketAddress local, DtlsConfig config, Handler handler,
            int maxAssociations, int maxHandshakes) throws IOException {
        if (config.certifiedKey() == null && config.pskStore() == null) {
            throw new IllegalArgumentException("a DTLS server needs a certificate and key or a PSK store"
                    + " (DtlsConfig.certifiedKey / pskStore)");
        }
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.bind(local);
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new DtlsServer(config, handler, channel, selector, maxAssociations, maxHandshakes);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot listen on " + local + ": " + e.getMessage()
                    + " (is another process using the port?)", e);
        }
    }

    /**
     * Opens a client-role association to {@code peer} from this server's port; the handshake
     * runs on the server thread and completion is reported to the handler. An existing
     * association with that peer is returned as it is.
     */
    public Association connect(InetSocketAddress peer) throws IOException {
        synchronized (lock) {
            Association existing = associations.get(peer);
            if (existing != null) {
                return existing;
            }
            Association a = new Association(peer, DtlsEngine.client(config, now()));
            associations.put(peer, a);
            afterActivity(a);
            selector.wakeup();
            return a;
        }
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

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** The server loop; returns when {@link #close()} is called. */
    public void run() throws IOException {
        try {
            while (running) {
                long wait;
                synchronized (lock) {
                    wait = earliestDeadline() - now();
                }
                if (wait > 0) {
                    selector.select(Math.min(wait, 1_000));
                    selector.selectedKeys().clear();
                }
                synchronized (lock) {
                    long t = now();
                    receiveAll(t);
                    expireTimers(t);
                }
            }
        } catch (ClosedSelectorException e) {
            // closed by close()
        }
    }

    private long earliestDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Association a : associations.values()) {
            earliest = Math.min(earliest, a.engine.nextDeadline());
        }
        return earliest;
    }

    private void receiveAll(long t) throws IOException {
        while (true) {
            buffer.clear();
            SocketAddress from = channel.receive(buffer);
            if (from == null) {
                return;
            }
            buffer.flip();
            onDatagram((InetSocketAddress) from, buffer.array(), buffer.limit(), t);
        }
    }

    private void onDatagram(InetSocketAddress from, byte[] data, int length, long t) throws IOException {
        Association a = associations.get(from);
        if (a != null) {
            a.engine.receive(data, 0, length, t);
            afterActivity(a);
            return;
        }
        CookieExchange.Verdict verdict = cookieExchange.check(data, 0, length, PeerIds.of(from), t);
        if (verdict instanceof CookieExchange.Reply reply) {
            helloVerifyRequests.incrementAndGet();
            channel.send(ByteBuffer.wrap(reply.datagram()), from);
        } else if (verdict instanceof CookieExchange.Drop drop) {
            count(drop.reason());
        } else if (verdict instanceof CookieExchange.Accept accept) {
            if (associations.size() >= maxAssociations || handshakesInProgress() >= maxHandshakes) {
                refusedAtLimit.incrementAndGet();
                return;
            }
            Association created = new Association(from, DtlsEngine.server(config, accept, t));
            associations.put(from, created);
            created.engine.receive(data, 0, length, t);
            afterActivity(created);
        }
    }

    private int handshakesInProgress() {
        int n = 0;
        for (Association a : associations.values()) {
            if (a.engine.status() == DtlsEngine.Status.HANDSHAKING) {
                n++;
            }
        }
        return n;
    }

    private void expireTimers(long t) throws IOException {
        List<Association> due = new ArrayList<>();
        for (Association a : associations.values()) {
            if (a.engine.nextDeadline() <= t) {
                due.add(a);
            }
        }
        for (Association a : due) {
            a.engine.handleTimeout(t);
            afterActivity(a);
        }
    }

    private void afterActivity(Association a) throws IOException {
        flush(a);
        EngineEvent event;
        while ((event = a.engine.pollEvent()) != null) {
            switch (event.kind()) {
                case HANDSHAKE_COMPLETE -> {
                    handshakesCompleted.incrementAndGet();
                    safely(() -> handler.onHandshakeComplete(a));
                }
                case FAILED -> {
                    if (a.engine.session() == null) {
                        handshakesFailed.incrementAndGet();
                    }
                    log.debug("association with {} failed: {}", a.peer, event.failure().getMessage());
                    associations.remove(a.peer, a);
                    DtlsException failure = event.failure();
                    safely(() -> handler.onClosed(a, failure));
                }
                case CLOSED -> {
                    associations.remove(a.peer, a);
                    safely(() -> handler.onClosed(a, null));
                }
                case WARNING_ALERT -> log.debug("warning alert {} from {}", event.alert(), a.peer);
            }
        }
        byte[] data;
        while ((data = a.engine.pollApplicationData()) != null) {
            byte[] d = data;
            safely(() -> handler.onData(a, d));
        }
        flush(a);
    }

    private void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("DTLS server handler threw; the server keeps serving", e);
        }
    }

    private void flush(Association a) throws IOException {
        byte[] datagram;
        while ((datagram = a.engine.pollDatagram()) != null) {
            channel.send(ByteBuffer.wrap(datagram), a.peer);
        }
    }

    private void count(DropReason reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    // ---------------------------------------------------------------- counters

    public long handshakesCompleted() {
        return handshakesCompleted.get();
    }

    public long handshakesFailed() {
        return handshakesFailed.get();
    }

    public long helloVerifyRequestsSent() {
        return helloVerifyRequests.get();
    }

    public long refusedAtLimit() {
        return refusedAtLimit.get();
    }

    public int associationCount() {
        synchronized (lock) {
            return associations.size();
        }
    }

    /** Datagrams dropped before any association existed, by reason. */
    public Map<DropReason, Long> preAssociationDrops() {
        synchronized (lock) {
            return new EnumMap<>(drops);
        }
    }

    /** Sends close_notify to every peer and stops the loop. */
    @Override
    public void close() throws IOException {
        running = false;
        synchronized (lock) {
            for (Iterator<Association> it = associations.values().iterator(); it.hasNext();) {
                Association a = it.next();
                a.engine.close();
                try {
                    flush(a);
                } catch (IOException e) {
                    log.debug("close_notify to {} not sent: {}", a.peer, e.toString());
                }
                it.remove();
            }
        }
        selector.close();
        channel.close();
        if (thread != null) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
