package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The non-blocking discipline: statuses instead of blocking, caller-owned timers, a Selector loop. */
class DtlsChannelTest {
    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** An echo server on its own thread: one thread, one port, every peer. */
    static DtlsServer echoServer(ServerLimits limits) throws IOException {
        return DtlsServer.bind(ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build(), limits, (a, data) -> {
            try {
                a.send(data);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).start();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void statusesSayWhatTheChannelWaitsFor() throws Exception {
        try (DtlsServer server = echoServer(ServerLimits.defaults());
             DtlsChannel c = DtlsChannel.open(server.localAddress(), TestKeys.clientPinning(TestKeys.ec()).build())) {
            assertEquals(DtlsChannel.NO_TIMEOUT, c.getTimeout(), "nothing sent yet, no timer");
            assertEquals(DtlsChannel.Status.WANT_READ, c.handshake(), "ClientHello sent, waiting");
            long t = c.getTimeout();
            assertTrue(t > 0 && t <= DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS, "timeout " + t);
            ByteBuffer in = ByteBuffer.allocate(2048);
            assertEquals(DtlsChannel.Status.WANT_READ, c.read(in), "a read drives the handshake too");
            try (Selector selector = Selector.open()) {
                c.channel().register(selector, SelectionKey.OP_READ);
                DtlsChannel.Status s;
                while ((s = c.handshake()) != DtlsChannel.Status.OK) {
                    assertEquals(DtlsChannel.Status.WANT_READ, s);
                    selector.select(Math.max(1, c.getTimeout()));
                    selector.selectedKeys().clear();
                }
                assertEquals(DtlsChannel.NO_TIMEOUT, c.getTimeout(), "no timer once the handshake is done");
                assertEquals(DtlsChannel.Status.OK, c.write("hi".getBytes(StandardCharsets.UTF_8)));
                while ((s = c.read(in)) == DtlsChannel.Status.WANT_READ) {
                    selector.select(1_000);
                    selector.selectedKeys().clear();
                }
                assertEquals(DtlsChannel.Status.OK, s);
                in.flip();
                assertEquals("hi", StandardCharsets.UTF_8.decode(in).toString());

                DtlsException e = assertThrows(DtlsException.class,
                        () -> c.write(ByteBuffer.allocate(c.maxApplicationDataLength() + 1)));
                assertTrue(e.getMessage().contains("does not fragment"), e.getMessage());

                s = c.shutdown(); // close_notify sent; WANT_READ until the peer's arrives
                assertTrue(s == DtlsChannel.Status.WANT_READ || s == DtlsChannel.Status.OK, s.toString());
                while ((s = c.shutdown()) == DtlsChannel.Status.WANT_READ) {
                    selector.select(1_000);
                    selector.selectedKeys().clear();
                }
                assertEquals(DtlsChannel.Status.OK, s);
                assertTrue(c.closeNotifyReceived());
                assertEquals(DtlsChannel.Status.CLOSED, c.read(in));
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void acceptedServerChannelTalksToAClientChannel() throws Exception {
        DatagramChannel listening = DatagramChannel.open().bind(ANY_LOOPBACK);
        try (DtlsChannel server = DtlsChannel.accept(listening, TestKeys.server(TestKeys.ec()).build());
             DtlsChannel client = DtlsChannel.open((InetSocketAddress) listening.getLocalAddress(),
                     TestKeys.clientPinning(TestKeys.ec()).build());
             Selector selector = Selector.open()) {
            assertNull(server.peer());
            server.channel().register(selector, SelectionKey.OP_READ, server);
            client.channel().register(selector, SelectionKey.OP_READ, client);
            while (server.handshake() != DtlsChannel.Status.OK | client.handshake() != DtlsChannel.Status.OK) {
                selector.select(Math.max(1, DtlsChannel.earlier(server.getTimeout(), client.getTimeout())));
                selector.selectedKeys().clear();
            }
            assertEquals(1, server.helloVerifyRequests(), "stateless cookie first");
            assertEquals(client.channel().getLocalAddress(), server.peer());
            assertEquals(DtlsChannel.Status.OK, server.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
            ByteBuffer small = ByteBuffer.allocate(2);
            ByteBuffer in = ByteBuffer.allocate(100);
            DtlsChannel.Status s;
            while (true) {
                try {
                    s = client.read(small);
                } catch (java.nio.BufferOverflowException e) {
                    s = client.read(in); // the record was kept
                    break;
                }
                selector.select(100);
                selector.selectedKeys().clear();
            }
            assertEquals(DtlsChannel.Status.OK, s);
            assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(in.array(), in.position()));
        }
    }

    /** One client in the event loop below: handshake, one echo round trip, done. */
    static final class Client {
        final DtlsChannel channel;
        final byte[] message;
        boolean sent;
        boolean done;

        Client(DtlsChannel channel, int i) {
            this.channel = channel;
            this.message = ("client " + i).getBytes(StandardCharsets.UTF_8);
        }

        /** Moves this client as far as it can go without blocking. */
        void step(ByteBuffer in) throws IOException {
            if (done || channel.handshake() != DtlsChannel.Status.OK) {
                return;
            }
            if (!sent && channel.write(message) == DtlsChannel.Status.OK) {
                sent = true;
            }
            in.clear();
            if (sent && channel.read(in) == DtlsChannel.Status.OK) {
                assertArrayEquals(message, java.util.Arrays.copyOf(in.array(), in.position()));
                done = true;
            }
        }
    }

    /**
     * Acceptance 2 and the event-loop example of {@link DtlsChannel}: one thread drives 1,000
     * concurrent client handshakes through one Selector against one {@link DtlsServer} thread on
     * one port; every client then exchanges a record, and none fails.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneThreadDrivesAThousandConcurrentHandshakes() throws Exception {
        int n = 1_000;
        DtlsConfig config = TestKeys.clientPinning(TestKeys.ec()).build();
        try (DtlsServer server = echoServer(ServerLimits.defaults().withMaxHandshakes(n));
             Selector selector = Selector.open()) {
            List<Client> clients = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Client c = new Client(DtlsChannel.open(server.localAddress(), config), i);
                c.channel.channel().register(selector, SelectionKey.OP_READ, c);
                clients.add(c);
                c.step(null); // sends the ClientHello
            }
            ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
            int done = 0;
            while (done < n) {
                long timeout = DtlsChannel.NO_TIMEOUT;
                for (Client c : clients) {
                    timeout = DtlsChannel.earlier(timeout, c.channel.getTimeout());
                }
                selector.select(timeout == DtlsChannel.NO_TIMEOUT ? 1_000 : Math.max(1, timeout));
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Client) key.attachment()).step(in);
                }
                selector.selectedKeys().clear();
                done = 0;
                for (Client c : clients) {
                    if (c.channel.getTimeout() == 0) {
                        c.channel.handleTimeout();
                        c.step(in);
                    }
                    c.channel.channel().keyFor(selector).interestOps(c.channel.interestOps());
                    done += c.done ? 1 : 0;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ServerStats stats = server.logStats();
            System.out.printf("%d concurrent handshakes + echo in %.2f s: %.0f handshakes/s; %s%n",
                    n, seconds, n / seconds, stats);
            assertEquals(n, stats.handshakesCompleted());
            assertEquals(0, stats.handshakesFailed());
            assertEquals(n, stats.associations());
            for (Client c : clients) {
                c.channel.close();
            }
        }
    }
}
