package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 item 11: a full send buffer (a non-blocking send that takes nothing) must reach the
 * caller as WANT_WRITE, lose nothing and send nothing twice; and a writer must not wait behind a
 * reader's select that nothing will wake. The kernel does not fill a UDP send buffer on loopback,
 * so {@link FullSendBuffer} refuses a counted number of sends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteBackpressureTest {

    /** Refuses the next {@link #refuse} sends, as a full send buffer does (0 bytes sent), then sends. */
    static final class FullSendBuffer implements DatagramSender {
        final AtomicInteger refusals = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        void refuse(int sends) {
            refusals.set(sends);
        }

        @Override
        public int send(DatagramChannel channel, ByteBuffer datagram, InetSocketAddress peer) throws IOException {
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                return 0;
            }
            return SOCKET.send(channel, datagram, peer);
        }
    }

    static DtlsChannel handshaken(DtlsServer server, FullSendBuffer sender, Selector selector) throws IOException {
        DtlsChannel c = DtlsChannel.open(server.localAddress(), TestKeys.clientPinning(TestKeys.ec()).build());
        c.sender(sender);
        c.channel().register(selector, SelectionKey.OP_READ);
        DtlsChannel.Status s;
        int rounds = 0;
        while ((s = c.handshake()) != DtlsChannel.Status.OK) {
            assertTrue(++rounds < 1_000, "handshake stuck in " + s);
            selector.select(Math.max(1, c.getTimeout() == DtlsChannel.NO_TIMEOUT ? 1_000 : c.getTimeout()));
            selector.selectedKeys().clear();
            if (c.getTimeout() == 0) {
                c.handleTimeout();
            }
        }
        return c;
    }

    static byte[] readOne(DtlsChannel c, Selector selector) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(2048);
        DtlsChannel.Status s;
        int rounds = 0;
        while ((s = c.read(in)) == DtlsChannel.Status.WANT_READ) {
            assertTrue(++rounds < 100, "no record arrived");
            selector.select(1_000);
            selector.selectedKeys().clear();
        }
        assertEquals(DtlsChannel.Status.OK, s);
        return java.util.Arrays.copyOf(in.array(), in.position());
    }

    /** Item 11 (a), confirmed: write returned OK while its record sat unsent behind a full send buffer. */
    @Test
    void channelWriteSaysWantWriteWhileTheSendBufferIsFullAndItsRetrySendsTheRecordOnce() throws Exception {
        FullSendBuffer full = new FullSendBuffer();
        try (DtlsServer server = DtlsChannelTest.echoServer(ServerLimits.defaults());
             Selector selector = Selector.open();
             DtlsChannel c = handshaken(server, full, selector)) {
            ByteBuffer first = ByteBuffer.wrap(new byte[] {1});
            full.refuse(2);
            assertEquals(DtlsChannel.Status.WANT_WRITE, c.write(first), "the caller learns the record waits for room");
            assertEquals(1, first.remaining(), "not consumed: the caller keeps it for the retry");
            assertTrue((c.interestOps() & SelectionKey.OP_WRITE) != 0, "and to wait for OP_WRITE");
            assertThrows(IllegalArgumentException.class, () -> c.write(ByteBuffer.wrap(new byte[] {9})),
                    "other data before the retry is refused");
            assertEquals(DtlsChannel.Status.WANT_WRITE, c.write(first), "still no room");
            assertEquals(DtlsChannel.Status.OK, c.write(first), "room: the queued record leaves");
            assertEquals(0, first.remaining());
            assertEquals(2, full.refused.get());

            // A read in between (it flushes) and then the retry: still once.
            ByteBuffer second = ByteBuffer.wrap(new byte[] {2});
            full.refuse(1);
            assertEquals(DtlsChannel.Status.WANT_WRITE, c.write(second));
            assertArrayEquals(new byte[] {1}, readOne(c, selector), "the first record, echoed once");
            assertEquals(DtlsChannel.Status.OK, c.write(second), "the read sent it; the retry only completes the write");
            assertEquals(DtlsChannel.Status.OK, c.write(new byte[] {3}));
            assertArrayEquals(new byte[] {2}, readOne(c, selector), "no duplicate of 1, nothing lost");
            assertArrayEquals(new byte[] {3}, readOne(c, selector), "no duplicate of 2");
        }
    }

    /**
     * The channel seals every record into one reused buffer (issue 17): a record that could not
     * leave, because the socket refused it or reported an error on its send, waits as a copy of
     * its own, so the next record sealed into the same buffer neither overwrites nor overtakes it.
     */
    @Test
    void recordHeldBackByASendErrorLeavesIntactAndInOrderBeforeTheNextOne() throws Exception {
        FullSendBuffer full = new FullSendBuffer();
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean(true);
        DatagramSender failingOnce = (channel, datagram, peer) -> {
            if (fail.getAndSet(false)) {
                throw new IOException("simulated send error");
            }
            return full.send(channel, datagram, peer);
        };
        try (DtlsServer server = DtlsChannelTest.echoServer(ServerLimits.defaults());
             Selector selector = Selector.open();
             DtlsChannel c = handshaken(server, full, selector)) {
            c.sender(failingOnce);
            byte[] first = new byte[300];
            java.util.Arrays.fill(first, (byte) 1);
            assertThrows(IOException.class, () -> c.write(ByteBuffer.wrap(first)), "the socket's error reaches the caller");
            byte[] second = new byte[300];
            java.util.Arrays.fill(second, (byte) 2);
            assertEquals(DtlsChannel.Status.OK, c.write(ByteBuffer.wrap(second)));
            assertArrayEquals(first, readOne(c, selector), "the held record, intact, first");
            assertArrayEquals(second, readOne(c, selector), "then the one sealed over the same buffer");
        }
    }

    /**
     * Item 11 (b), confirmed: with the reader blocked in its select (OP_READ only, no timeout:
     * the peer is silent and no timer runs after the handshake), a writer whose record waits for
     * room used to wait for that select to end, i.e. for the peer to speak.
     */
    @Test
    void socketWriterIsNotStuckBehindAReaderBlockedOnASilentPeer() throws Exception {
        FullSendBuffer full = new FullSendBuffer();
        LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (DtlsSocket server = DtlsSocket.accept(DtlsChannelTest.ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build())) {
            CompletableFuture<Void> silentPeer = CompletableFuture.runAsync(() -> {
                try {
                    byte[] r;
                    while ((r = server.read()) != null) {
                        received.add(r);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            DtlsChannel channel = DtlsChannel.open(server.localAddress(), TestKeys.clientPinning(TestKeys.ec()).build());
            channel.sender(full);
            try (DtlsSocket client = DtlsSocket.over(channel)) {
                client.handshake();
                CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.read(0); // blocks: the peer never sends
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                for (long spins = 0; !client.selecting(); spins++) {
                    assertTrue(spins < 1_000_000_000L, "the reader never reached its select");
                    Thread.onSpinWait();
                }
                full.refuse(3);
                client.setSoTimeout(10_000); // the writer's bound only: before the fix it ran out here
                for (int i = 1; i <= 3; i++) {
                    client.write(new byte[] {(byte) i});
                }
                for (int i = 1; i <= 3; i++) {
                    byte[] r = received.poll(10, TimeUnit.SECONDS);
                    assertArrayEquals(new byte[] {(byte) i}, r, "record " + i + ", once, in order");
                }
                assertEquals(3, full.refused.get(), "the send buffer was full three times");
                assertTrue(!reader.isDone(), "the reader still waits for the silent peer");
                client.setCloseWaitMillis(0);
            }
            server.close();
            silentPeer.get(10, TimeUnit.SECONDS);
            assertTrue(received.isEmpty(), "nothing sent twice: " + received.size() + " extra");
        }
    }

    /**
     * Item 11 (b), the timer half: while a reader is blocked in the handshake's select and a
     * writer waits behind it, the lost flights are still retransmitted by the engine's deadline.
     */
    @Test
    void retransmissionsFireWhileAReaderIsBlockedAndAWriterWaits() throws Exception {
        org.dtlsip.dtls.config.DtlsConfig fast = TestKeys.clientPinning(TestKeys.ec()).initialRetransmitMillis(50).build();
        LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        try (DtlsSocket server = DtlsSocket.accept(DtlsChannelTest.ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build());
             DtlsSocketTest.LossyRelay relay = DtlsSocketTest.LossyRelay.start(server.localAddress(), 2)) {
            CompletableFuture<Void> answer = CompletableFuture.runAsync(() -> {
                try {
                    byte[] r = server.read();
                    received.add(r);
                    server.write(new byte[] {42});
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (DtlsSocket client = DtlsSocket.connect(relay.address(), fast)) {
                CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.read(0); // runs the handshake, then waits for the answer
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                for (long spins = 0; !client.selecting(); spins++) {
                    assertTrue(spins < 1_000_000_000L, "the reader never reached its select");
                    Thread.onSpinWait();
                }
                client.setSoTimeout(10_000);
                client.write(new byte[] {7}); // waits for the handshake the reader drives
                assertArrayEquals(new byte[] {7}, received.poll(10, TimeUnit.SECONDS));
                assertArrayEquals(new byte[] {42}, reader.get(10, TimeUnit.SECONDS));
                assertTrue(client.engine().retransmissions() >= 2, "retransmissions " + client.engine().retransmissions());
            }
            answer.get(10, TimeUnit.SECONDS);
        }
    }
}
