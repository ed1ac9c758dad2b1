package org.dtlsip.sample;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The reference implementation's network layer with Nagle's algorithm off ({@code TCP_NODELAY})
 * on every TCP and TLS connection the stack opens or accepts; UDP sockets pass through unchanged.
 *
 * <p>Why: SIP writes small messages back to back on one connection (100 Trying, 180 Ringing and
 * 200 OK; later ACK and BYE). With Nagle on, a message written while the previous one is still
 * unacknowledged waits for that acknowledgement, which the peer's delayed-ACK timer holds for up
 * to 40 ms on Linux. The RI never sets {@code TCP_NODELAY}, so without this the samples'
 * TCP/TLS figures would measure that stall rather than the transport (a cold TLS call on loopback
 * took 148 ms with it and 24 ms with delayed ACKs off; docs/COMPARISON.md).
 *
 * <p>The RI instantiates this class by name ({@code gov.nist.javax.sip.NETWORK_LAYER}) and then
 * calls {@link #setSipStack}. Plain sockets come from {@link DefaultNetworkLayer}. TLS sockets
 * come from the sample's own context when {@code javax.net.ssl.keyStore} is configured, not the
 * RI's {@code SslNetworkLayer}: that one, for {@code TLS_CLIENT_AUTH_TYPE=DisabledAll} (the only
 * way to pin a fingerprint with it), initializes no key managers, so a client never sent its
 * certificate to a server that requires one. Here the key store always provides our
 * certificate, and the peer is checked by pinned fingerprints ({@link PinnedTrustManager}) or
 * by the trust store, a server also for the SIP domain ({@link SipDomainTrustManager}).
 */
public final class NoDelayNetworkLayer implements NetworkLayer {
    /** The property that makes the RI use this class. */
    public static final String PROPERTY = "gov.nist.javax.sip.NETWORK_LAYER";

    private NetworkLayer delegate;
    /** Our TLS context; {@code null}: the delegate's (JSSE defaults, for tests). */
    private SSLContext tls;
    /** As the RI's SslNetworkLayer: how long a TLS connect may take. */
    private static final int CONNECT_TIMEOUT_MILLIS = 8_000;

    /** For the RI, which sets the delegate through {@link #setSipStack}. */
    public NoDelayNetworkLayer() {
        this(DefaultNetworkLayer.SINGLETON);
    }

    NoDelayNetworkLayer(NetworkLayer delegate) {
        this.delegate = delegate;
    }

    @Override
    public void setSipStack(SipStackImpl stack) {
        Properties p = stack.getConfigurationProperties();
        delegate = DefaultNetworkLayer.SINGLETON;
        String keyStore = p.getProperty("javax.net.ssl.keyStore");
        if (keyStore != null) {
            try {
                tls = tlsContext(p, keyStore);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot load the TLS key store " + keyStore + ": " + e.getMessage()
                        + "; check javax.net.ssl.keyStore, its password and type", e);
            }
        }
        delegate.setSipStack(stack);
    }

    /**
     * Our certificate from the key store; the peer checked by pinned fingerprints
     * ({@link PinnedTrustManager#PINS}) if any, else by the trust store, which defaults to the
     * key store with its password and type, as in SipStackImpl.
     */
    private static SSLContext tlsContext(Properties p, String keyStore) throws GeneralSecurityException, IOException {
        String keyPassword = p.getProperty("javax.net.ssl.keyStorePassword");
        String keyType = p.getProperty("javax.net.ssl.keyStoreType");
        char[] keyPw = keyPassword == null ? null : keyPassword.toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore, keyType, keyPw), keyPw);
        TrustManager[] trust;
        String pins = p.getProperty(PinnedTrustManager.PINS, "");
        if (!pins.isBlank()) {
            trust = new TrustManager[] {new PinnedTrustManager(List.of(pins.split(",")))};
        } else {
            String trustPassword = p.getProperty("javax.net.ssl.trustStorePassword", keyPassword);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(load(p.getProperty("javax.net.ssl.trustStore", keyStore),
                    p.getProperty("javax.net.ssl.trustStoreType", keyType),
                    trustPassword == null ? null : trustPassword.toCharArray()));
            trust = new TrustManager[] {new SipDomainTrustManager((X509ExtendedTrustManager) tmf.getTrustManagers()[0])};
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), trust, new SecureRandom());
        return context;
    }

    private static KeyStore load(String file, String type, char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(type == null ? KeyStore.getDefaultType() : type);
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            ks.load(in, password);
        }
        return ks;
    }

    private static <S extends Socket> S noDelay(S socket) throws SocketException {
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        // Both RI layers create a plain ServerSocket here; ours sets the option on what it accepts.
        return new ServerSocket(port, backlog, bindAddress) {
            @Override
            public Socket accept() throws IOException {
                return noDelay(super.accept());
            }
        };
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        SSLServerSocket server = tls == null ? delegate.createSSLServerSocket(port, backlog, bindAddress)
                : (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
        return new NoDelaySslServerSocket(server);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return noDelay(delegate.createSocket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return noDelay(delegate.createSocket(address, port, myAddress));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return noDelay(delegate.createSocket(address, port, myAddress, myPort));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        if (tls == null) {
            return noDelay(delegate.createSSLSocket(address, port, myAddress));
        }
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            if (myAddress != null) {
                socket.bind(new InetSocketAddress(myAddress, 0));
            }
            socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
            return noDelay(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return delegate.createDatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return delegate.createDatagramSocket(port, laddr);
    }
}
