package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.sim.TestKeys;
import org.dtlsip.dtls.util.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, fault isolation at the channel and the socket: an unexpected RuntimeException inside
 * an engine call ends that association only, with internal_error to the peer where it can still
 * be sent, and reaches the caller as a DtlsException naming the peer and the cause, on that call
 * and every later one; never an unchecked exception. The fault here is real, not planted in our
 * code: a CBC suite draws a random IV per record from the configured SecureRandom (RFC 5246
 * 6.2.3.2), and that source fails once, as a broken entropy device or HSM does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultIsolationTest {
    static final CipherSuite CBC = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256;

    /** A random source that throws on its next use once armed, then works again. */
    static final class FailingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        final AtomicInteger failures = new AtomicInteger();

        void failNext() {
            failures.set(1);
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("entropy source failed");
            }
            super.nextBytes(bytes);
        }
    }

    /** Echoes data; reports how each association ended. */
    static final class Echo implements DtlsServer.Handler {
        final LinkedBlockingQueue<String> ended = new LinkedBlockingQueue<>();

        @Override
        public void onData(DtlsServer.Association a, byte[] data) {
            try {
                a.send(data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void onClosed(DtlsServer.Association a, DtlsException failure) {
            ended.add(failure == null ? "close_notify" : failure.getMessage());
        }
    }

    static DtlsServer server(Echo handler) throws IOException {
        DtlsConfig config = TestKeys.server(TestKeys.ec())
                .cipherSuites(List.of(CBC, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)).build();
        return DtlsServer.bind(DtlsChannelTest.ANY_LOOPBACK, config, ServerLimits.defaults(), handler).start();
    }

    static DtlsConfig faultyClient(FailingRandom random) {
        return TestKeys.clientPinning(TestKeys.ec()).cipherSuites(List.of(CBC)).random(random).build();
    }

    /** Drives every channel's handshake from one thread, as an event loop does. */
    static void handshakes(Selector selector, DtlsChannel... channels) throws IOException {
        for (DtlsChannel c : channels) {
            c.channel().register(selector, SelectionKey.OP_READ, c);
        }
        for (int rounds = 0; ; rounds++) {
            assertTrue(rounds < 1_000, "handshakes stuck");
            boolean all = true;
            long timeout = DtlsChannel.NO_TIMEOUT;
            for (DtlsChannel c : channels) {
                all &= c.handshake() == DtlsChannel.Status.OK;
                timeout = DtlsChannel.earlier(timeout, c.getTimeout());
            }
            if (all) {
                return;
            }
            selector.select(timeout == DtlsChannel.NO_TIMEOUT ? 1_000 : Math.max(1, timeout));
            selector.selectedKeys().clear();
        }
    }

    static byte[] echo(DtlsChannel c, Selector selector, byte[] data) throws IOException {
        assertEquals(DtlsChannel.Status.OK, c.write(data));
        ByteBuffer in = ByteBuffer.allocate(2048);
        DtlsChannel.Status s;
        int rounds = 0;
        while ((s = c.read(in)) == DtlsChannel.Status.WANT_READ) {
            assertTrue(++rounds < 100, "no echo");
            selector.select(1_000);
            selector.selectedKeys().clear();
        }
        assertEquals(DtlsChannel.Status.OK, s);
        return java.util.Arrays.copyOf(in.array(), in.position());
    }

    @Test
    void aFaultInOneChannelEndsItWithInternalErrorAndTheLoopsOtherChannelGoesOn() throws Exception {
        Echo handler = new Echo();
        FailingRandom random = new FailingRandom();
        try (DtlsServer server = server(handler);
             Selector selector = Selector.open();
             DtlsChannel faulty = DtlsChannel.open(server.localAddress(), faultyClient(random));
             DtlsChannel healthy = DtlsChannel.open(server.localAddress(), TestKeys.clientPinning(TestKeys.ec()).build())) {
            handshakes(selector, faulty, healthy);
            assertArrayEquals(new byte[] {1}, echo(faulty, selector, new byte[] {1}), "CBC works until the source fails");

            random.failNext();
            DtlsException e = assertThrows(DtlsException.class, () -> faulty.write(new byte[] {2}));
            assertTrue(e.getMessage().contains("internal error in the DTLS association with "
                    + Addresses.format(server.localAddress())), e.getMessage());
            assertTrue(e.getMessage().contains("entropy source failed"), "names the cause: " + e.getMessage());
            assertTrue(e.getMessage().contains("sent fatal alert internal_error"), e.getMessage());
            assertEquals(AlertDescription.INTERNAL_ERROR, e.alert());
            assertTrue(e.getCause() instanceof IllegalStateException);
            assertSame(e, assertThrows(DtlsException.class, () -> faulty.read(ByteBuffer.allocate(100))),
                    "every later call: the same exception");
            assertSame(e, assertThrows(DtlsException.class, faulty::handshake));
            assertSame(e, assertThrows(DtlsException.class, faulty::handleTimeout));
            assertEquals(DtlsChannel.NO_TIMEOUT, faulty.getTimeout(), "no timer for a dead association");

            String ended = handler.ended.poll(10, TimeUnit.SECONDS);
            assertTrue(ended != null && ended.contains("internal_error"), "the server heard internal_error: " + ended);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(new byte[] {(byte) (10 + i)}, echo(healthy, selector, new byte[] {(byte) (10 + i)}),
                        "the other association in the same loop goes on");
            }
        }
    }

    @Test
    void aFaultUnderASocketIsADtlsExceptionNamingThePeerNeverAnUncheckedOne() throws Exception {
        Echo handler = new Echo();
        FailingRandom random = new FailingRandom();
        try (DtlsServer server = server(handler);
             DtlsSocket socket = DtlsSocket.connect(server.localAddress(), faultyClient(random));
             DtlsSocket other = DtlsSocket.connect(server.localAddress(), TestKeys.clientPinning(TestKeys.ec()).build())) {
            socket.setSoTimeout(10_000);
            other.setSoTimeout(10_000);
            socket.handshake();
            other.handshake();
            random.failNext();
            DtlsException e = assertThrows(DtlsException.class, () -> socket.write(new byte[] {1}));
            assertTrue(e.getMessage().contains(Addresses.format(server.localAddress())), e.getMessage());
            assertTrue(e.getMessage().contains("entropy source failed"), e.getMessage());
            assertSame(e, assertThrows(DtlsException.class, socket::read), "a read after it says the same");
            String ended = handler.ended.poll(10, TimeUnit.SECONDS);
            assertTrue(ended != null && ended.contains("internal_error"), "the server heard internal_error: " + ended);
            other.write(new byte[] {7});
            assertArrayEquals(new byte[] {7}, other.read(), "another socket to the same server goes on");
        }
    }
}
