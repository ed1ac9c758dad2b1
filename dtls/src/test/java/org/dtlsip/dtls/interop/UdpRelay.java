package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A transparent UDP forwarder on 127.0.0.1 that records every datagram it passes on, per
 * direction. The client talks to {@link #address()} instead of the server; the relay forwards
 * to the server from its own second socket and sends the server's answers back to whoever
 * last sent from the client side. Nothing is changed, dropped or reordered.
 *
 * <p>Two daemon threads, one per direction, block on their channel; {@link #close()} closes
 * both channels and joins the threads.
 */
public final class UdpRelay implements AutoCloseable {

    /** Which way a datagram went through the relay. */
    public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

    /** One forwarded datagram: its direction, UDP payload, and arrival time (System.nanoTime). */
    public record Datagram(Direction direction, byte[] payload, long nanoTime) {
        public int size() {
            return payload.length;
        }

        /** DTLS content type of the first record (20 CCS, 21 alert, 22 handshake, 23 data), or -1. */
        public int firstContentType() {
            return payload.length == 0 ? -1 : payload[0] & 0xff;
        }

        /**
         * The handshake fragment headers (RFC 6347 4.2.2) of the plaintext (epoch 0) handshake
         * records in this datagram; encrypted records and other content types are skipped.
         */
        public List<Fragment> handshakeFragments() {
            List<Fragment> fragments = new ArrayList<>();
            int at = 0;
            while (at + RECORD_HEADER <= payload.length) {
                int type = payload[at] & 0xff;
                int epoch = u(at + 3, 2);
                int length = u(at + 11, 2);
                int body = at + RECORD_HEADER;
                if (body + length > payload.length) {
                    break; // truncated: not a well-formed DTLS datagram
                }
                if (type == 22 && epoch == 0 && length >= HANDSHAKE_HEADER) {
                    fragments.add(new Fragment(payload[body] & 0xff, u(body + 1, 3),
                            u(body + 4, 2), u(body + 6, 3), u(body + 9, 3)));
                }
                at = body + length;
            }
            return fragments;
        }

        private int u(int offset, int bytes) {
            int v = 0;
            for (int i = 0; i < bytes; i++) {
                v = (v << 8) | (payload[offset + i] & 0xff);
            }
            return v;
        }
    }

    /** A handshake fragment header: msg_type, length, message_seq, fragment_offset, fragment_length. */
    public record Fragment(int messageType, int length, int messageSeq, int fragmentOffset,
                           int fragmentLength) {
        /** True when this fragment is a part, not the whole message. */
        public boolean partial() {
            return fragmentLength < length;
        }
    }

    /** DTLS record header: type, version, epoch, sequence number, length. */
    public static final int RECORD_HEADER = 13;
    /** DTLS handshake header: type, length, message_seq, fragment_offset, fragment_length. */
    public static final int HANDSHAKE_HEADER = 12;

    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final Thread forward;
    private final Thread backward;
    private final Object lock = new Object();
    private final List<Datagram> log = new ArrayList<>();
    private volatile SocketAddress client;
    private volatile boolean closed;

    private UdpRelay(InetSocketAddress server) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        front = DatagramChannel.open().bind(loopback);
        back = DatagramChannel.open().bind(loopback);
        back.connect(server);
        forward = thread("udp-relay-c2s", this::clientToServer);
        backward = thread("udp-relay-s2c", this::serverToClient);
    }

    /** Starts a relay in front of {@code server}. */
    public static UdpRelay start(InetSocketAddress server) throws IOException {
        return new UdpRelay(server);
    }

    /** Where the client should send: 127.0.0.1 and the relay's front port. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) front.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return address().getPort();
    }

    /** All datagrams forwarded so far, in order. */
    public List<Datagram> datagrams() {
        synchronized (lock) {
            return List.copyOf(log);
        }
    }

    /** Datagrams forwarded in one direction so far, in order. */
    public List<Datagram> datagrams(Direction direction) {
        synchronized (lock) {
            return log.stream().filter(d -> d.direction() == direction).toList();
        }
    }

    /** Sizes of the datagrams forwarded in one direction so far. */
    public List<Integer> sizes(Direction direction) {
        return datagrams(direction).stream().map(Datagram::size).toList();
    }

    /** The largest datagram forwarded in one direction, 0 if none. */
    public int maxSize(Direction direction) {
        return sizes(direction).stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Number of datagrams forwarded so far, both directions (a mark for {@link #datagramsSince}). */
    public int count() {
        synchronized (lock) {
            return log.size();
        }
    }

    /** Datagrams forwarded in {@code direction} after the first {@code mark} datagrams (any direction). */
    public List<Datagram> datagramsSince(int mark, Direction direction) {
        synchronized (lock) {
            return log.subList(Math.min(mark, log.size()), log.size()).stream()
                    .filter(d -> d.direction() == direction).toList();
        }
    }

    /**
     * Waits until a datagram in {@code direction} matching {@code matcher} has been forwarded
     * after {@code mark}; returns it, or null when {@code timeoutMillis} passed.
     */
    public Datagram await(int mark, Direction direction, java.util.function.Predicate<Datagram> matcher,
                          long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (true) {
                for (int i = Math.min(mark, log.size()); i < log.size(); i++) {
                    Datagram d = log.get(i);
                    if (d.direction() == direction && matcher.test(d)) {
                        return d;
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                lock.wait(Math.max(1, remaining / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            front.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            back.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            forward.join(1000);
            backward.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "UdpRelay[" + address() + ", " + count() + " datagrams]";
    }

    private interface Loop {
        void run() throws IOException;
    }

    private Thread thread(String name, Loop loop) {
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (ClosedChannelException e) {
                // close()
            } catch (IOException e) {
                if (!closed) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void clientToServer() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            buffer.clear();
            SocketAddress from = front.receive(buffer);
            client = from;
            buffer.flip();
            record(Direction.CLIENT_TO_SERVER, buffer);
            sendQuietly(back, buffer, null);
        }
    }

    private void serverToClient() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closed) {
            buffer.clear();
            try {
                back.receive(buffer);
            } catch (java.net.PortUnreachableException e) {
                continue; // ICMP from an earlier send to a server that was not up: ignore
            }
            buffer.flip();
            record(Direction.SERVER_TO_CLIENT, buffer);
            SocketAddress to = client;
            if (to != null) {
                sendQuietly(front, buffer, to);
            }
        }
    }

    private void record(Direction direction, ByteBuffer buffer) {
        byte[] payload = new byte[buffer.remaining()];
        buffer.duplicate().get(payload);
        synchronized (lock) {
            log.add(new Datagram(direction, payload, System.nanoTime()));
            lock.notifyAll();
        }
    }

    private static void sendQuietly(DatagramChannel channel, ByteBuffer buffer, SocketAddress to)
            throws IOException {
        try {
            if (to == null) {
                channel.write(buffer);
            } else {
                channel.send(buffer, to);
            }
        } catch (java.net.PortUnreachableException e) {
            // the receiver went away; UDP just loses the datagram
        }
    }
}
