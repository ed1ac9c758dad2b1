package org.dtlsip.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on loopback that drops a fraction of datagrams in both directions, below DTLS.
 * Peer A sends to {@link #facingA()} as if it were B; peer B sends to {@link #facingB()} as if
 * it were A. Each side's traffic leaves from the other socket, so each side sees one stable
 * peer address (one DTLS association).
 */
final class LossyRelay implements AutoCloseable {
    private final DatagramSocket towardA;
    private final DatagramSocket towardB;
    private final InetSocketAddress a;
    private final InetSocketAddress b;
    private final double loss;
    private final Random random;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean cut;
    /** Counted down by each direction's first datagram; see {@link #crossFirstDatagrams()}. */
    private volatile java.util.concurrent.CountDownLatch firsts;

    LossyRelay(InetSocketAddress a, InetSocketAddress b, double loss, long seed) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.towardA = new DatagramSocket(0, lo);
        this.towardB = new DatagramSocket(0, lo);
        this.a = a;
        this.b = b;
        this.loss = loss;
        this.random = new Random(seed);
        start(towardA, towardB, b, "relay-a-to-b");
        start(towardB, towardA, a, "relay-b-to-a");
    }

    /** Where A sends to reach B. */
    InetSocketAddress facingA() {
        return (InetSocketAddress) towardA.getLocalSocketAddress();
    }

    /** Where B sends to reach A. */
    InetSocketAddress facingB() {
        return (InetSocketAddress) towardB.getLocalSocketAddress();
    }

    /** While cut, every datagram is dropped both ways (a network outage, or a peer that went silent). */
    void cut(boolean cut) {
        this.cut = cut;
    }

    /**
     * Holds the first datagram of each direction until the other direction's first arrives,
     * then forwards both: two ClientHellos sent at about the same time are sure to cross.
     */
    void crossFirstDatagrams() {
        firsts = new java.util.concurrent.CountDownLatch(2);
    }

    long dropped() {
        return dropped.get();
    }

    long forwarded() {
        return forwarded.get();
    }

    private void start(DatagramSocket in, DatagramSocket out, InetSocketAddress to, String name) throws IOException {
        in.setSoTimeout(200);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65_536];
            boolean first = true;
            while (running) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    in.receive(p);
                    boolean drop;
                    synchronized (random) {
                        drop = cut || random.nextDouble() < loss;
                    }
                    if (drop) {
                        dropped.incrementAndGet();
                        continue;
                    }
                    java.util.concurrent.CountDownLatch latch = firsts;
                    if (first && latch != null) {
                        first = false;
                        latch.countDown();
                        latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    out.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), to));
                    forwarded.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // check running
                } catch (IOException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        running = false;
        towardA.close();
        towardB.close();
    }
}
