package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.junit.jupiter.api.Test;

/** KeyUpdate in DTLS 1.3 (RFC 9147 8, RFC 8446 4.6.3) between our client and server. */
class Dtls13KeyUpdateTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    private static SimulatedNetwork established() {
        return Dtls13HandshakeTest.established(Dtls13HandshakeTest.client13(KEY).build(),
                Dtls13HandshakeTest.server13(KEY).build());
    }

    /** The epoch's low two bits in the unified header of the last datagram one side sent (RFC 9147 4). */
    private static int lastEpochBits(SimulatedNetwork net, boolean fromClient) {
        List<SimulatedNetwork.Datagram> sent = net.sent();
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).toServer() == fromClient) {
                return sent.get(i).bytes()[0] & 0x03;
            }
        }
        throw new AssertionError("nothing sent");
    }

    private static void roundTrip(SimulatedNetwork net, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int before = net.serverReceived().size();
        net.clientSend(data);
        net.runUntil(net.now() + 100);
        assertArrayEquals(data, net.serverReceived().get(before));
        int clientBefore = net.clientReceived().size();
        net.serverSend(data);
        net.runUntil(net.now() + 100);
        assertArrayEquals(data, net.clientReceived().get(clientBefore));
    }

    @Test
    void clientRequestedUpdateMovesBothSidesToEpochFour() throws Exception {
        SimulatedNetwork net = established();
        roundTrip(net, "epoch 3");
        assertEquals(3, lastEpochBits(net, true));
        assertTrue(net.clientUpdateKeys(true));
        net.runUntil(net.now() + 100);
        roundTrip(net, "epoch 4");
        assertEquals(0, lastEpochBits(net, true), "client writes epoch 4");
        assertEquals(0, lastEpochBits(net, false), "server answered the request and writes epoch 4");
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
    }

    @Test
    void serverUpdatesWithoutRequestOnlyItsOwnEpochMoves() throws Exception {
        SimulatedNetwork net = established();
        net.runUntil(net.now() + 100);
        assertTrue(net.serverUpdateKeys(false));
        net.runUntil(net.now() + 100);
        roundTrip(net, "after the server's update");

        assertEquals(0, lastEpochBits(net, false), "server writes epoch 4");
        assertEquals(3, lastEpochBits(net, true), "client still writes epoch 3");
        // Several updates in a row, each after the previous one was acknowledged.
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertTrue(net.serverUpdateKeys(false), () -> "update " + n);
            net.runUntil(net.now() + 100);
        }
        roundTrip(net, "epoch 9");
        assertEquals(9 & 3, lastEpochBits(net, false));
    }

    /** RFC 9147 8: until the KeyUpdate is acknowledged, the old epoch is used; a lost ACK is recovered by retransmission. */
    @Test
    void newKeysOnlyAfterTheKeyUpdateIsAcknowledged() throws Exception {
        SimulatedNetwork net = established();
        net.runUntil(net.now() + 100);
        AtomicBoolean dropAcks = new AtomicBoolean(true);
        // The client's ACKs are lost for a while.
        net.filter(d -> !d.toServer() || !dropAcks.get());
        assertTrue(net.serverUpdateKeys(false));
        assertFalse(net.serverUpdateKeys(false), "one KeyUpdate at a time");
        net.runUntil(net.now() + 100);
        net.serverSend("still epoch 3".getBytes(StandardCharsets.UTF_8));
        assertEquals(3, lastEpochBits(net, false));
        net.runUntil(net.now() + 100);
        assertEquals("still epoch 3", new String(net.clientReceived().get(0), StandardCharsets.UTF_8));
        dropAcks.set(false);
        net.runUntil(net.now() + 5_000);
        net.serverSend("epoch 4".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, lastEpochBits(net, false));
        net.runUntil(net.now() + 100);
        assertEquals("epoch 4", new String(net.clientReceived().get(1), StandardCharsets.UTF_8));
    }

    /**
     * A thousand KeyUpdates, every other one asking the peer to update too, with data in between:
     * the two epoch bits of the unified header wrap around many times (RFC 9147 4.2.2), at most
     * four read epochs are held, and every record is read in the right epoch.
     */
    @Test
    void aThousandKeyUpdatesWrapTheEpochBitsManyTimes() throws Exception {
        SimulatedNetwork net = established();
        net.runUntil(net.now() + 100);
        for (int i = 0; i < 1_000; i++) {
            boolean fromClient = i % 3 == 0;
            boolean sent = fromClient ? net.clientUpdateKeys(i % 2 == 0) : net.serverUpdateKeys(i % 2 == 0);
            assertTrue(sent, "update " + i);
            net.runUntil(net.now() + 20);
            if (i % 97 == 0) {
                roundTrip(net, "after update " + i);
            }
        }
        roundTrip(net, "at the end");
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
        assertTrue(net.client().drops().isEmpty(), () -> "client dropped " + net.client().drops());
        assertTrue(net.server().drops().isEmpty(), () -> "server dropped " + net.server().drops());
    }

    /**
     * message_seq is 16 bits and never wraps (RFC 9147 5.2): once a side has numbered 65,536
     * handshake messages it sends no more KeyUpdates (nor answers a request for one, as for the
     * epoch limit of RFC 9147 8), and the association goes on in its current epoch. Bounded by
     * the count of messages, the number space itself.
     */
    @Test
    void messageSeqRunsOutAfter65536MessagesWithoutBreakingTheAssociation() throws Exception {
        SimulatedNetwork net = established();
        net.runUntil(net.now() + 100);
        int updates = 0;
        while (net.clientUpdateKeys(false)) {
            updates++;
            net.runUntil(net.now() + 5);
            if (updates > 70_000) {
                throw new AssertionError("KeyUpdates never stopped: message_seq wrapped");
            }
        }
        assertTrue(updates > 65_000 && updates <= 65_536, "updates before message_seq ran out: " + updates);
        assertFalse(net.clientUpdateKeys(true), "still refused");
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        roundTrip(net, "after the last KeyUpdate");
        int clientEpochBits = lastEpochBits(net, true);

        // The server asks for an update: the client cannot number one, so it ignores the request.
        assertTrue(net.serverUpdateKeys(true));
        net.runUntil(net.now() + 100);
        roundTrip(net, "the request was ignored");
        assertEquals(clientEpochBits, lastEpochBits(net, true), "the client stayed in its epoch");
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
    }
}
