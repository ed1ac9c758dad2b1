package org.dtlsip.bench.peers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Vector;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;

/**
 * Bouncy Castle's bctls: {@link DTLSClientProtocol} over {@link UDPTransport}, and
 * {@link DTLSServerProtocol} behind a {@link DTLSVerifier} cookie exchange, served one peer at a
 * time by a single thread. Two crypto back ends: {@code bc} uses {@link BcTlsCrypto} (BC's own
 * lightweight primitives), {@code bc-jca} uses {@link JcaTlsCrypto} over the JDK's providers.
 */
public final class BouncyCastle implements Contender {
    /** Link MTU handed to UDPTransport (it subtracts IP and UDP overhead itself). */
    public static final int MTU = 1500;
    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final Keys keys;
    private final boolean jca;
    private final TlsCrypto crypto;
    private final byte[] serverCertDer;
    private final ReceiveCounters received = new ReceiveCounters();
    private DatagramSocket serverSocket;
    private Thread serverThread;
    private volatile boolean running = true;

    public BouncyCastle(Keys keys, boolean jca) throws Exception {
        this.keys = keys;
        this.jca = jca;
        this.crypto = jca ? new JcaTlsCryptoProvider().create(new SecureRandom()) : new BcTlsCrypto(new SecureRandom());
        this.serverCertDer = keys.certificate().getEncoded();
    }

    @Override
    public String name() {
        return jca ? "bc-jca" : "bc";
    }

    // ------------------------------------------------------------------ client

    private final class Client extends DefaultTlsClient {
        Client() {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getSupportedGroups(Vector namedGroupRoles) {
            Vector groups = new Vector();
            groups.add(NamedGroup.secp256r1);
            return groups;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    // Pinned certificate, like our client's fingerprint check.
                    Certificate chain = serverCertificate.getCertificate();
                    if (chain.isEmpty() || !Arrays.equals(chain.getCertificateAt(0).getEncoded(), serverCertDer)) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                    return null;
                }
            };
        }
    }

    @Override
    public Connection connect(InetSocketAddress server) throws Exception {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        try {
            socket.connect(server);
            DTLSTransport transport = new DTLSClientProtocol().connect(new Client(), new UDPTransport(socket, MTU));
            return new Connection() {
                @Override
                public void send(byte[] payload) throws Exception {
                    transport.send(payload, 0, payload.length);
                }

                @Override
                public void close() throws Exception {
                    try {
                        transport.close();
                    } finally {
                        socket.close();
                    }
                }
            };
        } catch (Exception e) {
            socket.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------ server

    /** The server's TLS callbacks for one association; {@code onCloseNotify} runs when the peer closes. */
    DefaultTlsServer newServer(Runnable onCloseNotify) {
        return new Server(onCloseNotify);
    }

    TlsCrypto crypto() {
        return crypto;
    }

    private final class Server extends DefaultTlsServer {
        private final Runnable onCloseNotify;

        Server(Runnable onCloseNotify) {
            super(crypto);
            this.onCloseNotify = onCloseNotify;
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            // BC's receive() does not say "closed" apart from a timeout; the serving loop asks here.
            if (alertDescription == AlertDescription.close_notify) {
                onCloseNotify.run();
            }
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(serverCertDer)});
            TlsCryptoParameters params = new TlsCryptoParameters(context);
            if (jca) {
                return new JcaDefaultTlsCredentialedSigner(params, (JcaTlsCrypto) crypto, keys.jdkPrivateKey(), chain,
                        ECDSA_SHA256);
            }
            return new BcDefaultTlsCredentialedSigner(params, (BcTlsCrypto) crypto,
                    PrivateKeyFactory.createKey(keys.certifiedKey().privateKey().getEncoded()), chain, ECDSA_SHA256);
        }
    }

    /**
     * The server socket seen as one peer's transport: datagrams from other addresses end this
     * association and are kept for the serving loop (clients come one after another).
     */
    private final class PeerTransport implements DatagramTransport {
        final SocketAddress peer;
        DatagramPacket first;
        DatagramPacket next;
        boolean closed;

        PeerTransport(SocketAddress peer, DatagramPacket first) {
            this.peer = peer;
            this.first = first;
        }

        @Override
        public int getReceiveLimit() {
            return MTU - 28;
        }

        @Override
        public int getSendLimit() {
            return MTU - 28;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (first != null) {
                DatagramPacket p = first;
                first = null;
                int n = Math.min(len, p.getLength());
                System.arraycopy(p.getData(), p.getOffset(), buf, off, n);
                return n;
            }
            if (closed || next != null) {
                throw new PeerSwitched(); // -1 here would make BC spin until waitMillis passed
            }
            DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
            serverSocket.setSoTimeout(Math.max(1, waitMillis));
            try {
                serverSocket.receive(p);
            } catch (SocketTimeoutException e) {
                return -1;
            }
            if (!p.getSocketAddress().equals(peer)) {
                next = p;
                // End this association now: returning -1 would make BC wait out waitMillis.
                throw new PeerSwitched();
            }
            int n = Math.min(len, p.getLength());
            System.arraycopy(p.getData(), p.getOffset(), buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            serverSocket.send(new DatagramPacket(buf, off, len, peer));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** The peer closed or another client's datagram arrived: the serving loop moves on. */
    private static final class PeerSwitched extends IOException {
        private static final long serialVersionUID = 1L;

        PeerSwitched() {
            super("association over", null);
        }
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        serverSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        serverThread = new Thread(this::serve, name() + "-server");
        serverThread.setDaemon(true);
        serverThread.start();
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    /**
     * One peer at a time. A datagram from a new address goes through {@link DTLSVerifier} first
     * (BC's stateless HelloVerifyRequest exchange, as every other server here does one); the
     * ClientHello carrying a valid cookie starts {@link DTLSServerProtocol#accept}.
     */
    private void serve() {
        DTLSVerifier verifier = new DTLSVerifier(crypto);
        DatagramPacket pending = null;
        byte[] buf = new byte[65_536];
        while (running) {
            try {
                if (pending == null) {
                    DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
                    serverSocket.setSoTimeout(200);
                    try {
                        serverSocket.receive(p);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    pending = p;
                }
                PeerTransport t = new PeerTransport(pending.getSocketAddress(), null);
                DTLSRequest request = verifier.verifyRequest(clientId(pending), pending.getData(), pending.getOffset(),
                        pending.getLength(), t);
                pending = null;
                if (request == null) {
                    continue; // HelloVerifyRequest sent (or not a ClientHello)
                }
                try {
                    DTLSTransport dtls = new DTLSServerProtocol().accept(new Server(() -> t.closed = true), t, request);
                    while (running && !t.closed) {
                        int n = dtls.receive(buf, 0, buf.length, 200);
                        if (n >= 0) {
                            received.record(n);
                        }
                    }
                } catch (IOException e) {
                    // PeerSwitched, a failed handshake or the peer's close
                }
                pending = t.next;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    static byte[] clientId(DatagramPacket p) {
        InetSocketAddress a = (InetSocketAddress) p.getSocketAddress();
        byte[] ip = a.getAddress().getAddress();
        byte[] id = java.util.Arrays.copyOf(ip, ip.length + 2);
        id[ip.length] = (byte) (a.getPort() >>> 8);
        id[ip.length + 1] = (byte) a.getPort();
        return id;
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
