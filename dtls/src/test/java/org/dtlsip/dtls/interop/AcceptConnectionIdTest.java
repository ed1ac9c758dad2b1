package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.io.DtlsSocket;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The single-peer server ({@link DtlsSocket#accept}) behind a loopback NAT whose outside port
 * changes mid-session ({@link RebindingRelay}): with connection IDs (RFC 9146 6) it follows the
 * client to the new port once the client answered a path_challenge there (RFC 9853); without
 * them the new port's datagrams never reach it.
 */
@Timeout(30)
class AcceptConnectionIdTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Accepts one client and echoes each record back with "echo:" in front, until end of stream. */
    private static CompletableFuture<InetSocketAddress> echoServer(DtlsSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (server) {
                byte[] record;
                InetSocketAddress last = null;
                while ((record = server.read(10_000)) != null) {
                    server.write(("echo:" + new String(record, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    last = server.remoteAddress();
                }
                return last;
            } catch (SocketTimeoutException e) {
                return server.remoteAddress();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void withConnectionIdsTheAcceptedSocketFollowsTheClientToItsNewPort() throws Exception {
        DtlsSocket server = DtlsSocket.accept(new InetSocketAddress("127.0.0.1", 0),
                TestKeys.server(TestKeys.ec()).connectionIdLength(6).build());
        CompletableFuture<InetSocketAddress> served = echoServer(server);
        try (RebindingRelay nat = RebindingRelay.start(server.localAddress());
                DtlsSocket client = DtlsSocket.connect(nat.address(),
                        TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build())) {
            client.write(bytes("before"));
            assertArrayEquals(bytes("echo:before"), client.read(5_000));
            int oldPort = nat.outsidePort();
            assertEquals(oldPort, server.remoteAddress().getPort());

            int newPort = nat.rebind();
            client.write(bytes("after"));
            // RFC 9853: the server reads "after" and sends a path_challenge to the new port; the
            // client answers it while it waits here, and the server moves. An echo written
            // before the answer arrived went to the old port, lost behind the NAT; one written
            // after it (a slow server thread) reached the new port.
            try {
                assertArrayEquals(bytes("echo:after"), client.read(1_000));
            } catch (SocketTimeoutException lostAtTheOldPort) {
                // expected most of the time
            }
            assertEquals(newPort, server.remoteAddress().getPort());
            client.write(bytes("again"));
            assertArrayEquals(bytes("echo:again"), client.read(5_000), "the echo reached the client via the new port");
            client.close();
            assertEquals(newPort, served.get(10, TimeUnit.SECONDS).getPort());
        }
    }

    @Test
    void withoutConnectionIdsTheNewPortIsNotTheClient() throws Exception {
        DtlsSocket server = DtlsSocket.accept(new InetSocketAddress("127.0.0.1", 0),
                TestKeys.server(TestKeys.ec()).build());
        CompletableFuture<InetSocketAddress> served = echoServer(server);
        try (RebindingRelay nat = RebindingRelay.start(server.localAddress());
                DtlsSocket client = DtlsSocket.connect(nat.address(), TestKeys.clientPinning(TestKeys.ec()).build())) {
            client.write(bytes("before"));
            assertArrayEquals(bytes("echo:before"), client.read(5_000));
            int oldPort = nat.outsidePort();
            nat.rebind();
            client.write(bytes("after"));
            assertThrows(SocketTimeoutException.class, () -> client.read(1_500));
            assertEquals(oldPort, server.remoteAddress().getPort());
        }
        server.close();
        served.get(15, TimeUnit.SECONDS);
    }
}
