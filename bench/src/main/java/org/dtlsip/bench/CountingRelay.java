package org.dtlsip.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A UDP relay on loopback between clients and one server that reads the DTLS record headers of
 * everything it forwards. Each client address gets its own upstream socket, so the server sees
 * one address per client as it would without the relay.
 *
 * <p>For every handshake it records the bytes and datagrams of handshake and
 * change_cipher_spec records (record headers included, i.e. the UDP payload; application data
 * and alerts are left out), and the time from the first ClientHello to the last handshake
 * datagram it forwarded. A handshake starts at a ClientHello in epoch 0 with message_seq 0 (the
 * cookie-bearing retry has message_seq 1, RFC 6347 4.2.2), so a client that reuses its port
 * is still split into handshakes correctly.
 */
public final class CountingRelay implements AutoCloseable {
    private static final int CONTENT_CCS = 20;
    private static final int CONTENT_HANDSHAKE = 22;
    private static final int RECORD_HEADER = 13;
    /**
     * DTLS 1.3 (RFC 9147 4): a DTLSCiphertext's first byte is 001CSLEE; its content type is
     * encrypted, so the relay counts the records of the handshake epoch (2, the EE bits) as the
     * handshake: EncryptedExtensions to Finished both ways and the ACKs sent in epoch 2. The
     * server's ACK of the client's Finished goes in epoch 3 and is not counted, as no 1.2
     * counterpart is. The 1.3 ClientHello and ServerHello/HelloRetryRequest are plaintext
     * handshake records (epoch 0) and counted as in 1.2.
     */
    private static final int DTLS13_CIPHERTEXT_MASK = 0xe0;
    private static final int DTLS13_CIPHERTEXT_BITS = 0x20;
    private static final int DTLS13_HANDSHAKE_EPOCH_BITS = 2;
    /** The shortest unified header: the first byte and an 8-bit sequence number. */
    private static final int DTLS13_MIN_HEADER = 2;
    /** {@code -Dbench.relay.trace=true} prints every datagram's records (type, epoch, handshake type). */
    private static final boolean TRACE = Boolean.getBoolean("bench.relay.trace");
    private final long created = System.nanoTime();

    /**
     * What one handshake put on the wire. A <em>flight</em> here is a run of handshake datagrams
     * in one direction (a change of direction starts the next one), so a retransmission in the
     * same direction adds no flight but one that interleaves with the peer's adds two; the
     * scenario reports medians over many handshakes, where that is rare on loopback.
     */
    public static final class Observation {
        public final long startNanos;
        public long lastHandshakeNanos;
        public long bytesToServer;
        public long bytesToClient;
        public int datagramsToServer;
        public int datagramsToClient;
        private int flights;
        private boolean lastToServer;

        Observation(long startNanos) {
            this.startNanos = startNanos;
            this.lastHandshakeNanos = startNanos;
        }

        /** Counts one forwarded datagram carrying {@code handshakeBytes} of handshake records. */
        void count(boolean toServer, long handshakeBytes, long now) {
            if (flights == 0 || toServer != lastToServer) {
                flights++;
                lastToServer = toServer;
            }
            if (toServer) {
                bytesToServer += handshakeBytes;
                datagramsToServer++;
            } else {
                bytesToClient += handshakeBytes;
                datagramsToClient++;
            }
            lastHandshakeNanos = now;
        }

        /** Runs of handshake datagrams in one direction (DTLS 1.2 with a cookie: 6, 1.3 without: 3). */
        public int flights() {
            return flights;
        }

        /**
         * Round trips before the client may send application data: each is a client flight and
         * the server's answer. A last client flight with no answer (1.3's client Finished) goes
         * out with the first data and costs none. So a DTLS 1.2 full handshake takes 2, plus 1
         * for a HelloVerifyRequest (RFC 6347 4.2.1); DTLS 1.3 takes 1, plus 1 for a cookie or
         * group HelloRetryRequest (RFC 9147 5, 5.1).
         */
        public int roundTrips() {
            return roundTrips(flights);
        }

        static int roundTrips(int flights) {
            return flights / 2;
        }

        public long bytes() {
            return bytesToServer + bytesToClient;
        }

        public int datagrams() {
            return datagramsToServer + datagramsToClient;
        }

        public long wireNanos() {
            return lastHandshakeNanos - startNanos;
        }
    }

    private final InetSocketAddress server;
    private final DatagramChannel front;
    private final Selector selector;
    private final Map<SocketAddress, DatagramChannel> upstream = new HashMap<>();
    private final Map<DatagramChannel, SocketAddress> clientOf = new HashMap<>();
    private final List<Observation> observations = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(65_536);
    private final Thread thread;
    private Observation current;
    private volatile boolean running = true;

    public CountingRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        this.selector = Selector.open();
        this.front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        front.configureBlocking(false);
        front.register(selector, SelectionKey.OP_READ);
        this.thread = new Thread(this::loop, "counting-relay");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** The handshakes seen so far, in order. */
    public synchronized List<Observation> observations() {
        return new ArrayList<>(observations);
    }

