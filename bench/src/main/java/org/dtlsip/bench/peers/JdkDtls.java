package org.dtlsip.bench.peers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;

/**
 * The JDK's DTLS ({@code SSLEngine} "DTLSv1.2", SunJSSE) with our own drivers: a client over a
 * connected {@link DatagramSocket} and a single-threaded server that keeps one engine per peer
 * address. The JDK engine has no timers; the client retransmits by calling {@code wrap} after a
 * receive timeout, as the {@code SSLEngine} documentation asks.
 */
public final class JdkDtls implements Contender {
    /** Same record budget as our default PMTU. */
    public static final int MAX_PACKET = 1400;
    private static final String JDK_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final int RETRANSMIT_MILLIS = 1_000;

    static {
        // SunJSSE reads the ECDHE groups from this property only (JDK 17 has no per-engine API).
        System.setProperty("jdk.tls.namedGroups", "secp256r1");
    }

    private final SSLContext serverContext;
    private final SSLContext clientContext;
    private final ReceiveCounters received = new ReceiveCounters();
    private final AtomicLong serverHandshakes = new AtomicLong();
    /** Server side: one engine per peer address (touched only by the server thread). */
    private final Map<SocketAddress, Peer> peers = new java.util.concurrent.ConcurrentHashMap<>();
    private DatagramSocket serverSocket;
    private Thread serverThread;
    private volatile boolean running = true;

