package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A DTLS 1.2 peer built on the JDK's own engine ({@code SSLContext "DTLSv1.2"},
 * {@link SSLEngine}) over a {@link DatagramSocket} bound to 127.0.0.1. One engine, one remote
 * peer; not thread-safe (drive it from one thread at a time, e.g. via
 * {@link #handshakeAsync}).
 *
 * <p>Driving the JDK engine for DTLS (see README.md next to this class):
 * <ul>
 *   <li>each {@code wrap} produces at most one record, which is sent as one datagram;</li>
 *   <li>one received datagram may carry several records (openssl packs a whole flight into
 *       one datagram): {@code unwrap} is repeated until the datagram is consumed;</li>
 *   <li>the engine has no timers: when the socket times out while the engine waits for the
 *       peer ({@code NEED_UNWRAP}), calling {@code wrap} again makes it retransmit its last
 *       flight;</li>
 *   <li>{@code NEED_UNWRAP_AGAIN} means "unwrap with an empty buffer": the engine already holds
 *       buffered records.</li>
 * </ul>
 */
public final class JdkDtlsPeer implements AutoCloseable {

    /** Peer options; every setter returns {@code this}. Defaults: trust anything. */
    public static final class Options {
        private List<String> cipherSuites;
        private int maximumPacketSize;
        private X509Certificate trustedCertificate;
        private boolean needClientAuth;
        private TestPki.Material keyMaterial;
        private Duration socketTimeout = Duration.ofSeconds(1);

        public static Options defaults() {
            return new Options();
        }

        /** Enabled cipher suites by IANA/JSSE name, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256. */
        public Options cipherSuites(String... names) {
            this.cipherSuites = List.of(names);
            return this;
        }

        /** {@link SSLParameters#setMaximumPacketSize}; 0 keeps the JDK default. */
        public Options maximumPacketSize(int bytes) {
            this.maximumPacketSize = bytes;
            return this;
        }

        /** Trust exactly this (self-signed) certificate instead of accepting anything. */
        public Options trust(X509Certificate certificate) {
            this.trustedCertificate = certificate;
            return this;
        }

        /** Accept any peer certificate (the default). */
        public Options trustAny() {
            this.trustedCertificate = null;
            return this;
        }

        /** Server only: require a client certificate. */
        public Options needClientAuth(boolean need) {
            this.needClientAuth = need;
            return this;
        }

        /** Own certificate and key (client certificate; for servers given to {@link #server}). */
        public Options keyMaterial(TestPki.Material material) {
            this.keyMaterial = material;
            return this;
        }

        /** Socket read timeout = retransmission interval during the handshake (default 1 s, as RFC 6347's initial timer). */
        public Options socketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }
    }

    private static final int MAX_DATAGRAM = 65_535;

    private final SSLEngine engine;
    private final DatagramSocket socket;
    private final int socketTimeoutMillis;
    private final String side;
    private SocketAddress peer;
    private final Deque<byte[]> pendingAppData = new ArrayDeque<>();
    private volatile boolean closeNotifyReceived;
    private boolean handshakeDone;

    private JdkDtlsPeer(boolean client, SocketAddress peer, Options opts) throws IOException {
        this.side = client ? "JDK DTLS client" : "JDK DTLS server";
        this.peer = peer;
        this.socketTimeoutMillis = (int) Math.max(1, opts.socketTimeout.toMillis());
        this.engine = createEngine(client, opts);
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(socketTimeoutMillis);
        if (peer != null) {
            socket.connect(peer);
        }
    }

    /** A server with {@code key} on an ephemeral 127.0.0.1 port; it learns its peer from the first datagram. */
    public static JdkDtlsPeer server(TestPki.Material key, Options opts) throws IOException {
        opts.keyMaterial(key);
        return new JdkDtlsPeer(false, null, opts);
    }

    /** A client (ephemeral 127.0.0.1 port) that will talk to {@code server}. */
    public static JdkDtlsPeer client(InetSocketAddress server, Options opts) throws IOException {
        return new JdkDtlsPeer(true, server, opts);
    }

    /** Local UDP port. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Local address, 127.0.0.1:{@link #port()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    public SSLEngine engine() {
        return engine;
    }

    /**
     * Runs the whole handshake, retransmitting on each socket timeout, until the engine reports
     * it finished. Throws an IOException naming this side and the elapsed time on failure or
     * when {@code timeout} passes.
     */
    public void handshake(Duration timeout) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try {
            engine.beginHandshake();
            while (!handshakeDone) {
                if (System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("no handshake within " + timeout.toMillis()
                            + " ms, engine status " + engine.getHandshakeStatus());
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_WRAP -> flushWrap();
                    case NEED_TASK -> runTasks();
                    case NEED_UNWRAP_AGAIN -> unwrapDatagram(ByteBuffer.allocate(0));
                    case NEED_UNWRAP -> {
                        ByteBuffer datagram = receiveDatagram();
                        if (datagram == null) {
                            flushWrap(); // timeout: wrap again = retransmit the last flight
                        } else {
                            unwrapDatagram(datagram);
                        }
                    }
                    case NOT_HANDSHAKING, FINISHED -> handshakeDone = true;
                    default -> throw new IllegalStateException("unexpected status " + hs);
                }
                if (closeNotifyReceived) {
                    throw new SSLException("peer closed the connection during the handshake");
                }
            }
        } catch (IOException | RuntimeException e) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            throw new IOException(side + " handshake failed after " + ms + " ms: " + e, e);
        }
    }

    /** Runs {@link #handshake} on a new daemon thread; completes with the negotiated suite. */
    public CompletableFuture<String> handshakeAsync(Duration timeout) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                handshake(timeout);
                result.complete(negotiatedCipherSuite());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, side + " handshake");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The negotiated suite in JSSE/IANA naming, e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256. */
    public String negotiatedCipherSuite() {
        return engine.getSession().getCipherSuite();
    }

    /** Protocol of the session, "DTLSv1.2" once the handshake is done. */
    public String negotiatedProtocol() {
        return engine.getSession().getProtocol();
    }

    /** Encrypts {@code data} as application data and sends it (one record per datagram). */
    public void send(byte[] data) throws IOException {
        ByteBuffer source = ByteBuffer.wrap(data);
        do {
            ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
            SSLEngineResult result = engine.wrap(source, out);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException(side + ": cannot send, wrap returned " + result);
            }
            sendBuffer(out);
        } while (source.hasRemaining());
    }

    /**
     * Returns the next application data record. Returns {@code null} when a close_notify
     * arrived instead (then {@link #closeNotifyReceived()} is true and, as the engine asks for
     * it, our own close_notify has been sent back). Throws SocketTimeoutException after
     * {@code timeout}.
     */
    public byte[] receive(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingAppData.isEmpty()) {
            if (closeNotifyReceived) {
                return null;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SocketTimeoutException(side + ": no application data within "
                        + timeout.toMillis() + " ms");
            }
            ByteBuffer datagram = receiveDatagram();
            if (datagram != null) {
                unwrapDatagram(datagram);
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                flushWrap(); // e.g. our close_notify reply, or a retransmission the engine wants
            }
        }
        return pendingAppData.poll();
    }

    /** Sends close_notify (engine.closeOutbound() + wrap). */
    public void closeOutbound() throws IOException {
        engine.closeOutbound();
        flushWrap();
    }

    /** True once the peer's close_notify has been read. */
    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /** Closes the engine (no alert is sent) and the socket. */
    @Override
    public void close() {
        engine.closeOutbound();
        socket.close();
    }

    @Override
    public String toString() {
        return side + " on " + address() + (peer == null ? "" : " with " + peer);
    }

    // ---------------------------------------------------------------- engine driving

    /** Wraps and sends while the engine wants to write (one datagram per record). */
    private void flushWrap() throws IOException {
        while (true) {
            ByteBuffer out = ByteBuffer.allocate(MAX_DATAGRAM);
            SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException(side + ": wrap overflow " + result);
            }
            sendBuffer(out);
            HandshakeStatus hs = result.getHandshakeStatus();
            if (hs == HandshakeStatus.FINISHED) {
                handshakeDone = true;
                return;
            }
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                hs = engine.getHandshakeStatus();
            }
            if (hs != HandshakeStatus.NEED_WRAP
                    || result.getStatus() == SSLEngineResult.Status.CLOSED
                    && result.bytesProduced() == 0) {
                return;
            }
        }
    }

    /** Feeds one datagram to the engine, record by record; collects any application data. */
    private void unwrapDatagram(ByteBuffer datagram) throws IOException {
        do {
            ByteBuffer app = ByteBuffer.allocate(Math.max(MAX_DATAGRAM,
                    engine.getSession().getApplicationBufferSize()));
            SSLEngineResult result = engine.unwrap(datagram, app);
            app.flip();
            if (app.hasRemaining()) {
                byte[] data = new byte[app.remaining()];
                app.get(data);
                pendingAppData.add(data);
            }
            switch (result.getStatus()) {
                case OK -> { }
                case CLOSED -> {
                    closeNotifyReceived = true;
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        flushWrap();
                    }
                    return;
                }
                case BUFFER_UNDERFLOW -> {
                    return; // truncated or foreign datagram: drop it, as DTLS does
                }
                case BUFFER_OVERFLOW -> throw new SSLException(side + ": unwrap overflow " + result);
                default -> throw new IllegalStateException(String.valueOf(result));
            }
            HandshakeStatus hs = result.getHandshakeStatus();
            if (hs == HandshakeStatus.FINISHED) {
                handshakeDone = true;
            } else if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                return;
            }
        } while (datagram.hasRemaining());
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** One datagram from the peer, or null after SO_TIMEOUT. A server adopts its first sender. */
    private ByteBuffer receiveDatagram() throws IOException {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return null;
        }
        if (peer == null) {
            peer = packet.getSocketAddress();
            socket.connect(peer);
        }
        return ByteBuffer.wrap(buffer, 0, packet.getLength());
    }

    private void sendBuffer(ByteBuffer out) throws IOException {
        out.flip();
        if (!out.hasRemaining()) {
            return;
        }
        if (peer == null) {
            throw new SSLException(side + ": nothing received yet, no peer to send to");
        }
        socket.send(new DatagramPacket(out.array(), out.arrayOffset() + out.position(),
                out.remaining(), peer));
    }

    // ---------------------------------------------------------------- context setup

    private static SSLEngine createEngine(boolean client, Options opts) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("DTLSv1.2");
            KeyManagerFactory kmf = null;
            if (opts.keyMaterial != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                char[] password = "test".toCharArray();
                keys.setKeyEntry("key", opts.keyMaterial.privateKey(), password,
                        new Certificate[] {opts.keyMaterial.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, password);
            }
            TrustManager[] trust;
            if (opts.trustedCertificate != null) {
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                anchors.setCertificateEntry("trusted", opts.trustedCertificate);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(anchors);
                trust = tmf.getTrustManagers();
            } else {
                trust = new TrustManager[] {new TrustAnyTrustManager()};
            }
            context.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(client);
            SSLParameters params = engine.getSSLParameters();
            params.setProtocols(new String[] {"DTLSv1.2"});
            if (opts.cipherSuites != null) {
                params.setCipherSuites(opts.cipherSuites.toArray(String[]::new));
            }
            if (opts.maximumPacketSize > 0) {
                params.setMaximumPacketSize(opts.maximumPacketSize);
            }
            if (!client && opts.needClientAuth) {
                params.setNeedClientAuth(true);
            }
            engine.setSSLParameters(params);
            return engine;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up the JDK DTLS engine: " + e, e);
        }
    }
}
