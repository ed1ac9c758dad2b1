package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;

/**
 * Fuzz target at the multi-peer server's datagram entry point ({@link DtlsServer#receive}, the
 * router the socket loop feeds), not only the engine: an input is a script of datagrams from
 * four source addresses, raw or derived from a genuine client's handshake (which the server's
 * answers drive), with the clock advanced between them. The server's own guard would catch
 * a bug and count it, so the target fails on any {@link ServerStats#internalErrors()}; the
 * table and the timer queue must stay within their bounds.
 *
 * <p>Script, one operation after another: a byte {@code op}, a 2-byte length, that many bytes
 * {@code body}. The source is address {@code op & 3} (0: the genuine client's). By
 * {@code op >>> 6}: 0 sends {@code body}; 1 sends the client's next datagram with {@code body}
 * XORed over it; 2 sends it with the record sequence number set from {@code body} (e.g.
 * 2^48-2); 3 advances the clock by {@code body[0]} tenths of a second and runs every timer.
 * In the normal suite the target runs over its committed seeds (DtlsServerFuzzTestInputs).
 */
class DtlsServerFuzzTest {
    static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(2).build();
    static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(2).build();
    static final ServerLimits LIMITS = ServerLimits.defaults().withMaxAssociations(4).withMaxHandshakes(3);
    private static final InetSocketAddress[] SOURCES = {MemoryNet.address(1), MemoryNet.address(2),
        MemoryNet.address(3), MemoryNet.address(256)};

    @FuzzTest(maxDuration = "10s")
    void entryPoint(byte[] input) {
        long[] now = {1_000_000};
        DtlsEngine client = DtlsEngine.client(CLIENT, now[0]);
        DtlsServer server = DtlsServer.inMemory(SERVER, LIMITS, (a, data) -> {
            try {
                a.send(data);
            } catch (java.io.IOException e) {
                // not established or too large: nothing to echo
            }
        }, (datagram, to) -> {
            if (to.equals(SOURCES[0])) {
                byte[] d = new byte[datagram.remaining()];
                datagram.get(d);
                client.receive(d, now[0]);
            }
            return true;
        }, () -> now[0]);

        int i = 0;
        while (i < input.length) {
            int op = input[i++] & 0xff;
            int length = i + 2 <= input.length ? Math.min((input[i] & 0xff) << 8 | (input[i + 1] & 0xff),
                    input.length - i - 2) : 0;
            i = Math.min(input.length, i + 2);
            byte[] body = java.util.Arrays.copyOfRange(input, i, i + length);
            i += length;
            InetSocketAddress from = SOURCES[op & 3];
            switch (op >>> 6) {
                case 0 -> server.receive(from, body, now[0]);
                case 1 -> {
                    byte[] d = client.pollDatagram();
                    if (d != null) {
                        for (int k = 0; k < body.length && d.length > 0; k++) {
                            d[k % d.length] ^= body[k];
                        }
                        server.receive(from, d, now[0]);
                    }
                }
                case 2 -> {
                    byte[] d = client.pollDatagram();
                    if (d != null && d.length >= 13) {
                        long seq = 0;
                        for (int k = 0; k < Math.min(6, body.length); k++) {
                            seq = seq << 8 | (body[k] & 0xff);
                        }
                        server.receive(from, HostileDatagrams.withSequenceNumber(d, seq), now[0]);
                    }
                }
                default -> {
                    now[0] += body.length == 0 ? 1_000 : (body[0] & 0xff) * 100L;
                    server.runTimers(now[0]);
                    client.handleTimeout(now[0]);
                }
            }
            ServerStats s = server.stats();
            assertEquals(0, s.internalErrors(), "an exception escaped an engine or the router");
            assertTrue(s.associations() <= LIMITS.maxAssociations() && s.handshakesInProgress() <= LIMITS.maxHandshakes());
            assertTrue(server.timerQueueSize() <= 2 * (LIMITS.maxAssociations() + TimerQueue.PURGE_SLACK));
        }
    }
}
