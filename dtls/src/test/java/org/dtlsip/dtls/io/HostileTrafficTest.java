package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 12: randomized hostile traffic at a real {@link DtlsChannel} pair and a real
 * {@link DtlsSocket} pair on loopback, both directions, once the handshake is done. Every
 * datagram of {@link HostileDatagrams} (any epoch, sequence number up to 2^48-1, content type,
 * length, body; replays of real datagrams, exact and altered; tls12_cid records with the real
 * connection ID) arrives from the right address (through {@link InjectingRelay}) or from a
 * stranger's, mixed with sequence-numbered application data both ways. Afterwards both
 * associations are established, every record arrived exactly once and in order, and an echo
 * works. Bounded by counts; the seed is in every failure message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileTrafficTest {
    static final int HOSTILE_DATAGRAMS = 3_000;
    /** One sequence-numbered record (and its echo) every this many hostile datagrams. */
    static final int DATA_EVERY = 5;
    static final long SEED = 0x1212_2026L;

    static byte[] payload(int n) {
        return ("record " + n).getBytes(StandardCharsets.UTF_8);
    }

    /** What the pair speaks; with DTLS 1.3 a third of the hostile datagrams are unified-header records (RFC 9147 4). */
    enum Mode {
        DTLS_1_2(false, ProtocolVersion.DTLS_1_2),
        DTLS_1_2_WITH_CONNECTION_IDS(true, ProtocolVersion.DTLS_1_2),
        DTLS_1_3(false, ProtocolVersion.DTLS_1_3);

        final boolean connectionIds;
        final int version;

        Mode(boolean connectionIds, int version) {
            this.connectionIds = connectionIds;
            this.version = version;
        }

        boolean dtls13() {
            return version == ProtocolVersion.DTLS_1_3;
        }
    }

    static DtlsConfig server(Mode mode) {
        DtlsConfig.Builder b = TestKeys.server(TestKeys.ec()).protocols(mode.version);
        return (mode.connectionIds ? b.connectionIdLength(4) : b).build();
    }

    static DtlsConfig client(Mode mode) {
        DtlsConfig.Builder b = TestKeys.clientPinning(TestKeys.ec()).protocols(mode.version);
        return (mode.connectionIds ? b.connectionIdLength(3) : b).build();
    }

    /** Where one hostile datagram goes, and from where. */
    enum Target { SERVER_FROM_PEER, SERVER_FROM_STRANGER, CLIENT_FROM_PEER, CLIENT_FROM_STRANGER }

    /** The attacker's side of a run: generator, relay, and a stranger's socket. */
    static final class Attacker implements AutoCloseable {
        final long seed;
        final Random random;
        final HostileDatagrams datagrams;
        final InjectingRelay relay;
        final DatagramChannel stranger;
        int sent;

        final boolean dtls13;

        Attacker(long seed, InjectingRelay relay, boolean dtls13) throws IOException {
            this.dtls13 = dtls13;
            this.seed = seed;
            this.random = new Random(seed);
            this.datagrams = new HostileDatagrams(random);
            this.relay = relay;
            this.stranger = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK);
        }

        void inject(DtlsEngine serverEngine, InetSocketAddress serverAt, DtlsEngine clientEngine, InetSocketAddress clientAt)
                throws IOException {
            Target t = Target.values()[random.nextInt(Target.values().length)];
            boolean toServer = t == Target.SERVER_FROM_PEER || t == Target.SERVER_FROM_STRANGER;
            byte[] cid = toServer ? serverEngine.localConnectionId() : clientEngine.localConnectionId();
            byte[] d = dtls13 && random.nextInt(3) == 0 ? datagrams.unifiedHeaderRecords(cid)
                    : datagrams.next(cid, toServer ? relay.sentToServer() : relay.sentToClient());
            try {
                switch (t) {
                    case SERVER_FROM_PEER -> relay.injectToServer(d);
                    case CLIENT_FROM_PEER -> relay.injectToClient(d);
                    case SERVER_FROM_STRANGER -> stranger.send(ByteBuffer.wrap(d), serverAt);
                    case CLIENT_FROM_STRANGER -> stranger.send(ByteBuffer.wrap(d), clientAt);
                }
            } catch (java.net.PortUnreachableException e) {
                // ICMP for an earlier datagram to a connected socket that refused a stranger: fine
            }
            sent++;
        }

        String why() {
            return "seed " + seed + ", after " + sent + " hostile datagrams";
        }

        @Override
        public void close() throws IOException {
            stranger.close();
        }
    }

    // ---------------------------------------------------------------- DtlsChannel

    /** Both channels of the pair, driven from this thread; the server echoes every record. */
    static final class ChannelPair {
        final DtlsChannel server;
        final DtlsChannel client;
        final Selector selector;
        final List<byte[]> serverGot = new ArrayList<>();
        final List<byte[]> clientGot = new ArrayList<>();
        final ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);

        ChannelPair(DtlsChannel server, DtlsChannel client, Selector selector) throws IOException {
            this.server = server;
            this.client = client;
            this.selector = selector;
            server.channel().register(selector, SelectionKey.OP_READ);
            client.channel().register(selector, SelectionKey.OP_READ);
        }

        /** Everything each side can do without waiting. */
        boolean step() throws IOException {
            boolean up = server.handshake() == DtlsChannel.Status.OK & client.handshake() == DtlsChannel.Status.OK;
            if (!up) {
                return false;
            }
            in.clear();
            while (server.read(in) == DtlsChannel.Status.OK) {
                byte[] r = java.util.Arrays.copyOf(in.array(), in.position());
                serverGot.add(r);
                assertEquals(DtlsChannel.Status.OK, server.write(r), "echo");
                in.clear();
            }
            while (client.read(in) == DtlsChannel.Status.OK) {
                clientGot.add(java.util.Arrays.copyOf(in.array(), in.position()));
                in.clear();
            }
            return true;
        }

        void until(BooleanSupplier done, String what, Attacker a) throws IOException {
            for (int rounds = 0; !(step() && done.getAsBoolean()); rounds++) {
                assertTrue(rounds < 2_000, what + " (" + (a == null ? "before the attack" : a.why()) + ")");
                long t = DtlsChannel.earlier(server.getTimeout(), client.getTimeout());
                selector.select(t == DtlsChannel.NO_TIMEOUT ? 50 : Math.max(1, t));
                selector.selectedKeys().clear();
                if (server.getTimeout() == 0) {
                    server.handleTimeout();
                }
                if (client.getTimeout() == 0) {
                    client.handleTimeout();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void channelPairSurvivesHostileTrafficWithoutLosingOrRepeatingData(Mode mode) throws Exception {
        boolean connectionIds = mode.connectionIds;
        long seed = SEED + (connectionIds ? 1 : 0) + 4L * mode.ordinal();
        DatagramChannel bound = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK);
        InetSocketAddress serverAt = (InetSocketAddress) bound.getLocalAddress();
        try (DtlsChannel server = DtlsChannel.accept(bound, server(mode));
             InjectingRelay relay = new InjectingRelay(serverAt);
             DtlsChannel client = DtlsChannel.open(relay.address(), client(mode));
             Selector selector = Selector.open();
             Attacker attacker = new Attacker(seed, relay, mode.dtls13())) {
            ChannelPair pair = new ChannelPair(server, client, selector);
            pair.until(() -> true, "handshake", null);
            assertEquals(connectionIds, server.session().connectionIdNegotiated(), "connection IDs as configured");
            assertEquals(mode.dtls13() ? "DTLSv1.3" : "DTLSv1.2", server.session().protocol());
            InetSocketAddress clientAt = (InetSocketAddress) client.channel().getLocalAddress();

            int sent = 0;
            for (int i = 0; i < HOSTILE_DATAGRAMS; i++) {
                if (i % DATA_EVERY == 0) {
                    assertEquals(DtlsChannel.Status.OK, client.write(payload(sent++)), attacker.why());
                }
                attacker.inject(server.engine(), serverAt, client.engine(), clientAt);
                pair.step();
            }
            int expected = sent;
            pair.until(() -> pair.clientGot.size() >= expected, "echoes still missing: " + pair.clientGot.size() + " of " + expected,
                    attacker);
            assertRecords(expected, pair.serverGot, "server", attacker);
            assertRecords(expected, pair.clientGot, "client", attacker);
            assertEquals(DtlsEngine.Status.ESTABLISHED, server.engine().status(), attacker.why());
            assertEquals(DtlsEngine.Status.ESTABLISHED, client.engine().status(), attacker.why());
            assertEquals(relay.clientAsSeenByServer(), server.peer(), "nobody moved the peer: " + attacker.why());
            assertEquals(0, server.peerAddressChanges(), attacker.why());
            assertTrue(dropped(server.engine()) > HOSTILE_DATAGRAMS / 8 && dropped(client.engine()) > HOSTILE_DATAGRAMS / 8,
                    "the attack reached both engines: " + server.engine().drops() + " / " + client.engine().drops());

            System.out.printf("DtlsChannel, %s, %s: %d records each way; server drops %s; client drops %s%n",
                    mode, attacker.why(), expected, server.engine().drops(), client.engine().drops());
            byte[] last = "a legitimate echo afterwards".getBytes(StandardCharsets.UTF_8);
            assertEquals(DtlsChannel.Status.OK, client.write(last));
            pair.until(() -> pair.clientGot.size() > expected, "no echo after the attack", attacker);
            assertArrayEquals(last, pair.clientGot.get(expected), attacker.why());
        }
    }

    static long dropped(DtlsEngine e) {
        return e.drops().values().stream().mapToLong(Long::longValue).sum();
    }

    static void assertRecords(int n, List<byte[]> got, String who, Attacker a) {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(new String(payload(i), StandardCharsets.UTF_8));
        }
        List<String> actual = got.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        assertEquals(expected, actual, who + " received every record once, in order (" + a.why() + ")");
    }

    // ---------------------------------------------------------------- DtlsSocket

    @ParameterizedTest
    @EnumSource(Mode.class)
    void socketPairSurvivesHostileTrafficWithoutLosingOrRepeatingData(Mode mode) throws Exception {
        boolean connectionIds = mode.connectionIds;
        long seed = SEED + 2 + (connectionIds ? 1 : 0) + 4L * mode.ordinal();
        List<byte[]> serverGot = new CopyOnWriteArrayList<>();
        try (DtlsSocket server = DtlsSocket.accept(DtlsChannelTest.ANY_LOOPBACK, server(mode));
             InjectingRelay relay = new InjectingRelay(server.localAddress());
             DtlsSocket client = DtlsSocket.connect(relay.address(), client(mode));
             Attacker attacker = new Attacker(seed, relay, mode.dtls13())) {
            server.setSoTimeout(60_000);
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try {
                    byte[] r;
                    while ((r = server.read()) != null) {
                        serverGot.add(r);
                        server.write(r);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            client.setSoTimeout(10_000);
            client.handshake();
            InetSocketAddress serverAt = server.localAddress();
            InetSocketAddress clientAt = client.localAddress();
            DtlsEngine serverEngine = server.engine();
            for (int rounds = 0; serverEngine == null || serverEngine.session() == null; rounds++) {
                assertTrue(rounds < 1_000_000_000, "the server never finished its handshake");
                Thread.onSpinWait();
                serverEngine = server.engine();
            }
            assertEquals(mode.dtls13() ? "DTLSv1.3" : "DTLSv1.2", serverEngine.session().protocol());

            int sent = 0;
            for (int i = 0; i < HOSTILE_DATAGRAMS; i++) {
                if (i % DATA_EVERY == 0) {
                    byte[] p = payload(sent++);
                    client.write(p);
                    byte[] back = client.read();
                    assertNotNull(back, attacker.why());
                    assertEquals(new String(p, StandardCharsets.UTF_8), new String(back, StandardCharsets.UTF_8),
                            "the echo of the record just sent: nothing lost or repeated (" + attacker.why() + ")");
                }
                attacker.inject(serverEngine, serverAt, client.engine(), clientAt);
            }
            byte[] last = "a legitimate echo afterwards".getBytes(StandardCharsets.UTF_8);
            client.write(last);
            assertArrayEquals(last, client.read(), attacker.why());
            assertRecords(sent, serverGot.subList(0, sent), "server", attacker);
            assertEquals(sent + 1, serverGot.size(), attacker.why());
            assertEquals(DtlsEngine.Status.ESTABLISHED, client.engine().status(), attacker.why());
            assertEquals(relay.clientAsSeenByServer(), server.remoteAddress(), "nobody moved the peer: " + attacker.why());
            assertTrue(dropped(client.engine()) > HOSTILE_DATAGRAMS / 8, "the attack reached the client: " + client.engine().drops());
            client.close();
            echo.get(10, TimeUnit.SECONDS); // the server's thread is done with its engine: its counters can be read
            System.out.printf("DtlsSocket, %s, %s: %d records each way; server drops %s; client drops %s%n",
                    mode, attacker.why(), sent, serverEngine.drops(), client.engine().drops());
        }
    }
}
