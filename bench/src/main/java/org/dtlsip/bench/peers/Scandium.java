package org.dtlsip.bench.peers;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.MessageCallback;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;

/**
 * Eclipse Californium Scandium: a client {@link DTLSConnector} and a server one, default
 * configuration apart from the suite, P-256, X.509 only, no client authentication and a 1400-byte
 * MTU, no subject (host name) check. Scandium starts a handshake when the first message is sent; the client's connection
 * listener reports completion. {@link DTLSConnector#clearConnectionState()} between handshakes
 * makes every handshake a full one.
 */
public final class Scandium implements Contender {
    /** Bound on messages queued in the client connector during bulk sending. */
    private static final int MAX_OUTSTANDING = 512;

    static {
        DtlsConfig.register();
    }

    private final Keys keys;
    private final ReceiveCounters received = new ReceiveCounters();
    private final AtomicReference<CompletableFuture<Void>> established = new AtomicReference<>();
    private DTLSConnector server;
    private DTLSConnector client;

    public Scandium(Keys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "scandium";
    }

    static Configuration configuration(DtlsConfig.DtlsRole role) {
        Configuration c = Configuration.createStandardWithoutFile();
        c.set(DtlsConfig.DTLS_ROLE, role);
        c.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256));
        c.set(DtlsConfig.DTLS_CURVES, List.of(SupportedGroup.secp256r1));
        c.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NONE);
        c.set(DtlsConfig.DTLS_MAX_TRANSMISSION_UNIT, 1400);
        // The benchmark certificate names no host; our client pins it instead of matching names.
        c.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        return c;
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        DtlsConnectorConfig config = DtlsConnectorConfig.builder(configuration(DtlsConfig.DtlsRole.SERVER_ONLY))
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setCertificateIdentityProvider(new SingleCertificateProvider(keys.jdkPrivateKey(),
                        new Certificate[] {keys.certificate()}, CertificateType.X_509))
                .build();
        server = new DTLSConnector(config);
        server.setRawDataReceiver(data -> {
            received.record(data.getSize());
        });
        server.start();
        return server.getAddress();
    }

    private DTLSConnector client() throws Exception {
        if (client == null) {
            DtlsConnectorConfig config = DtlsConnectorConfig.builder(configuration(DtlsConfig.DtlsRole.CLIENT_ONLY))
                    .setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedCertificateVerifier(StaticNewAdvancedCertificateVerifier.builder()
                            .setTrustedCertificates(keys.certificate()).build())
                    .setConnectionListener(new Listener())
                    .build();
            client = new DTLSConnector(config);
            client.setRawDataReceiver(data -> { });
            client.start();
        }
        return client;
    }

    private final class Listener implements ConnectionListener {
        @Override
        public void onConnectionEstablished(org.eclipse.californium.scandium.dtls.Connection connection) {
            CompletableFuture<Void> f = established.get();
            if (f != null) {
                f.complete(null);
            }
        }

        @Override
        public void onConnectionRemoved(org.eclipse.californium.scandium.dtls.Connection connection) {
        }

        @Override
        public boolean onConnectionUpdatesSequenceNumbers(org.eclipse.californium.scandium.dtls.Connection connection, boolean writeSequence) {
            return false;
        }

        @Override
        public boolean onConnectionMacError(org.eclipse.californium.scandium.dtls.Connection connection) {
            return false;
        }

        @Override
        public void beforeExecution(org.eclipse.californium.scandium.dtls.Connection connection) {
        }

        @Override
        public void updateExecution(org.eclipse.californium.scandium.dtls.Connection connection) {
        }

        @Override
        public void afterExecution(org.eclipse.californium.scandium.dtls.Connection connection) {
        }
    }

    private static class Callback implements MessageCallback {
        final CompletableFuture<Void> failure = new CompletableFuture<>();

        @Override
        public void onConnecting() {
        }

        @Override
        public void onDtlsRetransmission(int flight) {
        }

        @Override
        public void onContextEstablished(EndpointContext context) {
        }

        @Override
        public void onSent() {
        }

        @Override
        public void onError(Throwable error) {
            failure.completeExceptionally(error);
        }
    }

    @Override
    public Connection connect(InetSocketAddress target) throws Exception {
        DTLSConnector c = client();
        c.clearConnectionState();
        CompletableFuture<Void> done = new CompletableFuture<>();
        established.set(done);
        Callback callback = new Callback();
        callback.failure.whenComplete((v, e) -> done.completeExceptionally(e));
        AddressEndpointContext context = new AddressEndpointContext(target);
        c.send(RawData.outbound(new byte[] {'h'}, context, callback, false));
        done.get(10, TimeUnit.SECONDS);
        Semaphore window = new Semaphore(MAX_OUTSTANDING);
        return new Connection() {
            @Override
            public void send(byte[] payload) throws Exception {
                window.acquire();
                c.send(RawData.outbound(payload, context, new Callback() {
                    @Override
                    public void onSent() {
                        window.release();
                    }

                    @Override
                    public void onError(Throwable error) {
                        window.release();
                    }
                }, false));
            }

            @Override
            public void close() {
                // the next connect clears the connection state
            }
        };
    }

    @Override
    public ReceiveCounters received() {
        return received;
    }

    @Override
    public void close() {
        if (client != null) {
            client.destroy();
        }
        if (server != null) {
            server.destroy();
        }
    }
}
