package org.dtlsip.sample;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.core.net.SslNetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.Properties;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

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
 * calls {@link #setSipStack}; the delegate is chosen there exactly as the RI chooses its own: an
 * {@link SslNetworkLayer} when {@code javax.net.ssl.keyStore} is configured, else
 * {@link DefaultNetworkLayer}.
 */
public final class NoDelayNetworkLayer implements NetworkLayer {
    /** The property that makes the RI use this class. */
    public static final String PROPERTY = "gov.nist.javax.sip.NETWORK_LAYER";

    private NetworkLayer delegate;

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
        String keyStore = p.getProperty("javax.net.ssl.keyStore");
        if (keyStore == null) {
            delegate = DefaultNetworkLayer.SINGLETON;
        } else {
            // The same defaults as SipStackImpl: trust store = key store, and its password and type too.
            String keyPassword = p.getProperty("javax.net.ssl.keyStorePassword");
            String trustPassword = p.getProperty("javax.net.ssl.trustStorePassword", keyPassword);
            String keyType = p.getProperty("javax.net.ssl.keyStoreType");
            try {
                delegate = new SslNetworkLayer(stack, p.getProperty("javax.net.ssl.trustStore", keyStore), keyStore,
                        keyPassword == null ? null : keyPassword.toCharArray(),
                        trustPassword == null ? null : trustPassword.toCharArray(),
                        keyType, p.getProperty("javax.net.ssl.trustStoreType", keyType));
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot load the TLS key store " + keyStore + ": " + e.getMessage()
                        + "; check javax.net.ssl.keyStore, its password and type", e);
            }
        }
        delegate.setSipStack(stack);
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
        return new NoDelaySslServerSocket(delegate.createSSLServerSocket(port, backlog, bindAddress));
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
        return noDelay(delegate.createSSLSocket(address, port));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return noDelay(delegate.createSSLSocket(address, port, myAddress));
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
