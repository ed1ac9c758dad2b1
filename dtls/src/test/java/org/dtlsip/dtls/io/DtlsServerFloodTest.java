package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acceptance 3: 100,000 cookieless ClientHellos from varied source ports (256 loopback sockets
 * of the test's own, which take the server's HelloVerifyRequests), fed into a running
 * server's receive path, leave no association and no memory behind, and a legitimate client
 * arriving over the real socket during the flood completes its handshake.
 */
class DtlsServerFloodTest {
    static final int FLOOD = 100_000;

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void cookielessHelloFloodLeavesNoStateAndALegitimateClientGetsIn() throws Exception {
        // The server answers every flooded ClientHello with a real HelloVerifyRequest: they all go
        // to sockets of ours (which drop what they cannot hold), never to other ports on the host.
        try (DtlsServer server = DtlsChannelTest.echoServer(ServerLimits.defaults()); Sinks loopback = new Sinks()) {
            byte[] hello = DtlsEngine.client(TestKeys.clientPinning(TestKeys.ec()).build(), 0).pollDatagram();
            InetSocketAddress serverAddress = server.localAddress();
            flood(server, hello, loopback, 10_000); // warm up code paths before measuring
            long before = usedHeapAfterGc();
            long hvrBefore = server.helloVerifyRequestsSent();

            CompletableFuture<byte[]> legit = null;
            long start = System.nanoTime();
            for (int i = 0; i < FLOOD; i += 1_000) {
                flood(server, hello, loopback, 1_000);
                if (i == FLOOD / 2) {
                    legit = CompletableFuture.supplyAsync(() -> {
                        try (DtlsSocket client = DtlsSocket.connect(serverAddress, TestKeys.clientPinning(TestKeys.ec()).build())) {
                            client.setSoTimeout(20_000);
                            client.write(new byte[] {42});
                            return client.read();
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertArrayEquals(new byte[] {42}, legit.get(20, TimeUnit.SECONDS), "the legitimate client got through");
            long after = usedHeapAfterGc();
            ServerStats s = server.logStats();
            System.out.printf("%d cookieless ClientHellos in %.2f s (%.0f/s); heap %+d KiB; %s%n",
                    FLOOD, seconds, FLOOD / seconds, (after - before) / 1024, s);
            assertEquals(FLOOD, server.helloVerifyRequestsSent() - hvrBefore - 1, "each got a stateless HelloVerifyRequest");
            assertTrue(s.associations() <= 1, "only the legitimate client's association: " + s.associations());
            assertEquals(0, s.refusedAtLimit());
            assertTrue(server.timerQueueSize() <= 2, "timer queue " + server.timerQueueSize());
            assertTrue(after - before < 4 * 1024 * 1024, "heap grew by " + (after - before) / 1024 + " KiB");
        }
    }

    /** {@code n} ClientHellos without cookie, from the sinks' varied source ports in turn. */
    private static void flood(DtlsServer server, byte[] hello, Sinks from, int n) {
        for (int i = 0; i < n; i++) {
            server.receive(from.address(i), hello, System.nanoTime() / 1_000_000);
        }
    }

    /** Loopback UDP sockets this test owns, as the flood's source addresses. */
    private static final class Sinks implements AutoCloseable {
        private static final int COUNT = 256;
        private final java.util.List<java.nio.channels.DatagramChannel> channels = new java.util.ArrayList<>();
        private final java.util.List<InetSocketAddress> addresses = new java.util.ArrayList<>();

        Sinks() throws IOException {
            for (int i = 0; i < COUNT; i++) {
                java.nio.channels.DatagramChannel c = java.nio.channels.DatagramChannel.open()
                        .setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4_096) // a few datagrams, then drops
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                channels.add(c);
                addresses.add((InetSocketAddress) c.getLocalAddress());
            }
        }

        InetSocketAddress address(int i) {
            return addresses.get(i % COUNT);
        }

        @Override
        public void close() throws IOException {
            for (java.nio.channels.DatagramChannel c : channels) {
                c.close();
            }
        }
    }
}
