package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a socket-bound {@link DtlsServer}: waits on the channel until a datagram
 * arrives or the next timer is due (or, while the socket is busy, pauses briefly instead:
 * {@link ReceivePacing}), hands datagrams to the {@link DatagramRouter} in batches and runs the
 * due timers, all under the server's lock.
 */
final class ServerLoop {
    private static final Logger log = LoggerFactory.getLogger(DtlsServer.class);

    /** Datagrams handled per round before timers run, so a flood cannot starve retransmissions. */
    static final int RECEIVE_BATCH = 1_024;
    /** The longest the loop sleeps without a timer due, so that {@link #halt()} is noticed. */
    static final long MAX_SELECT_MILLIS = 1_000;
    /** Largest UDP payload: any datagram fits. */
    private static final int RECEIVE_BUFFER = 65_536;
    /** How long {@link #stop()} waits for the thread to end. */
    private static final long JOIN_MILLIS = 1_000;

    private final DatagramChannel channel;
    private final Selector selector;
    private final Object lock;
    private final LongSupplier clock;
    private final TimerQueue timers;
    private final DatagramRouter router;
    private final LongConsumer runTimers;
    private final ServerCounters counters;
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
    private volatile boolean running = true;
    private Thread thread;

    ServerLoop(DatagramChannel channel, Selector selector, Object lock, LongSupplier clock, TimerQueue timers,
            DatagramRouter router, LongConsumer runTimers, ServerCounters counters) {
        this.channel = channel;
        this.selector = selector;
        this.lock = lock;
        this.clock = clock;
        this.timers = timers;
        this.router = router;
        this.runTimers = runTimers;
        this.counters = counters;
    }

    /** Runs the loop on a new daemon thread. */
    void start(String name) {
        thread = new Thread(this::runQuietly, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean alive() {
        return thread != null && thread.isAlive();
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

    /** The loop; returns once {@link #stop()} is called. */
    void run() throws IOException {
        try {
            int received = 0;
            while (running) {
                long wait;
                synchronized (lock) {
                    wait = Math.min(MAX_SELECT_MILLIS, timers.next() - clock.getAsLong());
                }
                switch (ReceivePacing.next(received, wait)) {
                    case NONE -> selector.selectNow();
                    case PAUSE -> LockSupport.parkNanos(ReceivePacing.BUSY_PAUSE_NANOS);
                    case SELECT -> selector.select(wait);
                }
                selector.selectedKeys().clear();
                synchronized (lock) {
                    received = receiveBatch();
                    runTimers.accept(clock.getAsLong());
                }
            }
        } catch (ClosedSelectorException e) {
            // closed by stop()
        }
    }

    /** Handles up to {@link #RECEIVE_BATCH} datagrams; returns how many it found. */
    private int receiveBatch() throws IOException {
        int found = 0;
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                // An unconnected UDP socket can still see ICMP errors on some platforms: report, keep serving.
                counters.sendErrors++;
                log.warn("DTLS server receive error (ICMP?): {}", e.toString());
                continue;
            }
            if (from == null) {
                return found;
            }
            found++;
            buffer.flip();
            router.route((InetSocketAddress) from, buffer.array(), buffer.limit(), clock.getAsLong());
        }
        return found;
    }

    /** Wakes the loop to recompute its wait (a timer was added from another thread). */
    void wakeup() {
        selector.wakeup();
    }

    /** Asks the loop to end after its current round (it takes no new one). */
    void halt() {
        running = false;
    }

    /** Stops the loop, closes the selector and the channel, and waits a bounded time for the thread. */
    void stop() throws IOException {
        running = false;
        selector.close();
        channel.close();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
