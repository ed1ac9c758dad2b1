package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.SimulatedNetwork;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * Soak under loss and load: many associations exchange numbered, checksummed records both
 * ways over a lossy (10%), duplicating (10%), reordering (1-200 ms) simulated network. No
 * accepted record may arrive twice or corrupted, and every association that stays alive keeps
 * working. Default: 50 associations x 1,000 rounds, 100,000 records (a few seconds); longer with
 * {@code -Dsoak.associations=N -Dsoak.rounds=M}.
 */
class SoakTest {
    @Test
    void manyAssociationsOverALossyReorderingDuplicatingNetwork() throws Exception {
        int associations = Integer.getInteger("soak.associations", 50);
        int rounds = Integer.getInteger("soak.rounds", 1_000);
        SimulatedNetwork.Conditions bad = new SimulatedNetwork.Conditions(0.10, 0.10, 1, 200);
        DtlsConfig server = TestKeys.server(TestKeys.ec()).handshakeTimeoutMillis(600_000).build();
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).handshakeTimeoutMillis(600_000).build();
        List<SimulatedNetwork> nets = new ArrayList<>();
        for (int i = 0; i < associations; i++) {
            SimulatedNetwork net = new SimulatedNetwork(client, server, bad, 1_000 + i);
            assertTrue(net.runHandshake(600_000), "association " + i + " handshake");
            nets.add(net);
        }
        long delivered = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < associations; i++) {
                SimulatedNetwork net = nets.get(i);
                net.clientSend(payload(i, true, round));
                net.serverSend(payload(i, false, round));
                net.runUntil(net.now() + 50);
            }
        }
        for (int i = 0; i < associations; i++) {
            SimulatedNetwork net = nets.get(i);
            net.runUntil(net.now() + 1_000);
            delivered += check(net.serverReceived(), i, true, rounds) + check(net.clientReceived(), i, false, rounds);
            assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
            assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
            // Still working: one more record each way gets through (retry past losses).
            int before = net.serverReceived().size();
            for (int k = 0; k < 20 && net.serverReceived().size() == before; k++) {
                net.clientSend(payload(i, true, rounds + k));
                net.runUntil(net.now() + 500);
            }
            assertTrue(net.serverReceived().size() > before, "association " + i + " still carries data");
        }
        long sent = 2L * associations * rounds;
        assertTrue(delivered > sent * 0.8 && delivered <= sent, delivered + " of " + sent);
    }

    private static byte[] payload(int association, boolean fromClient, int n) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(association).put((byte) (fromClient ? 1 : 0)).putInt(n);
        while (b.remaining() > 8) {
            b.put((byte) (n * 31 + b.position()));
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 56);
        b.putLong(crc.getValue());
        return b.array();
    }

    /** Every record intact, from the right sender, and none twice; returns how many arrived. */
    private static int check(List<byte[]> received, int association, boolean fromClient, int rounds) {
        Set<Integer> seen = new HashSet<>();
        for (byte[] r : received) {
            ByteBuffer b = ByteBuffer.wrap(r);
            CRC32 crc = new CRC32();
            crc.update(r, 0, 56);
            assertEquals(crc.getValue(), b.getLong(56), "corrupted record");
            assertEquals(association, b.getInt(0));
            assertEquals(fromClient ? 1 : 0, b.get(4));
            assertTrue(seen.add(b.getInt(5)), "record delivered twice");
        }
        return (int) seen.stream().filter(n -> n < rounds).count();
    }
}
