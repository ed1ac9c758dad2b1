package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * Hostile records and handshake fragments fed to a server engine in the middle of its
 * handshake (waiting for ClientKeyExchange, message_seq 1): each is dropped and counted, no
 * exception escapes, memory stays under the engine's bounds, and the genuine handshake still
 * completes afterwards (threats T18, T19, T20 and the record-level cases in docs/SECURITY.md).
 */
class RecordHostilityTest {
    private static final int HS = ContentType.HANDSHAKE.code;

    private static long drops(DtlsEngine e, DropReason reason) {
        return e.drops().getOrDefault(reason, 0L);
    }

    private static int boundOf(DtlsEngine e) {
        return Reassembler.DEFAULT_MAX_BUFFERED_BYTES + DtlsEngine.MAX_BUFFERED_NEXT_EPOCH_BYTES;
    }

    /** After the hostile input, the real client flight completes the handshake. */
    private static void completes(ScriptedPskClient c) {
        c.send(c.clientKeyExchange(), ScriptedPskClient.changeCipherSpec(), c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status(), () -> String.valueOf(c.server.failure()));
    }

    private static ScriptedPskClient started() {
        ScriptedPskClient c = new ScriptedPskClient();
        c.hello();
        return c;
    }

    @Test
    void recordLengthBeyondTheDatagramEndsParsing() {
        ScriptedPskClient c = started();
        byte[] r = Wire.plain(ContentType.HANDSHAKE, new byte[20]);
        r[11] = 0x40; // length 16 KiB + 20, far past the datagram
        c.send(r);
        byte[] huge = Wire.plain(ContentType.HANDSHAKE, new byte[0]);
        huge[11] = (byte) 0xff;
        huge[12] = (byte) 0xff;
        c.send(huge);
        c.send(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0}); // shorter than a header
        assertEquals(3, drops(c.server, DropReason.MALFORMED_RECORD));
        completes(c);
    }

    @Test
    void unknownContentTypesWrongVersionsAndHeartbeatsAreDropped() {
        ScriptedPskClient c = started();
        for (int type : new int[] {0, 19, 26, 99, 255}) {
            c.send(Wire.record(type, ProtocolVersion.DTLS_1_2, 0, Wire.freshSeq(), new byte[8]));
        }
        c.send(Wire.record(24, ProtocolVersion.DTLS_1_2, 0, Wire.freshSeq(), new byte[] {1, 0, 0x40, 0, 0})); // heartbeat request
        for (int version : new int[] {0x0303, 0xfefc, 0xfeff, 0x0000, 0xffff}) {
            c.send(Wire.record(HS, version, 0, Wire.freshSeq(),
                    Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, 10, 1, 0, new byte[] {0, 1, 'x'})));
        }
        assertEquals(5, drops(c.server, DropReason.UNKNOWN_CONTENT_TYPE));
        assertEquals(1, drops(c.server, DropReason.HEARTBEAT));
        // DTLS 1.0 (0xfeff) is tolerated in epoch 0 only, for a ClientHello's record.
        assertTrue(drops(c.server, DropReason.BAD_VERSION) >= 4);
        assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
    }

    @Test
    void sixteenMebibyteMessageInTinyFragmentsAllocatesNothing() {
        // CVE-2014-3506 style: a header claiming 2^24-1 bytes must not make us allocate them.
        ScriptedPskClient c = started();
        int length = 0xff_ffff;
        for (int i = 0; i < 2_000; i++) {
            c.send(Wire.plain(ContentType.HANDSHAKE,
                    Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, length, 1, i * 7, new byte[] {1})));
        }
        assertEquals(0, c.server.bufferedBytes());
        assertEquals(2_000, drops(c.server, DropReason.HANDSHAKE_FRAGMENT_REJECTED));
        completes(c);
    }

    @Test
    void fragmentPastTheMessageLengthIsMalformed() {
        // CVE-2014-0195: offset + fragment_length > length.
        ScriptedPskClient c = started();
        ByteWriter w = new ByteWriter();
        w.u8(HandshakeType.CLIENT_KEY_EXCHANGE.code).u24(10).u16(1).u24(8).u24(5).bytes(new byte[5]);
        c.send(Wire.plain(ContentType.HANDSHAKE, w.toByteArray()));
        ByteWriter w2 = new ByteWriter();
        w2.u8(HandshakeType.CLIENT_KEY_EXCHANGE.code).u24(10).u16(1).u24(0).u24(200).bytes(new byte[5]); // longer than the record
        c.send(Wire.plain(ContentType.HANDSHAKE, w2.toByteArray()));
        assertEquals(2, drops(c.server, DropReason.MALFORMED_HANDSHAKE));
        assertEquals(0, c.server.bufferedBytes());
        completes(c);
    }

    @Test
    void aForgedFragmentThatArrivesFirstDoesNotPinTheMessage() {
        // ReorderHandshakeFragments with a forgery: epoch 0 authenticates nothing, so bytes that
        // conflict with the held ones restart the message instead of being refused, and the
        // genuine ClientKeyExchange, arriving whole after the forged half, completes it.
        ScriptedPskClient c = started();
        byte[] body = new org.dtlsip.dtls.handshake.message.ClientKeyExchangePsk(ScriptedPskClient.IDENTITY, new byte[0]).encode();
        int n = body.length;
        byte[] evil = java.util.Arrays.copyOfRange(body, 0, n / 2 + 2);
        evil[evil.length - 1] ^= 0x55;
        c.send(Wire.plain(ContentType.HANDSHAKE, Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, n, 1, 0, evil)));
        assertTrue(c.server.bufferedBytes() > 0);
        completes(c);
        assertEquals(1, drops(c.server, DropReason.HANDSHAKE_FRAGMENT_REJECTED), "the forged half was discarded");
    }

    @Test
    void aForgedFragmentThatArrivesSecondDoesNotPinTheMessageEither() {
        ScriptedPskClient c = started();
        byte[] body = new org.dtlsip.dtls.handshake.message.ClientKeyExchangePsk(ScriptedPskClient.IDENTITY, new byte[0]).encode();
        int n = body.length;
        byte[] firstHalf = java.util.Arrays.copyOfRange(body, 0, n / 2 + 2);
        byte[] evil = java.util.Arrays.copyOfRange(body, n / 2, n);
        evil[0] ^= 0x55;
        c.send(Wire.plain(ContentType.HANDSHAKE, Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, n, 1, 0, firstHalf)));
        c.send(Wire.plain(ContentType.HANDSHAKE, Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, n, 1, n / 2, evil)));
        assertEquals(1, drops(c.server, DropReason.HANDSHAKE_FRAGMENT_REJECTED));
        assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
        completes(c); // the peer's whole retransmission replaces the mixed copy
    }

    @Test
    void zeroLengthFragmentsAndEndlessDuplicatesAreCheap() {
        // CVE-2014-3507, pion CVE-2022-29190: no leak, no loop. Work is bounded by counting what
        // each copy leaves behind: nothing new, and nothing sent.
        ScriptedPskClient c = started();
        byte[] empty = Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, 30, 1, 5, new byte[0]);
        byte[] piece = Wire.fragment(HandshakeType.CLIENT_KEY_EXCHANGE.code, 30, 1, 0, new byte[4]);
        for (int i = 0; i < 20_000; i++) {
            List<byte[]> answers = c.send(Wire.plain(ContentType.HANDSHAKE, i % 2 == 0 ? empty : piece));
            assertTrue(answers.isEmpty());
            assertEquals(i == 0 ? 0 : 30, c.server.bufferedBytes(), "one 30-byte buffer, however many copies");
        }
        assertEquals(0, drops(c.server, DropReason.HANDSHAKE_FRAGMENT_REJECTED), "duplicates are not even rejections");
        // The genuine message disagrees with the injected one (another length): it restarts the
        // message and completes the handshake, instead of the injected bytes standing until timeout.
        completes(c);
    }

    @Test
    void messageSeqFarInTheFutureIsNotBuffered() {
        ScriptedPskClient c = started();
        for (int seq : new int[] {Reassembler.DEFAULT_MAX_LOOKAHEAD + 2, 1_000, 0xffff}) {
            c.send(Wire.plainMessage(HandshakeType.FINISHED.code, seq, new byte[12]));
        }
        assertEquals(0, c.server.bufferedBytes());
        assertEquals(3, drops(c.server, DropReason.HANDSHAKE_FRAGMENT_REJECTED));
        completes(c);
    }

    @Test
    void futureMessagesThatAreNeverConsumedAreFreedAtHandshakeEnd() {
        // T20 (CVE-2016-2179, pion CVE-2022-29189): messages 3..8 are buffered, never used.
        ScriptedPskClient c = started();
        for (int seq = 3; seq <= 1 + Reassembler.DEFAULT_MAX_LOOKAHEAD; seq++) {
            c.send(Wire.plainMessage(HandshakeType.CERTIFICATE.code, seq, new byte[1000]));
        }
        assertTrue(c.server.bufferedBytes() >= 6_000);
        completes(c);
        assertTrue(c.server.bufferedBytes() <= Reassembler.DEFAULT_MAX_BUFFERED_BYTES);
    }

    @Test
    void floodOfRandomHostileDatagramsStaysBoundedAndNeverThrows() {
        Random rnd = new Random(8);
        ScriptedPskClient c = started();
        int max = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] d = hostileDatagram(rnd);
            c.server.receive(d, i);
            Drain.datagrams(c.server);
            max = Math.max(max, c.server.bufferedBytes());
            if (c.server.status() != DtlsEngine.Status.HANDSHAKING) {
                c = started(); // a spoofed fatal alert or a bad message ends it; start another
            }
        }
        assertTrue(max <= boundOf(c.server), "buffered at most " + max);
    }

    /** Random datagrams built from plausible pieces: real headers, wild lengths and offsets. */
    static byte[] hostileDatagram(Random rnd) {
        ByteWriter w = new ByteWriter();
        int records = 1 + rnd.nextInt(4);
        for (int r = 0; r < records; r++) {
            int type = rnd.nextInt(6) == 0 ? rnd.nextInt(256) : 20 + rnd.nextInt(5);
            int epoch = rnd.nextInt(5) == 0 ? rnd.nextInt(4) : 0;
            byte[] payload;
            if (type == HS && rnd.nextBoolean()) {
                int length = rnd.nextInt(4) == 0 ? rnd.nextInt(0x1000000) : rnd.nextInt(3000);
                int offset = length == 0 ? 0 : rnd.nextInt(length);
                int fl = Math.min(length - offset, rnd.nextInt(300));
                payload = Wire.fragment(HandshakeType.values()[rnd.nextInt(HandshakeType.values().length)].code,
                        length, rnd.nextInt(12), offset, new byte[fl]);
            } else {
                payload = new byte[rnd.nextInt(200)];
                rnd.nextBytes(payload);
            }
            int version = rnd.nextInt(8) == 0 ? rnd.nextInt(0x10000) : ProtocolVersion.DTLS_1_2;
            byte[] rec = Wire.record(type, version, epoch, rnd.nextInt(8) == 0 ? rnd.nextLong() & 0xffff_ffff_ffffL : Wire.freshSeq(), payload);
            if (rnd.nextInt(10) == 0) {
                rec[11] = (byte) rnd.nextInt(256); // lie about the length
            }
            w.bytes(rec);
        }
        return w.toByteArray();
    }

    @Test
    void noUnauthenticatedDatagramEndsAnEstablishedAssociation() throws Exception {
        // Once both Finished messages are verified, the acceptance table reads only authenticated
        // records of the current epoch (epoch 0 is then repeats only): any epoch (0..65535), any
        // sequence number (up to 2^48-1), any type and body must leave the association working.
        ScriptedPskClient c = started();
        c.send(c.clientKeyExchange(), ScriptedPskClient.changeCipherSpec(), c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
        Random rnd = new Random(12);
        long[] seqs = {0, 1, Record.MAX_SEQUENCE_NUMBER - 1, Record.MAX_SEQUENCE_NUMBER};
        int[] epochs = {0, 1, 2, 0xfffe, 0xffff};
        int max = 0;
        for (int i = 0; i < 20_000; i++) {
            ByteWriter w = new ByteWriter();
            for (int r = 1 + rnd.nextInt(3); r > 0; r--) {
                int type = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 20 + rnd.nextInt(6);
                int epoch = rnd.nextBoolean() ? epochs[rnd.nextInt(epochs.length)] : rnd.nextInt(0x10000);
                long seq = rnd.nextBoolean() ? seqs[rnd.nextInt(seqs.length)] : rnd.nextLong() & Record.MAX_SEQUENCE_NUMBER;
                byte[] body = new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextInt(120)];
                rnd.nextBytes(body);
                if (type == HS && body.length >= 12 && rnd.nextBoolean()) {
                    body = Wire.fragment(HandshakeType.values()[rnd.nextInt(HandshakeType.values().length)].code,
                            body.length - 12, rnd.nextInt(8), 0, java.util.Arrays.copyOfRange(body, 12, body.length));
                }
                w.bytes(Wire.record(type, rnd.nextInt(8) == 0 ? rnd.nextInt(0x10000) : ProtocolVersion.DTLS_1_2, epoch, seq, body));
            }
            c.server.receive(w.toByteArray(), 1_000 + i);
            max = Math.max(max, c.server.bufferedBytes());
            assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status(), () -> String.valueOf(c.server.failure()));
        }
        assertTrue(max <= boundOf(c.server), "buffered at most " + max);
        c.send(c.encrypted(ContentType.APPLICATION_DATA, new byte[] {42}));
        assertEquals(42, c.server.pollApplicationData()[0]);
        c.server.send(new byte[] {43});
        assertTrue(c.server.pollDatagram() != null, "and it still sends");
    }

    @Test
    void peerRetransmissionFloodDoesNotAmplify() {
        // DTLS-Retransmit-PeerTriggered-RateLimited (T17): a repeated ClientHello makes us resend
        // our flight, but datagrams full of copies must not each buy a whole flight.
        DtlsConfig config = ScriptedPskClient.serverConfig();
        ScriptedPskClient c = new ScriptedPskClient(config);
        c.hello();
        byte[] hello = c.clientHelloBody();
        byte[] oneRecord = Wire.plainMessage(HandshakeType.CLIENT_HELLO.code, 0, hello);
        long in = 0;
        long out = 0;
        for (int i = 0; i < 200; i++) {
            byte[][] copies = new byte[8][];
            for (int k = 0; k < copies.length; k++) {
                copies[k] = Wire.plainMessage(HandshakeType.CLIENT_HELLO.code, 0, hello);
            }
            byte[] datagram = Wire.concat(copies);
            in += datagram.length;
            c.server.receive(datagram, 10 + i); // 200 datagrams within 200 ms
            for (byte[] d : Drain.datagrams(c.server)) {
                out += d.length;
            }
        }
        assertTrue(oneRecord.length > 0);
        assertTrue(out <= in, "sent " + out + " bytes in answer to " + in + " bytes of repeats");
        assertTrue(c.server.retransmissions() <= 2, "retransmitted " + c.server.retransmissions() + " times");
    }
}
