package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.HelloVerifyRequest;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.record.ReplayWindow;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/** Property tests (jqwik): codec round-trips, reassembly under any delivery order, replay at most once. */
class CodecProperties {

    @Property(tries = 300)
    void recordsRoundTrip(@ForAll("plainType") int type, @ForAll @IntRange(min = 0, max = 0xffff) int version,
            @ForAll @IntRange(min = 0, max = 0xffff) int epoch, @ForAll("seq") long seq, @ForAll @Size(max = 300) byte[] payload) {
        ByteWriter w = new ByteWriter();
        RecordCodec.encode(w, type, version, epoch, seq, payload);
        RecordCodec.encode(w, type, version, epoch, seq, payload);
        byte[] datagram = w.toByteArray();
        RecordCodec.Parsed p = RecordCodec.parse(datagram, 0, datagram.length);
        assertFalse(p.malformedTail());
        assertEquals(2, p.records().size());
        Record r = p.records().get(1);
        assertEquals(List.of(type, version, epoch), List.of(r.contentType(), r.version(), r.epoch()));
        assertEquals(seq, r.sequenceNumber());
        assertArrayEquals(payload, r.fragment());
    }

    @Provide
    Arbitrary<Long> seq() {
        return Arbitraries.longs().between(0, Record.MAX_SEQUENCE_NUMBER);
    }

    /**
     * Every content type but tls12_cid, whose header has the receiver's connection ID and
     * cannot be delimited without its length (RFC 9146 4): connectionIdRecordsRoundTrip.
     */
    @Provide
    Arbitrary<Integer> plainType() {
        return Arbitraries.integers().between(0, 255).filter(t -> t != ContentType.TLS12_CID.code);
    }

    @Property(tries = 100)
    void connectionIdRecordsRoundTrip(@ForAll @IntRange(min = 0, max = 0xffff) int epoch, @ForAll("seq") long seq,
            @ForAll @Size(min = 1, max = 255) byte[] cid, @ForAll @Size(max = 300) byte[] payload) {
        ByteWriter w = new ByteWriter();
        RecordCodec.encode(w, ProtocolVersion.DTLS_1_2, epoch, seq, cid, payload);
        RecordCodec.encode(w, ProtocolVersion.DTLS_1_2, epoch, seq, cid, payload);
        byte[] datagram = w.toByteArray();
        RecordCodec.Parsed p = RecordCodec.parse(datagram, 0, datagram.length, cid.length);
        assertFalse(p.malformedTail());
        assertEquals(2, p.records().size());
        Record r = p.records().get(1);
        assertEquals(List.of(ContentType.TLS12_CID.code, epoch), List.of(r.contentType(), r.epoch()));
        assertEquals(seq, r.sequenceNumber());
        assertArrayEquals(cid, r.connectionId());
        assertArrayEquals(payload, r.fragment());
    }

    @Property(tries = 200)
    void clientHellosRoundTrip(@ForAll @Size(32) byte[] random, @ForAll @Size(max = 32) byte[] sessionId,
            @ForAll @Size(max = 255) byte[] cookie, @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 0xffff) Integer> suites) {
        ClientHello ch = new ClientHello(0xfefd, random, sessionId, cookie, suites, List.of(0), List.of());
        assertEquals(ch, ClientHello.decode(ch.encode()));
        assertArrayEquals(ch.encode(), ClientHello.decode(ch.encode()).encode());
    }

    @Property(tries = 200)
    void helloVerifyRequestsRoundTrip(@ForAll @Size(max = 255) byte[] cookie) {
        HelloVerifyRequest hvr = new HelloVerifyRequest(0xfeff, cookie);
        assertArrayEquals(cookie, HelloVerifyRequest.decode(hvr.encode()).cookie());
    }

    @Property(tries = 300)
    void fragmentsRoundTrip(@ForAll @IntRange(min = 0, max = 255) int type, @ForAll @IntRange(min = 0, max = 0xffff) int seq,
            @ForAll @Size(max = 200) byte[] bytes, @ForAll @IntRange(min = 0, max = 1000) int before, @ForAll @IntRange(min = 0, max = 1000) int after) {
        HandshakeFragment f = new HandshakeFragment(type, before + bytes.length + after, seq, before, bytes);
        ByteWriter w = new ByteWriter();
        f.encode(w);
        assertEquals(f, HandshakeFragment.decode(new ByteReader(w.toByteArray())));
    }

    /** ReorderHandshakeFragments-*: any permutation with duplicates and overlaps yields the original message. */
    @Property(tries = 300)
    void anyPermutationAndDuplicationOfFragmentsReassemblesTheOriginal(@ForAll @Size(min = 1, max = 3000) byte[] body,
            @ForAll @IntRange(min = 1, max = 400) int maxPiece, @ForAll long shuffleSeed) {
        Random rnd = new Random(shuffleSeed);
        List<HandshakeFragment> pieces = new ArrayList<>();
        int off = 0;
        while (off < body.length) {
            // at most ~48 pieces: the reassembler tracks MAX_RANGES_PER_MESSAGE gaps by design
            int minLen = body.length / 48 + 1;
            int len = Math.min(body.length - off, minLen + rnd.nextInt(maxPiece));
            // sometimes overlap the previous piece, as a retransmission at another PMTU would
            int start = off > 0 && rnd.nextInt(4) == 0 ? Math.max(0, off - rnd.nextInt(20)) : off;
            pieces.add(new HandshakeFragment(HandshakeType.CERTIFICATE.code, body.length, 0, start,
                    java.util.Arrays.copyOfRange(body, start, off + len)));
            off += len;
        }
        int n = pieces.size();
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(3) == 0) {
                pieces.add(pieces.get(i)); // duplicates
            }
        }
        Collections.shuffle(pieces, rnd);
        Reassembler r = new Reassembler(0, Reassembler.Limits.defaults());
        HandshakeMessage got = null;
        for (HandshakeFragment f : pieces) {
            r.offer(f);
            HandshakeMessage m = r.poll();
            if (m != null) {
                assertEquals(null, got, "delivered once");
                got = m;
            }
        }
        assertTrue(got != null, "complete after " + pieces.size() + " pieces (range cap " + Reassembler.MAX_RANGES_PER_MESSAGE + ")");
        assertArrayEquals(body, got.body());
        assertEquals(0, r.bufferedBytes());
    }

    /** DTLS-Replay-*: each sequence number is accepted at most once, whatever the order and repeats. */
    @Property(tries = 300)
    void theReplayWindowAcceptsEachSequenceNumberAtMostOnce(@ForAll @Size(max = 400) List<@IntRange(min = 0, max = 300) Integer> arrivals,
            @ForAll @IntRange(min = 0, max = 1000) int base) {
        ReplayWindow w = new ReplayWindow();
        Set<Long> accepted = new HashSet<>();
        long highest = -1;
        for (int a : arrivals) {
            long seq = base + a;
            if (!w.isReplay(seq)) {
                assertTrue(accepted.add(seq), "accepted twice: " + seq);
                assertTrue(seq > highest - ReplayWindow.WINDOW_SIZE, "too old yet accepted: " + seq);
                w.markReceived(seq);
                highest = Math.max(highest, seq);
            }
        }
    }
}
