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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 17: a gathering write packs several records into one datagram up to the PMTU (RFC 6347
 * 4.1.1, RFC 9147 4.3), accepts only what it could seal when the send buffer is full, and the
 * peer (an echo server) reads every record once, in order; DTLS 1.2 and 1.3, with and without
 * connection IDs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatheringWriteTest {

    private static final int RECORDS = 12;
    private static final int RECORD_LENGTH = 300;

    /** Counts the datagrams the channel sends and keeps their lengths; refuses as FullSendBuffer does. */
    static final class CountingSender implements DatagramSender {
        final WriteBackpressureTest.FullSendBuffer full = new WriteBackpressureTest.FullSendBuffer();
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public int send(DatagramChannel channel, ByteBuffer datagram, InetSocketAddress peer) throws IOException {
            int length = datagram.remaining();
            int sent = full.send(channel, datagram, peer);
            if (sent > 0 && length > RECORD_LENGTH) { // records, not a handshake ACK
                lengths.add(length);
            }
            return sent;
        }
    }

    private static DtlsConfig.Builder protocol(DtlsConfig.Builder b, String version, int cid) {
        b.protocols("1.3".equals(version) ? ProtocolVersion.DTLS_1_3 : ProtocolVersion.DTLS_1_2);
        return cid > 0 ? b.connectionIdLength(cid) : b;
    }

    private static DtlsServer echo(String version, int cid) throws IOException {
        return DtlsServer.bind(DtlsChannelTest.ANY_LOOPBACK, protocol(TestKeys.server(TestKeys.ec()), version, cid).build(),
                ServerLimits.defaults(), (a, data) -> {
                    try {
                        a.send(data);
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }).start();
    }

    private static DtlsChannel handshaken(DtlsServer server, String version, int cid, DatagramSender sender,
            Selector selector) throws IOException {
        DtlsChannel c = DtlsChannel.open(server.localAddress(),
                protocol(TestKeys.clientPinning(TestKeys.ec()), version, cid).build());
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
        // One echo first: what the handshake leaves (DTLS 1.3's NewSessionTicket and its ACK)
        // is settled before the test counts datagrams.
        assertEquals(DtlsChannel.Status.OK, c.write(new byte[] {0}));
        assertArrayEquals(new byte[] {0}, WriteBackpressureTest.readOne(c, selector));
        return c;
    }

    private static ByteBuffer[] records() {
        ByteBuffer[] records = new ByteBuffer[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            byte[] r = new byte[RECORD_LENGTH];
            Arrays.fill(r, (byte) (i + 1));
            // Every other record direct: the channel seals those from its scratch copy.
            records[i] = i % 2 == 0 ? ByteBuffer.wrap(r) : ByteBuffer.allocateDirect(RECORD_LENGTH).put(r).flip();
        }
        return records;
    }

    private static void assertEchoedOnceInOrder(DtlsChannel c, Selector selector) throws IOException {
        for (int i = 0; i < RECORDS; i++) {
            byte[] expected = new byte[RECORD_LENGTH];
            Arrays.fill(expected, (byte) (i + 1));
            assertArrayEquals(expected, WriteBackpressureTest.readOne(c, selector), "record " + (i + 1) + " once, in order");
        }
        ByteBuffer in = ByteBuffer.allocate(2048);
        selector.selectNow();
        selector.selectedKeys().clear();
        assertEquals(DtlsChannel.Status.WANT_READ, c.read(in), "no duplicate");
    }

    @ParameterizedTest(name = "DTLS {0}, connection ID of {1} bytes")
    @CsvSource({"1.2, 0", "1.2, 4", "1.3, 0", "1.3, 4"})
    void recordsArePackedUpToThePmtuAndEchoedOnceInOrder(String version, int cid) throws Exception {
        CountingSender sender = new CountingSender();
        try (DtlsServer server = echo(version, cid);
             Selector selector = Selector.open();
             DtlsChannel c = handshaken(server, version, cid, sender, selector)) {
            sender.lengths.clear();
            ByteBuffer[] records = records();
            GatheredWrite w = c.write(records);
            assertEquals(new GatheredWrite(DtlsChannel.Status.OK, RECORDS), w);
            for (ByteBuffer r : records) {
                assertEquals(0, r.remaining(), "consumed");
            }
            int perDatagram = c.engine().pmtu() / (RECORD_LENGTH + c.engine().recordOverhead());
            assertTrue(perDatagram >= 2, "the test needs room for two records; PMTU " + c.engine().pmtu());
            assertEquals((RECORDS + perDatagram - 1) / perDatagram, sender.lengths.size(),
                    "datagrams, packed " + perDatagram + " records each: " + sender.lengths);
            for (int length : sender.lengths) {
                assertTrue(length <= c.engine().pmtu(), "datagram of " + length + " within the PMTU");
            }
            assertEchoedOnceInOrder(c, selector);
        }
    }

    @ParameterizedTest(name = "DTLS {0}, connection ID of {1} bytes")
    @CsvSource({"1.2, 0", "1.2, 4", "1.3, 0", "1.3, 4"})
    void fullSendBufferAcceptsTheRecordsOfTheHeldDatagramOnly(String version, int cid) throws Exception {
        CountingSender sender = new CountingSender();
        try (DtlsServer server = echo(version, cid);
             Selector selector = Selector.open();
             DtlsChannel c = handshaken(server, version, cid, sender, selector)) {
            int perDatagram = c.engine().pmtu() / (RECORD_LENGTH + c.engine().recordOverhead());
            ByteBuffer[] records = records();
            sender.full.refuse(1);
            GatheredWrite first = c.write(records);
            assertEquals(new GatheredWrite(DtlsChannel.Status.WANT_WRITE, perDatagram), first,
                    "the first datagram's records are accepted and wait; nothing more");
            assertTrue((c.interestOps() & SelectionKey.OP_WRITE) != 0, "the caller is told to wait for OP_WRITE");
            for (int i = 0; i < RECORDS; i++) {
                assertEquals(i < perDatagram ? 0 : RECORD_LENGTH, records[i].remaining(), "record " + i);
            }
            sender.full.refuse(1);
            ByteBuffer[] rest = Arrays.copyOfRange(records, first.accepted(), RECORDS);
            assertEquals(new GatheredWrite(DtlsChannel.Status.WANT_WRITE, 0), c.write(rest),
                    "the held datagram still finds no room: nothing more accepted");
            GatheredWrite second = c.write(rest);
            assertEquals(new GatheredWrite(DtlsChannel.Status.OK, RECORDS - perDatagram), second);
            assertEchoedOnceInOrder(c, selector);
        }
    }

    @ParameterizedTest(name = "DTLS {0}")
    @CsvSource({"1.2", "1.3"})
    void aRecordOverTheLimitIsRefusedBeforeAnyIsSent(String version) throws Exception {
        CountingSender sender = new CountingSender();
        try (DtlsServer server = echo(version, 0);
             Selector selector = Selector.open();
             DtlsChannel c = handshaken(server, version, 0, sender, selector)) {
            sender.lengths.clear();
            ByteBuffer small = ByteBuffer.wrap(new byte[10]);
            ByteBuffer big = ByteBuffer.wrap(new byte[c.maxApplicationDataLength() + 1]);
            DtlsException e = assertThrows(DtlsException.class, () -> c.write(new ByteBuffer[] {small, big}));
            assertTrue(e.getMessage().contains("record 1"), e.getMessage());
            assertEquals(List.of(), sender.lengths, "nothing sent");
            assertEquals(10, small.remaining(), "nothing consumed");
        }
    }
}
