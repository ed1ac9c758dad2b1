package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to DTLS 1.3 associations on the simulated network (RFC 9147 4.5.2, 7; RFC 8446
 * 4.1.3): forged plaintext ACKs, garbage unified headers, a hello stripped of DTLS 1.3. Each is
 * dropped or alerted as the RFCs say, and no association is lost that should not be.
 */
class Dtls13HostileInputTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    private static byte[] plaintextRecord(ContentType type, long seq, byte[] content) {
        ByteWriter w = new ByteWriter(Record.HEADER_LENGTH + content.length);
        RecordCodec.encode(w, type.code, ProtocolVersion.DTLS_1_2, 0, seq, content);
        return w.toByteArray();
    }

    /**
     * RFC 9147 7: an ACK in plaintext epoch 0 authenticates nothing. A forged one naming every
     * record the server sent cannot stop its retransmissions while the client's Finished is lost.
     */
    @Test
    void forgedPlaintextAckDoesNotStopRetransmission() {
        AtomicBoolean clientCut = new AtomicBoolean(false);
        SimulatedNetwork net = new SimulatedNetwork(Dtls13HandshakeTest.client13(KEY).build(),
                Dtls13HandshakeTest.server13(KEY).cookieExchange(false).build(), SimulatedNetwork.Conditions.perfect(), 1)
                .filter(d -> !(d.toServer() && clientCut.get()));
        net.runUntil(1);
        // The server's flight is out; everything the client sends from now on is lost.
        clientCut.set(true);
        net.runUntil(10);
        assertEquals(DtlsEngine.Status.HANDSHAKING, net.server().status());
        List<RecordNumber> everything = new ArrayList<>();
        for (long epoch : new long[] {0, 2}) {
            for (long seq = 0; seq < 16; seq++) {
                everything.add(new RecordNumber(epoch, seq));
            }
        }
        net.inject(plaintextRecord(ContentType.ACK, 7, new Ack(everything).encode()), true);
        assertEquals(1L, net.server().drops().get(DropReason.UNAUTHENTICATED_ACK));
        int before = net.sent().size();
        net.runUntil(net.now() + 1_100);
        assertTrue(net.sent().subList(before, net.sent().size()).stream()
                        .anyMatch(d -> !d.toServer() && d.bytes()[0] == ContentType.HANDSHAKE.code),
                "the server resent its whole flight at its timer, the plaintext ServerHello included");
        clientCut.set(false);
        net.runUntil(net.now() + 5_000);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
    }

    /**
     * RFC 9147 4.5.2: records that fail deprotection, name epochs we have no keys for, or whose
     * lengths run past the datagram are dropped silently; thousands of them leave an established
     * association established, with data flowing.
     */
    @Test
    void garbageUnifiedHeadersLeaveTheAssociationEstablished() throws Exception {
        SimulatedNetwork net = Dtls13HandshakeTest.established(Dtls13HandshakeTest.client13(KEY).build(),
                Dtls13HandshakeTest.server13(KEY).build());
        Random random = new Random(14);
        for (int i = 0; i < 3_000; i++) {
            byte[] d = new byte[1 + random.nextInt(120)];
            random.nextBytes(d);
            d[0] = (byte) (0x20 | (d[0] & 0x1f));
            net.inject(d, i % 2 == 0);
        }
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
        long dropped = net.server().drops().values().stream().mapToLong(Long::longValue).sum();
        assertTrue(dropped >= 1_500, "every garbage datagram was counted, saw " + dropped);
        byte[] data = "still here".getBytes(StandardCharsets.UTF_8);
        net.clientSend(data);
        net.runUntil(net.now() + 100);
        assertArrayEquals(data, net.serverReceived().get(0));
    }

    /**
     * RFC 8446 4.1.3: an attacker strips supported_versions and key_share from the ClientHello;
     * the server, able to speak DTLS 1.3, answers in DTLS 1.2 with the downgrade sentinel, and
     * our client, which offered 1.3, refuses with illegal_parameter.
     */
    @Test
    void strippedDtls13OfferIsDetectedByTheDowngradeSentinel() {
        SimulatedNetwork[] holder = new SimulatedNetwork[1];
        SimulatedNetwork net = new SimulatedNetwork(Dtls13HandshakeTest.client13(KEY).build(),
                Dtls13HandshakeTest.server13(KEY).build(), SimulatedNetwork.Conditions.perfect(), 1);
        holder[0] = net;
        net.filter(d -> {
            if (!d.toServer() || d.bytes()[0] != ContentType.HANDSHAKE.code) {
                return true;
            }
            holder[0].inject(stripDtls13(d.bytes()), true);
            return false;
        });
        // The first ClientHello left before the filter: strip and resend it by hand.
        net.inject(stripDtls13(net.sent().get(0).bytes()), true);
        net.runUntil(10_000);
        assertEquals(DtlsEngine.Status.FAILED, net.client().status());
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, net.client().failure().alert());
        assertTrue(net.client().failure().getMessage().contains("downgrade sentinel"), net.client().failure().getMessage());
    }

    /** The datagram's ClientHello without supported_versions and key_share, re-encoded; other datagrams unchanged. */
    private static byte[] stripDtls13(byte[] datagram) {
        Record record = RecordCodec.parse(datagram, 0, datagram.length).records().get(0);
        HandshakeFragment f = HandshakeFragment.decode(new ByteReader(record.fragment()));
        if (f.msgType() != 1) {
            return datagram;
        }
        ClientHello hello = ClientHello.decode(f.fragment());
        List<Extension> kept = new ArrayList<>();
        for (Extension e : hello.extensions()) {
            if (e.type() != ExtensionType.SUPPORTED_VERSIONS && e.type() != ExtensionType.KEY_SHARE) {
                kept.add(e);
            }
        }
        byte[] body = new ClientHello(hello.clientVersion(), hello.random(), hello.sessionId(), hello.cookie(),
                hello.cipherSuites(), hello.compressionMethods(), kept).encode();
        ByteWriter fragment = new ByteWriter();
        new HandshakeFragment(1, body.length, f.messageSeq(), 0, body).encode(fragment);
        ByteWriter out = new ByteWriter();
        RecordCodec.encode(out, record.contentType(), record.version(), 0, record.sequenceNumber(), fragment.toByteArray());
        return out.toByteArray();
    }
}
