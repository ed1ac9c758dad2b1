package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/** Epoch 0 is unauthenticated: a spoofed record must not be able to poison the replay window. */
class ReplayWindowEpochZeroTest {

    @Test
    void spoofedHugeSequenceNumberInEpochZeroDoesNotStallTheHandshake() {
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).build(),
                TestKeys.server(TestKeys.ec()).build(), SimulatedNetwork.Conditions.perfect(), 21);
        // A plaintext handshake record with the largest sequence number, as an off-path attacker
        // spoofing the server's address would send it before the real flight arrives.
        ByteWriter fragment = new ByteWriter();
        new HandshakeFragment(20, 1, 40, 0, new byte[] {0}).encode(fragment);
        ByteWriter record = new ByteWriter();
        RecordCodec.encode(record, ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_2, 0,
                Record.MAX_SEQUENCE_NUMBER, fragment.toByteArray());
        net.inject(record.toByteArray(), false);
        assertTrue(net.runHandshake(5_000), () -> "handshake stalled: " + net.client().failure());
        assertTrue(net.now() < 1_000, "no retransmission needed");
    }
}
