package org.dtlsip.dtls.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.sim.TestKeys;

/**
 * Fuzz targets: a whole server and a whole client engine fed an arbitrary sequence of
 * datagrams ({@link Framing}), with the clock advancing between them. Nothing the peer sends
 * may escape as an exception; buffered bytes stay within the engine's bounds; every datagram
 * sent fits the PMTU; and the stateless cookie check never answers with more bytes than came in.
 */
class EngineFuzzTest {
    static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).cookieExchange(false).build();
    static final DtlsConfig COOKIE_SERVER = TestKeys.server(TestKeys.ec()).build();
    static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).build();
    static final int BOUND = Reassembler.DEFAULT_MAX_BUFFERED_BYTES + DtlsEngine.MAX_BUFFERED_NEXT_EPOCH_BYTES;
    private static final byte[] PEER = {127, 0, 0, 1, 0x30, 0x39};

    @FuzzTest(maxDuration = "10s")
    void server(byte[] input) {
        DtlsEngine server = DtlsEngine.server(SERVER, new CookieExchange.Accept(0, 0), 0);
        CookieExchange cookies = new CookieExchange(COOKIE_SERVER);
        long now = 0;
        for (byte[] d : Framing.split(input)) {
            if (cookies.check(d, 0, d.length, PEER, now) instanceof CookieExchange.Reply reply) {
                assertTrue(reply.datagram().length <= d.length, "no amplification before the address is validated");
            }
            server.receive(d, now);
            drive(server, now += 300);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void client(byte[] input) {
        DtlsEngine client = DtlsEngine.client(CLIENT, 0);
        long now = 0;
        drive(client, now);
        for (byte[] d : Framing.split(input)) {
            client.receive(d, now);
            drive(client, now += 300);
        }
    }

    private static void drive(DtlsEngine engine, long now) {
        engine.handleTimeout(now);
        byte[] out;
        while ((out = engine.pollDatagram()) != null) {
            assertTrue(out.length <= engine.pmtu());
        }
        while (engine.pollEvent() != null) {
            // discard
        }
        while (engine.pollApplicationData() != null) {
            // discard
        }
        assertTrue(engine.bufferedBytes() <= BOUND);
    }
}