    public synchronized void clear() {
        observations.clear();
        current = null;
    }

    private void loop() {
        try {
            while (running) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    if (ch == front) {
                        fromClients();
                    } else {
                        fromServer(ch);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                System.err.println("relay stopped: " + e);
            }
        }
    }

    private void fromClients() throws IOException {
        while (true) {
            buffer.clear();
            SocketAddress client = front.receive(buffer);
            if (client == null) {
                return;
            }
            buffer.flip();
            account(buffer, true, System.nanoTime());
            DatagramChannel up = upstream.get(client);
            if (up == null) {
                up = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                up.connect(server);
                up.configureBlocking(false);
                up.register(selector, SelectionKey.OP_READ);
                upstream.put(client, up);
                clientOf.put(up, client);
            }
            up.write(buffer);
        }
    }

    private void fromServer(DatagramChannel up) throws IOException {
        SocketAddress client = clientOf.get(up);
        while (true) {
            buffer.clear();
            try {
                if (up.receive(buffer) == null) {
                    return;
                }
            } catch (java.net.PortUnreachableException e) {
                continue;
            }
            buffer.flip();
            account(buffer, false, System.nanoTime());
            front.send(buffer, client);
        }
    }

    private synchronized void account(ByteBuffer datagram, boolean toServer, long now) {
        if (TRACE) {
            trace(datagram, toServer, now);
        }
        int pos = datagram.position();
        int end = datagram.limit();
        long handshakeBytes = 0;
        while (end - pos >= DTLS13_MIN_HEADER) {
            int first = datagram.get(pos) & 0xff;
            if ((first & DTLS13_CIPHERTEXT_MASK) == DTLS13_CIPHERTEXT_BITS) {
                int record = dtls13Record(datagram, pos, end);
                if (record <= 0) {
                    break;
                }
                if ((first & 0x03) == DTLS13_HANDSHAKE_EPOCH_BITS) {
                    handshakeBytes += record;
                }
                pos += record;
                continue;
            }
            if (end - pos < RECORD_HEADER) {
                break;
            }
            int type = datagram.get(pos) & 0xff;
            int epoch = datagram.getShort(pos + 3) & 0xffff;
            int length = datagram.getShort(pos + 11) & 0xffff;
            int fragment = pos + RECORD_HEADER;
            if (toServer && type == CONTENT_HANDSHAKE && epoch == 0 && end - fragment >= 6
                    && datagram.get(fragment) == 1 && datagram.getShort(fragment + 4) == 0) {
                if (current == null || current.bytes() > 0 && !isSameInitialHello()) {
                    current = new Observation(now);
                    observations.add(current);
                }
            }
            if (type == CONTENT_HANDSHAKE || type == CONTENT_CCS) {
                handshakeBytes += RECORD_HEADER + Math.min(length, end - fragment);
            }
            pos = fragment + length;
        }
        if (handshakeBytes == 0 || current == null) {
            return;
        }
        current.count(toServer, handshakeBytes, now);
    }

    /**
     * The length (header included) of the DTLS 1.3 ciphertext record at {@code pos} (RFC 9147
     * 4: unified header, first byte 001CSLEE), or 0 when it cannot be read here (a connection
     * ID, whose length only the receiver knows, or a truncated header).
     */
    private static int dtls13Record(ByteBuffer d, int pos, int end) {
        int first = d.get(pos) & 0xff;
        if ((first & 0x10) != 0) {
            return 0;
        }
        int header = 1 + ((first & 0x08) != 0 ? 2 : 1) + ((first & 0x04) != 0 ? 2 : 0);
        if (end - pos < header) {
            return 0;
        }
        int length = (first & 0x04) != 0 ? d.getShort(pos + header - 2) & 0xffff : end - pos - header;
        return Math.min(header + length, end - pos);
    }

    private void trace(ByteBuffer d, boolean toServer, long now) {
        StringBuilder sb = new StringBuilder(String.format("relay %9.3f ms %s %4d:", (now - created) / 1e6,
                toServer ? "c->s" : "s->c", d.remaining()));
        int pos = d.position();
        while (d.limit() - pos >= RECORD_HEADER) {
            int type = d.get(pos) & 0xff;
            int length = d.getShort(pos + 11) & 0xffff;
            sb.append(' ').append(type).append("/e").append(d.getShort(pos + 3));
            if (type == CONTENT_HANDSHAKE && d.getShort(pos + 3) == 0 && length > 0) {
                sb.append("/hs").append(d.get(pos + RECORD_HEADER));
            }
            pos += RECORD_HEADER + length;
        }
        System.out.println(sb);
    }

    /**
     * A retransmitted initial ClientHello (nothing from the server yet) belongs to the same
     * handshake; any reply from the server means a new initial ClientHello is a new handshake.
     */
    private boolean isSameInitialHello() {
        return current.datagramsToClient == 0;
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.close();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        front.close();
        for (DatagramChannel up : upstream.values()) {
            up.close();
        }
    }
}
