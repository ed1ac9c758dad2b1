package org.dtlsip.dtls.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.dtlsip.dtls.handshake.Reassembler.Limits;
import org.dtlsip.dtls.handshake.Reassembler.Offer;
import org.junit.jupiter.api.Test;

class ReassemblerTest {

    private static byte[] body(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static HandshakeFragment frag(HandshakeType t, int seq, byte[] body, int from, int to) {
        return new HandshakeFragment(t.code, body.length, seq, from, Arrays.copyOfRange(body, from, to));
    }

    @Test
    void shuffledDuplicatedFragmentsReassembleToTheOriginal() {
        for (long seed = 0; seed < 500; seed++) {
            Random rnd = new Random(seed);
            Reassembler r = new Reassembler(0, Limits.defaults());
            List<HandshakeMessage> sent = new ArrayList<>();
            List<HandshakeFragment> wire = new ArrayList<>();
            int messages = 1 + rnd.nextInt(5);
            for (int seq = 0; seq < messages; seq++) {
                // Tiny messages may be cut into 1-byte pieces; large ones into pieces of at
                // least 50 bytes, so gaps stay within MAX_RANGES_PER_MESSAGE (3000 / 51 < 64).
                boolean tiny = rnd.nextInt(3) == 0;
                int length = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(tiny ? Reassembler.MAX_RANGES_PER_MESSAGE * 2 : 3000);
                int minPiece = tiny ? 1 : 50;
                HandshakeMessage m = new HandshakeMessage(HandshakeType.CERTIFICATE, seq, body(length, seed * 31 + seq));
                sent.add(m);
                // two independent fragmentations, as a retransmission at a smaller PMTU would give
                wire.addAll(Fragmenter.fragment(m, minPiece + rnd.nextInt(700)));
                if (rnd.nextBoolean()) {
                    wire.addAll(Fragmenter.fragment(m, minPiece + rnd.nextInt(300)));
                }
            }
            for (int i = rnd.nextInt(5); i > 0; i--) {
                wire.add(wire.get(rnd.nextInt(wire.size())));
            }
            Collections.shuffle(wire, rnd);
            List<HandshakeMessage> received = new ArrayList<>();
            for (HandshakeFragment f : wire) {
                Offer o = r.offer(f);
                assertTrue(o == Offer.BUFFERED || o == Offer.COMPLETED_NEXT || o == Offer.DUPLICATE
                        || o == Offer.OLD, "seed " + seed + ": " + o);
                for (HandshakeMessage m; (m = r.poll()) != null; ) {
                    received.add(m);
                }
            }
            assertEquals(sent, received, "seed " + seed);
            assertEquals(0, r.bufferedBytes());
            assertEquals(messages, r.nextExpectedSeq());
        }
    }

    @Test
    void overlappingFragmentsWithEqualBytesMerge() {
        byte[] b = body(100, 1);
        Reassembler r = new Reassembler(0, Limits.defaults());
        assertEquals(Offer.BUFFERED, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 10, 60)));
        assertEquals(Offer.DUPLICATE, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 20, 40)));
        assertEquals(Offer.BUFFERED, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 50, 100)));
        assertNull(r.poll());
        assertEquals(Offer.COMPLETED_NEXT, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 0, 15)));
        assertArrayEquals(b, r.poll().body());
    }

    @Test
    void conflictingOverlapRestartsTheMessageSoTheWholeRetransmissionCompletesIt() {
        // Neither copy is authenticated in epoch 0: the forged bytes must not pin the message.
        byte[] b = body(50, 2);
        byte[] forged = b.clone();
        forged[30] ^= 1;
        Reassembler r = new Reassembler(0, Limits.defaults());
        assertEquals(Offer.BUFFERED, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, forged, 0, 35)));
        assertEquals(Offer.CONFLICT, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 25, 50)));
        assertNull(r.poll());
        assertEquals(Offer.COMPLETED_NEXT, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 0, 50)));
        assertArrayEquals(b, r.poll().body());
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void differentTypeOrLengthForTheSameSeqRestartsTheMessage() {
        byte[] b = body(50, 3);
        Reassembler r = new Reassembler(0, Limits.defaults());
        r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 0, 10));
        assertEquals(Offer.CONFLICT, r.offer(frag(HandshakeType.SERVER_HELLO, 0, b, 10, 20)));
        assertEquals(50, r.bufferedBytes());
        assertEquals(Offer.CONFLICT, r.offer(new HandshakeFragment(1, 51, 0, 10, new byte[5])));
        assertEquals(51, r.bufferedBytes(), "one buffer, for the newest copy");
        assertEquals(Offer.CONFLICT, r.offer(new HandshakeFragment(1, 40, 0, 0, new byte[0])));
        assertEquals(0, r.bufferedBytes(), "an empty fragment allocates nothing");
        assertEquals(Offer.COMPLETED_NEXT, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, b, 0, 50)));
        assertArrayEquals(b, r.poll().body());
    }

    @Test
    void unknownTypeIsReported() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        assertEquals(Offer.UNKNOWN_TYPE, r.offer(new HandshakeFragment(99, 1, 0, 0, new byte[1])));
    }

    @Test
    void oldSeqIsReportedForRetransmissionDetection() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        HandshakeMessage m = new HandshakeMessage(HandshakeType.CLIENT_HELLO, 0, body(20, 4));
        assertEquals(Offer.COMPLETED_NEXT, r.offer(m.asFragment()));
        r.poll();
        assertEquals(Offer.OLD, r.offer(m.asFragment()));
        assertEquals(1, r.nextExpectedSeq());
    }

    @Test
    void tooFarAheadIsDropped() {
        Reassembler r = new Reassembler(2, new Limits(1000, 3, 10_000));
        byte[] b = body(5, 5);
        assertEquals(Offer.BUFFERED, r.offer(frag(HandshakeType.FINISHED, 5, b, 0, 5)));
        assertEquals(Offer.TOO_FAR_AHEAD, r.offer(frag(HandshakeType.FINISHED, 6, b, 0, 5)));
    }

    @Test
    void tooLargeIsDroppedWithoutAllocating() {
        Reassembler r = new Reassembler(0, new Limits(1000, 8, 10_000));
        assertEquals(Offer.TOO_LARGE, r.offer(new HandshakeFragment(11, 1001, 0, 0, new byte[10])));
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void sixteenMebibyteClaimInTinyFragmentsIsRejectedWithoutAllocating() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        int length = HandshakeFragment.MAX_UINT24;
        for (int i = 0; i < 10_000; i++) {
            HandshakeFragment f = new HandshakeFragment(11, length, 0, i * 7, new byte[] {1});
            assertEquals(Offer.TOO_LARGE, r.offer(f));
        }
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void overBudgetIsDroppedButAlreadyStartedMessagesContinue() {
        Reassembler r = new Reassembler(0, new Limits(1000, 8, 1500));
        byte[] a = body(1000, 6);
        byte[] b = body(600, 7);
        assertEquals(Offer.BUFFERED, r.offer(frag(HandshakeType.CERTIFICATE, 1, a, 0, 10)));
        assertEquals(Offer.OVER_BUDGET, r.offer(frag(HandshakeType.SERVER_KEY_EXCHANGE, 2, b, 0, 10)));
        assertEquals(Offer.BUFFERED, r.offer(frag(HandshakeType.CERTIFICATE, 1, a, 10, 1000)));
        assertEquals(1000, r.bufferedBytes());
    }

    @Test
    void manyGappedTinyFragmentsHitTheRangeCap() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        byte[] b = body(10_000, 8);
        int stored = 0;
        int dropped = 0;
        for (int i = 0; i < 5000; i++) {
            Offer o = r.offer(frag(HandshakeType.CERTIFICATE, 0, b, i * 2, i * 2 + 1));
            if (o == Offer.BUFFERED) {
                stored++;
            } else {
                assertEquals(Offer.OVER_BUDGET, o);
                dropped++;
            }
        }
        assertEquals(Reassembler.MAX_RANGES_PER_MESSAGE, stored);
        assertEquals(5000 - Reassembler.MAX_RANGES_PER_MESSAGE, dropped);
        // a whole retransmission still completes the message
        assertEquals(Offer.COMPLETED_NEXT, r.offer(frag(HandshakeType.CERTIFICATE, 0, b, 0, 10_000)));
        assertArrayEquals(b, r.poll().body());
    }

    @Test
    void zeroLengthMessageCompletesWithOneEmptyFragment() {
        Reassembler r = new Reassembler(3, Limits.defaults());
        HandshakeFragment done = new HandshakeFragment(HandshakeType.SERVER_HELLO_DONE.code, 0, 3, 0, new byte[0]);
        assertEquals(Offer.COMPLETED_NEXT, r.offer(done));
        assertEquals(Offer.DUPLICATE, r.offer(done));
        HandshakeMessage m = r.poll();
        assertEquals(HandshakeType.SERVER_HELLO_DONE, m.type());
        assertEquals(0, m.length());
        assertEquals(4, r.nextExpectedSeq());
    }

    @Test
    void emptyFragmentOfANonEmptyMessageIsANoOp() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        assertEquals(Offer.DUPLICATE, r.offer(new HandshakeFragment(1, 100, 0, 50, new byte[0])));
        assertEquals(0, r.bufferedBytes());
        assertNull(r.poll());
    }

    @Test
    void pollReleasesMessagesInSeqOrderOnly() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        HandshakeMessage m0 = new HandshakeMessage(HandshakeType.SERVER_HELLO, 0, body(10, 9));
        HandshakeMessage m1 = new HandshakeMessage(HandshakeType.CERTIFICATE, 1, body(10, 10));
        HandshakeMessage m2 = new HandshakeMessage(HandshakeType.SERVER_HELLO_DONE, 2, new byte[0]);
        assertEquals(Offer.BUFFERED, r.offer(m2.asFragment()));
        assertEquals(Offer.BUFFERED, r.offer(m1.asFragment()));
        assertNull(r.poll());
        assertEquals(Offer.COMPLETED_NEXT, r.offer(m0.asFragment()));
        assertEquals(m0, r.poll());
        assertEquals(m1, r.poll());
        assertEquals(m2, r.poll());
        assertNull(r.poll());
        assertEquals(0, r.bufferedBytes());
    }

    @Test
    void resetFreesEverything() {
        Reassembler r = new Reassembler(0, Limits.defaults());
        r.offer(frag(HandshakeType.CLIENT_HELLO, 0, body(100, 11), 0, 50));
        r.offer(frag(HandshakeType.CLIENT_HELLO, 1, body(100, 12), 0, 50));
        assertEquals(200, r.bufferedBytes());
        r.reset(1);
        assertEquals(0, r.bufferedBytes());
        assertEquals(1, r.nextExpectedSeq());
        assertNull(r.poll());
        assertEquals(Offer.OLD, r.offer(frag(HandshakeType.CLIENT_HELLO, 0, body(100, 11), 0, 50)));
    }
}
