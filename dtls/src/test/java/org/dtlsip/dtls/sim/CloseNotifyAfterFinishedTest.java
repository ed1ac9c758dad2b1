package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.EngineEvent;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 10, sans-IO: a server with nothing to say (openssl s_server reading an empty
 * stdin) sends close_notify right behind its Finished, here in the very same datagram. The
 * client's handshake completed, so it must say so first; the close follows as an event of its
 * own (RFC 5246 7.2.1: close_notify ends a connection, it does not undo its handshake).
 */
class CloseNotifyAfterFinishedTest {
    static final byte[] CLIENT_ID = {127, 0, 0, 1, 0x30, 0x39};

    /** Runs a handshake in memory; the server closes as soon as it is done, in one datagram with its final flight. */
    static final class ClosingHandshake {
        final DtlsEngine client;
        DtlsEngine server;
        byte[] finalDatagram;
        long now = 1_000;

        ClosingHandshake(DtlsConfig clientConfig, DtlsConfig serverConfig) {
            client = DtlsEngine.client(clientConfig, now);
            CookieExchange cookies = new CookieExchange(serverConfig);
            for (int round = 0; round < 10 && finalDatagram == null; round++) {
                List<byte[]> toServer = drain(client);
                for (byte[] d : toServer) {
                    if (server == null) {
                        CookieExchange.Verdict v = cookies.check(d, 0, d.length, CLIENT_ID, now);
                        if (v instanceof CookieExchange.Reply reply) {
                            client.receive(reply.datagram(), now);
                            continue;
                        }
                        server = DtlsEngine.server(serverConfig, (CookieExchange.Accept) v, now);
                    }
                    server.receive(d, now);
                }
                if (server == null) {
                    continue;
                }
                if (server.status() == DtlsEngine.Status.ESTABLISHED) {
                    server.close(); // close_notify queued right behind the final flight
                    finalDatagram = concat(drain(server));
                } else {
                    for (byte[] d : drain(server)) {
                        client.receive(d, now);
                    }
                }
            }
        }

        static List<byte[]> drain(DtlsEngine e) {
            List<byte[]> out = new ArrayList<>();
            byte[] d;
            while ((d = e.pollDatagram()) != null) {
                out.add(d);
            }
            return out;
        }

        static byte[] concat(List<byte[]> datagrams) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            datagrams.forEach(all::writeBytes);
            return all.toByteArray();
        }
    }

    static List<EngineEvent> events(DtlsEngine e) {
        List<EngineEvent> out = new ArrayList<>();
        EngineEvent ev;
        while ((ev = e.pollEvent()) != null) {
            out.add(ev);
        }
        return out;
    }

    @Test
    void closeNotifyInTheDatagramOfTheServersFinishedComesAfterHandshakeComplete() throws Exception {
        ClosingHandshake h = new ClosingHandshake(TestKeys.clientPinning(TestKeys.ec()).build(),
                TestKeys.server(TestKeys.ec()).build());
        assertNotNull(h.finalDatagram, "the server completed its side");
        events(h.client); // nothing of interest before the server's final flight

        h.client.receive(h.finalDatagram, h.now);

        List<EngineEvent> events = events(h.client);
        assertEquals(List.of(EngineEvent.Kind.HANDSHAKE_COMPLETE, EngineEvent.Kind.CLOSED),
                events.stream().map(EngineEvent::kind).toList(), "completion first, then the close");
        assertNotNull(h.client.session(), "the handshake completed");
        assertNull(h.client.failure(), "and nothing failed");
        assertTrue(h.client.closeNotifyReceived());
        assertEquals(DtlsEngine.Status.CLOSED, h.client.status());
        assertNull(h.client.pollApplicationData(), "end of stream: nothing to read");
        DtlsException write = assertThrows(DtlsException.class, () -> h.client.send(new byte[] {1}));
        assertTrue(write.getMessage().contains("closed"), write.getMessage());
        byte[] answer = h.client.pollDatagram();
        assertNotNull(answer, "the client answers close_notify with its own (RFC 5246 7.2.1)");
        h.server.receive(answer, h.now);
        assertTrue(h.server.closeNotifyReceived());
    }
}
