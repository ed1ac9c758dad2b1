package org.dtlsip.bench.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;

/**
 * The load generator of the {@code server} scenario, the same for every server: our sans-IO
 * client engine ({@link DtlsEngine}), one non-blocking UDP socket per handshake, and a few
 * threads each driving its share of the clients with a {@link Selector}. Closed loop: each
 * thread keeps {@code concurrency / threads} handshakes in flight until the total is reached.
 * A completed client sends nothing more and closes its socket without close_notify, so the
 * server keeps the association (idle) — which is what the memory measurement needs.
 *
 * <p>Every handshake gets its own source address, never reused in the JVM: 127.0.0.2 and up,
 * ports 20,000–59,999, so a server never sees a new ClientHello from an address it already
 * holds an association for.
 */
public final class LoadClients {
    private static final AtomicLong NEXT_ADDRESS = new AtomicLong();
    private static final int PORTS = 40_000;
    private static final int FIRST_PORT = 20_000;

    /** Totals of one run. */
    public record Result(int completed, int failed, double seconds, long[] latencyNanos, long retransmissions) {
        public double perSecond() {
            return completed / seconds;
        }
    }

    private LoadClients() {
    }

    static InetSocketAddress nextLocal() {
        long n = NEXT_ADDRESS.getAndIncrement();
        long host = 2 + n / PORTS;
        return new InetSocketAddress("127." + (host >> 16 & 0xff) + "." + (host >> 8 & 0xff) + "." + (host & 0xff),
                FIRST_PORT + (int) (n % PORTS));
    }

    /** Runs {@code total} handshakes against {@code server}, {@code concurrency} at a time over {@code threads} threads. */
    public static Result run(InetSocketAddress server, DtlsConfig config, int total, int concurrency, int threads,
            long deadlineMillis) throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong retransmissions = new AtomicLong();
        long[] latency = new long[total];
        AtomicInteger latencyIndex = new AtomicInteger();
        long t0 = System.nanoTime();
        long end = t0 + deadlineMillis * 1_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int share = concurrency / threads + (i < concurrency % threads ? 1 : 0);
            Thread t = new Thread(() -> {
                try {
                    new Worker(server, config, share, total, started, completed, failed, retransmissions, latency,
                            latencyIndex, end).loop();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, "load-client-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] l = java.util.Arrays.copyOf(latency, Math.min(total, latencyIndex.get()));
        return new Result(completed.get(), failed.get(), seconds, l, retransmissions.get());
    }

    private static final class Client {
        final DatagramChannel channel;
        final DtlsEngine engine;
        final long startNanos;

        Client(DatagramChannel channel, DtlsEngine engine, long startNanos) {
            this.channel = channel;
            this.engine = engine;
            this.startNanos = startNanos;
        }
    }

    private static final class Worker {
        private final InetSocketAddress server;
        private final DtlsConfig config;
        private final int share;
        private final int total;
        private final AtomicInteger started;
        private final AtomicInteger completed;
        private final AtomicInteger failed;
        private final AtomicLong retransmissions;
        private final long[] latency;
        private final AtomicInteger latencyIndex;
        private final long end;
        private final Selector selector;
        private final List<Client> active = new ArrayList<>();
        private final ByteBuffer buf = ByteBuffer.allocateDirect(65_536);

        Worker(InetSocketAddress server, DtlsConfig config, int share, int total, AtomicInteger started,
                AtomicInteger completed, AtomicInteger failed, AtomicLong retransmissions, long[] latency,
                AtomicInteger latencyIndex, long end) throws IOException {
            this.server = server;
            this.config = config;
            this.share = share;
            this.total = total;
            this.started = started;
            this.completed = completed;
            this.failed = failed;
            this.retransmissions = retransmissions;
            this.latency = latency;
            this.latencyIndex = latencyIndex;
            this.end = end;
            this.selector = Selector.open();
        }

        static long millis() {
            return System.nanoTime() / 1_000_000L;
        }

        void loop() throws IOException {
            try {
                while (true) {
                    while (active.size() < share && started.getAndIncrement() < total) {
                        start();
                    }
                    if (active.isEmpty() || System.nanoTime() > end) {
                        break;
                    }
                    selector.select(5);
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey key = it.next();
                        it.remove();
                        Client c = (Client) key.attachment();
                        if (!key.isValid()) {
                            continue;
                        }
                        while (true) {
                            buf.clear();
                            if (c.channel.receive(buf) == null) {
                                break;
                            }
                            buf.flip();
                            byte[] d = new byte[buf.remaining()];
                            buf.get(d);
                            c.engine.receive(d, millis());
                        }
                        flush(c);
                    }
                    long now = millis();
                    for (int i = active.size() - 1; i >= 0; i--) {
                        Client c = active.get(i);
                        if (c.engine.status() == DtlsEngine.Status.HANDSHAKING && now >= c.engine.nextDeadline()) {
                            c.engine.handleTimeout(now);
                            flush(c);
                        }
                    }
                }
                for (Client c : new ArrayList<>(active)) {
                    finish(c, false);
                }
            } finally {
                selector.close();
            }
        }

        private void start() throws IOException {
            DatagramChannel ch = DatagramChannel.open();
            while (true) {
                try {
                    ch.bind(nextLocal());
                    break;
                } catch (BindException e) {
                    // taken by something else on this host: take the next address
                }
            }
            ch.connect(server);
            ch.configureBlocking(false);
            Client c = new Client(ch, DtlsEngine.client(config, millis()), System.nanoTime());
            ch.register(selector, SelectionKey.OP_READ, c);
            active.add(c);
            flush(c);
        }

        private void flush(Client c) throws IOException {
            byte[] d;
            while ((d = c.engine.pollDatagram()) != null) {
                c.channel.write(ByteBuffer.wrap(d));
            }
            EngineEvent e;
            while ((e = c.engine.pollEvent()) != null) {
                if (e.kind() == EngineEvent.Kind.HANDSHAKE_COMPLETE) {
                    finish(c, true);
                    return;
                }
                if (e.kind() == EngineEvent.Kind.FAILED || e.kind() == EngineEvent.Kind.CLOSED) {
                    finish(c, false);
                    return;
                }
            }
        }

        private void finish(Client c, boolean ok) throws IOException {
            if (!active.remove(c)) {
                return;
            }
            if (ok) {
                completed.incrementAndGet();
                int i = latencyIndex.getAndIncrement();
                if (i < latency.length) {
                    latency[i] = System.nanoTime() - c.startNanos;
                }
            } else {
                failed.incrementAndGet();
            }
            retransmissions.addAndGet(c.engine.retransmissions());
            c.channel.close();
        }
    }
}
