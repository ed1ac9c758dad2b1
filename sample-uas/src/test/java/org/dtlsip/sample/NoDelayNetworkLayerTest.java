package org.dtlsip.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.core.net.DefaultNetworkLayer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class NoDelayNetworkLayerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void tcpSocketsOpenedAndAcceptedHaveNagleOff() throws Exception {
        NoDelayNetworkLayer layer = new NoDelayNetworkLayer(DefaultNetworkLayer.SINGLETON);
        try (ServerSocket server = layer.createServerSocket(0, 5, LOOPBACK);
                Socket client = layer.createSocket(LOOPBACK, server.getLocalPort());
                Socket accepted = server.accept();
                Socket plain = new Socket(LOOPBACK, server.getLocalPort());
                Socket plainAccepted = server.accept()) {
            assertFalse(plain.getTcpNoDelay(), "the platform default is Nagle on, or this test proves nothing");
            assertTrue(client.getTcpNoDelay());
            assertTrue(accepted.getTcpNoDelay());
            assertTrue(plainAccepted.getTcpNoDelay(), "every accepted connection, whoever opened it");
        }
    }

    @Test
    void tlsSocketsHaveNagleOffAndTheServerSocketSettingsReachJsse() throws Exception {
        NoDelayNetworkLayer layer = new NoDelayNetworkLayer(DefaultNetworkLayer.SINGLETON);
        SSLServerSocket server = layer.createSSLServerSocket(0, 5, LOOPBACK);
        try (server) {
            server.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertArrayEquals(new String[] {"TLSv1.2"}, server.getEnabledProtocols());
            server.setNeedClientAuth(true);
            assertTrue(server.getNeedClientAuth());
            server.setWantClientAuth(true);
            assertTrue(server.getWantClientAuth());
            assertTrue(server.isBound());
            try (SSLSocket client = layer.createSSLSocket(LOOPBACK, server.getLocalPort());
                    SSLSocket accepted = (SSLSocket) server.accept()) {
                assertTrue(client.getTcpNoDelay());
                assertTrue(accepted.getTcpNoDelay());
                assertFalse(accepted.getUseClientMode());
                assertArrayEquals(new String[] {"TLSv1.2"}, accepted.getEnabledProtocols());
            }
        }
        assertTrue(server.isClosed());
    }

    @Test
    void theSampleStacksUseItForTlsWithTheirKeyStore() throws Exception {
        Credentials creds = Credentials.of(null, null, "nodelay-test", null, List.of());
        SampleStack s = SampleStack.start("nodelay", SampleStack.Role.SERVER, creds, "127.0.0.1",
                Map.of(Transport.TLS, 0), new javax.sip.SipListener() {
                    @Override public void processRequest(javax.sip.RequestEvent e) { }
                    @Override public void processResponse(javax.sip.ResponseEvent e) { }
                    @Override public void processTimeout(javax.sip.TimeoutEvent e) { }
                    @Override public void processIOException(javax.sip.IOExceptionEvent e) { }
                    @Override public void processTransactionTerminated(javax.sip.TransactionTerminatedEvent e) { }
                    @Override public void processDialogTerminated(javax.sip.DialogTerminatedEvent e) { }
                });
        try {
            assertInstanceOf(NoDelayNetworkLayer.class, s.stack().getNetworkLayer());
        } finally {
            s.close();
        }
    }
}