    public JdkDtls(Keys keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys.keyStore(), Keys.PASSWORD);
        serverContext = SSLContext.getInstance("DTLSv1.2");
        serverContext.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys.trustStore());
        clientContext = SSLContext.getInstance("DTLSv1.2");
        clientContext.init(null, tmf.getTrustManagers(), null);
    }

    @Override
    public String name() {
        return "jdk";
    }

    private static SSLEngine engine(SSLContext context, boolean client) {
        // No peer host/port: the client must not look up a cached session (full handshakes only).
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(new String[] {"DTLSv1.2"});
        p.setCipherSuites(new String[] {JDK_SUITE});
        p.setMaximumPacketSize(MAX_PACKET);
        engine.setSSLParameters(p);
        return engine;
    }

    // ------------------------------------------------------------------ the engine driver

    /** Sends whatever the engine produced; counts the application data it delivered. */
    interface Sink {
        void send(ByteBuffer datagram) throws IOException;
    }

    /** One peer's engine plus the unread rest of its last datagram. */
    static final class Peer {
        final SSLEngine engine;
        // SunJSSE checks room for its largest packet, not for the one it will write.
        final ByteBuffer out;
        final ByteBuffer app;
        boolean finished;
        boolean closed;
        boolean counted;

        Peer(SSLEngine engine) {
            this(engine, ByteBuffer.allocate(1 << 17), ByteBuffer.allocate(1 << 17));
        }

        /** A server peer: the single server thread lends every peer the same two buffers. */
        Peer(SSLEngine engine, ByteBuffer out, ByteBuffer app) {
            this.engine = engine;
            this.out = out;
            this.app = app;
        }

        /**
         * Feeds one datagram (or none) and drives the engine until it needs more input; returns
         * the application bytes delivered.
         */
        long pump(ByteBuffer in, Sink sink, ReceiveCounters appRecords) throws IOException {
            long delivered = 0;
            ByteBuffer src = in == null ? ByteBuffer.allocate(0) : in;
            while (true) {
                SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    }
                    case NEED_WRAP -> {
                        out.clear();
                        SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
                        note(r);
                        out.flip();
                        if (out.hasRemaining()) {
                            sink.send(out);
                        }
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            closed = true;
                            return delivered;
                        }
                    }
                    case NEED_UNWRAP_AGAIN -> {
                        app.clear();
                        note(engine.unwrap(ByteBuffer.allocate(0), app));
                    }
                    default -> { // NEED_UNWRAP, NOT_HANDSHAKING
                        if (!src.hasRemaining()) {
                            return delivered;
                        }
                        app.clear();
                        SSLEngineResult r = engine.unwrap(src, app);
                        note(r);
                        if (r.bytesProduced() > 0) {
                            delivered += r.bytesProduced();
                            if (appRecords != null) {
                                appRecords.record(r.bytesProduced());
                            }
                        }
                        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            closed = true;
                        }
                        if (r.bytesConsumed() == 0 && r.getHandshakeStatus() == hs) {
                            return delivered; // nothing usable left in this datagram
                        }
                    }
                }
            }
        }

        private void note(SSLEngineResult r) throws SSLException {
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW
                    || r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                throw new SSLException("JDK engine buffer status " + r.getStatus());
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                finished = true;
            }
        }

        boolean established() {
            return finished && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
        }
    }

    // ------------------------------------------------------------------ server

    @Override
    public InetSocketAddress startServer() throws Exception {
        serverSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        serverSocket.setReceiveBufferSize(4 << 20); // as DtlsServer's
        serverSocket.setSendBufferSize(4 << 20);
        serverSocket.setSoTimeout(200);
        serverThread = new Thread(this::serve, "jdk-dtls-server");
        serverThread.setDaemon(true);
        serverThread.start();
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    private void serve() {
        ByteBuffer sharedOut = ByteBuffer.allocate(1 << 17);
        ByteBuffer sharedApp = ByteBuffer.allocate(1 << 17);
        byte[] buf = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                packet.setData(buf);
                serverSocket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            SocketAddress from = packet.getSocketAddress();
            Peer peer = peers.get(from);
            if (peer == null) {
                try {
                    peer = new Peer(engine(serverContext, false), sharedOut, sharedApp);
                    peer.engine.beginHandshake();
                } catch (SSLException e) {
                    continue;
                }
                peers.put(from, peer);
            }
            try {
                peer.pump(ByteBuffer.wrap(buf, 0, packet.getLength()),
                        d -> serverSocket.send(new DatagramPacket(d.array(), d.position(), d.remaining(), from)),
                        received);
            } catch (IOException e) {
                peer.closed = true;
            }
            if (!peer.counted && peer.established()) {
                peer.counted = true;
                serverHandshakes.incrementAndGet();
            }
            if (peer.closed) {
                peers.remove(from);
            }
        }
    }

    // ------------------------------------------------------------------ client

    @Override
    public Connection connect(InetSocketAddress server) throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        try {
            socket.connect(server);
            socket.setSoTimeout(RETRANSMIT_MILLIS);
            Peer peer = new Peer(engine(clientContext, true));
            Sink sink = d -> socket.send(new DatagramPacket(d.array(), d.position(), d.remaining()));
            peer.engine.beginHandshake();
            peer.pump(null, sink, null);
            byte[] buf = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (!peer.established()) {
                if (peer.closed) {
                    throw new SSLException("JDK DTLS handshake failed: engine closed");
                }
                try {
                    packet.setData(buf);
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    peer.out.clear(); // retransmission: the engine resends its last flight on wrap
                    peer.engine.wrap(ByteBuffer.allocate(0), peer.out);
                    peer.out.flip();
                    if (peer.out.hasRemaining()) {
                        sink.send(peer.out);
                    }
                    continue;
                }
                peer.pump(ByteBuffer.wrap(buf, 0, packet.getLength()), sink, null);
            }
            return new JdkConnection(socket, peer, sink);
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    private static final class JdkConnection implements Connection {
        private final DatagramSocket socket;
        private final Peer peer;
        private final Sink sink;

        JdkConnection(DatagramSocket socket, Peer peer, Sink sink) {
            this.socket = socket;
            this.peer = peer;
            this.sink = sink;
        }

        @Override
        public void send(byte[] payload) throws Exception {
            peer.out.clear();
            peer.engine.wrap(ByteBuffer.wrap(payload), peer.out);
            peer.out.flip();
            sink.send(peer.out);
        }

        @Override
        public void close() throws Exception {
            try {
                peer.engine.closeOutbound();
                peer.out.clear();
                peer.engine.wrap(ByteBuffer.allocate(0), peer.out);
                peer.out.flip();
                if (peer.out.hasRemaining()) {
                    sink.send(peer.out);
                }
            } catch (SocketException e) {
                // peer gone
            } finally {
                socket.close();
            }
        }
    }

    /** Server handshakes completed (engine established) since start. */
    public long serverHandshakes() {
        return serverHandshakes.get();
    }

    /** Server engines held (one per peer address). */
    public int serverPeers() {
        return peers.size();
    }

    @Override
    public ReceiveCounters received() {
        return received;
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (serverSocket != null) {
            serverSocket.close();
        }
        if (serverThread != null) {
            serverThread.join(1_000);
        }
    }
}
