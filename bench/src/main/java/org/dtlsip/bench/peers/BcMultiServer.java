package org.dtlsip.bench.peers;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramTransport;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.server.LoadServer;

/**
 * Bouncy Castle's DTLS server for many concurrent peers, the way bctls is built to be used: one
 * receiving thread owns the UDP socket and hands each datagram to its peer's queue; a datagram
 * from an unknown address goes through {@link DTLSVerifier} (stateless HelloVerifyRequest), and
 * a ClientHello with a valid cookie starts a thread running the blocking
 * {@link DTLSServerProtocol#accept} over a queue-backed {@link DatagramTransport}. Once accepted,
 * the {@link DTLSTransport} is kept (that is the association) and the thread ends: the benchmark
 * clients send no application data, so no thread needs to block in {@code receive}.
 */
public final class BcMultiServer implements LoadServer {
    private final BouncyCastle bc;
    private final AtomicLong established = new AtomicLong();
    private final Map<SocketAddress, PeerQueue> peers = new ConcurrentHashMap<>();
    private final List<DTLSTransport> associations = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final ExecutorService handshakes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bc-accept");
        t.setDaemon(true);
        return t;
    });
    private DatagramSocket socket;
    private Thread receiver;
    private volatile boolean running = true;

    public BcMultiServer(Keys keys, boolean jca) throws Exception {
        this.bc = new BouncyCastle(keys, jca);
    }

    @Override
    public String name() {
        return bc.name();
    }

    @Override
    public String how() {
        return "DTLSVerifier + DTLSServerProtocol.accept on a thread per handshake, one receive thread demultiplexing";
    }

    private final class PeerQueue implements DatagramTransport {
        final SocketAddress peer;
        final LinkedBlockingQueue<byte[]> in = new LinkedBlockingQueue<>();

        PeerQueue(SocketAddress peer) {
            this.peer = peer;
        }

        @Override
        public int getReceiveLimit() {
            return BouncyCastle.MTU - 28;
        }

        @Override
        public int getSendLimit() {
            return BouncyCastle.MTU - 28;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            byte[] d;
            try {
                d = in.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            socket.send(new DatagramPacket(buf, off, len, peer));
        }

        @Override
        public void close() {
        }
    }

    @Override
    public InetSocketAddress start() throws Exception {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        socket.setSoTimeout(200);
        receiver = new Thread(this::receive, name() + "-receiver");
        receiver.setDaemon(true);
        receiver.start();
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void receive() {
        DTLSVerifier verifier = new DTLSVerifier(bc.crypto());
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                p.setData(buf);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                SocketAddress from = p.getSocketAddress();
                PeerQueue q = peers.get(from);
                if (q != null) {
                    q.in.add(java.util.Arrays.copyOf(buf, p.getLength()));
                    continue;
                }
                PeerQueue fresh = new PeerQueue(from);
                DTLSRequest request = verifier.verifyRequest(BouncyCastle.clientId(p), buf, 0, p.getLength(), fresh);
                if (request == null) {
                    continue; // HelloVerifyRequest sent, or not a ClientHello
                }
                peers.put(from, fresh);
                handshakes.execute(() -> {
                    try {
                        DTLSTransport t = new DTLSServerProtocol().accept(bc.newServer(() -> { }), fresh, request);
                        associations.add(t);
                        established.incrementAndGet();
                    } catch (IOException e) {
                        peers.remove(from);
                    }
                });
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    @Override
    public long established() {
        return established.get();
    }

    @Override
    public long associations() {
        return associations.size();
    }

    @Override
    public void close() throws Exception {
        running = false;
        handshakes.shutdownNow();
        if (socket != null) {
            socket.close();
        }
        if (receiver != null) {
            receiver.join(1_000);
        }
        associations.clear();
        peers.clear();
    }
}
