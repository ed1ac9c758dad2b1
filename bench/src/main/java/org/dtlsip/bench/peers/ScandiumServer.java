package org.dtlsip.bench.peers;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicLong;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.server.LoadServer;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;

/**
 * Scandium's {@link DTLSConnector} in the server role, as in the {@code handshake} scenario, with
 * its own thread pools and connection store (default sizes); the receive buffer is 4 MiB like
 * our server's. A {@link ConnectionListener} counts established and removed connections.
 */
public final class ScandiumServer implements LoadServer {
    static {
        DtlsConfig.register();
    }

    private final Keys keys;
    private final AtomicLong established = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private DTLSConnector server;

    public ScandiumServer(Keys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "scandium";
    }

    @Override
    public String how() {
        return "DTLSConnector (server role), default thread pools and connection store";
    }

    @Override
    public InetSocketAddress start() throws Exception {
        var c = Scandium.configuration(DtlsConfig.DtlsRole.SERVER_ONLY);
        c.set(DtlsConfig.DTLS_RECEIVE_BUFFER_SIZE, 4 << 20);
        c.set(DtlsConfig.DTLS_MAX_CONNECTIONS, 200_000);
        DtlsConnectorConfig config = DtlsConnectorConfig.builder(c)
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(keys.jdkPrivateKey(),
                        new Certificate[] {keys.certificate()}, CertificateType.X_509))
                .setConnectionListener(new ConnectionListener() {
                    @Override
                    public void onConnectionEstablished(Connection connection) {
                        established.incrementAndGet();
                    }

                    @Override
                    public void onConnectionRemoved(Connection connection) {
                        removed.incrementAndGet();
                    }

                    @Override
                    public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequence) {
                        return false;
                    }

                    @Override
                    public boolean onConnectionMacError(Connection connection) {
                        return false;
                    }

                    @Override
                    public void beforeExecution(Connection connection) {
                    }

                    @Override
                    public void updateExecution(Connection connection) {
                    }

                    @Override
                    public void afterExecution(Connection connection) {
                    }
                })
                .build();
        server = new DTLSConnector(config);
        server.setRawDataReceiver(data -> { });
        server.start();
        return server.getAddress();
    }

    @Override
    public long established() {
        return established.get();
    }

    @Override
    public long associations() {
        return established.get() - removed.get();
    }

    @Override
    public void close() {
        if (server != null) {
            server.destroy();
        }
    }
}
