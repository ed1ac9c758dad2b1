package org.dtlsip.dtls.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.dtlsip.dtls.handshake.Reassembler.Limits;
import org.dtlsip.dtls.handshake.Reassembler.Offer;
import org.dtlsip.dtls.handshake.extension.EcPointFormats;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.RenegotiationInfo;
import org.dtlsip.dtls.handshake.extension.SignatureAlgorithms;
import org.dtlsip.dtls.handshake.extension.SupportedGroups;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

/** Random and hostile input: decoders throw only DecodeException, the reassembler stays in budget. */
class AdversarialInputTest {

    private static void onlyDecodeException(byte[] input, Consumer<byte[]> decoder) {
        try {
            decoder.accept(input);
        } catch (DecodeException expected) {
            // fine
        } catch (RuntimeException e) {
            throw new AssertionError("on " + Hex.encode(input), e);
        }
    }

    @Test
    void randomBytesNeverEscapeAsAnotherException() {
        Random rnd = new Random(7);
        List<Consumer<byte[]>> decoders = List.of(
                b -> {
                    ByteReader r = new ByteReader(b);
                    while (r.hasRemaining()) {
                        HandshakeFragment.decode(r);
                    }
                },
                b -> Extensions.decode(new ByteReader(b)),
                SupportedGroups::decode,
                SignatureAlgorithms::decode,
                EcPointFormats::decode,
                RenegotiationInfo::decode);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = new byte[rnd.nextInt(40)];
            rnd.nextBytes(b);
            // bias lengths small so that inner structure is reached often
            for (int k = 0; k < b.length; k++) {
                if (rnd.nextInt(3) == 0) {
                    b[k] = (byte) rnd.nextInt(4);
                }
            }
            for (Consumer<byte[]> d : decoders) {
                onlyDecodeException(b, d);
            }
        }
    }

    @Test
    void randomFragmentsNeverBreakTheBudgetOrThrow() {
        Limits limits = new Limits(4096, 4, 6000);
        for (long seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            Reassembler r = new Reassembler(0, limits);
            for (int i = 0; i < 2000; i++) {
                int length = rnd.nextInt(8) == 0 ? rnd.nextInt(HandshakeFragment.MAX_UINT24 + 1) : rnd.nextInt(5000);
                int offset = length == 0 ? 0 : rnd.nextInt(length);
                int fragLen = Math.min(length - offset, rnd.nextInt(64));
                byte[] frag = new byte[fragLen];
                for (int k = 0; k < fragLen; k++) {
                    frag[k] = (byte) rnd.nextInt(2);
                }
                int type = rnd.nextInt(10) == 0 ? rnd.nextInt(256) : HandshakeType.values()[rnd.nextInt(12)].code;
                int seq = r.nextExpectedSeq() + rnd.nextInt(8) - 1;
                if (seq < 0) {
                    seq = 0;
                }
                Offer o = r.offer(new HandshakeFragment(type, length, seq, offset, frag));
                if (o == Offer.COMPLETED_NEXT) {
                    HandshakeMessage m = r.poll();
                    assertEquals(seq, m.messageSeq());
                }
                assertTrue(r.bufferedBytes() <= limits.maxBufferedBytes(), "seed " + seed);
                assertTrue(r.bufferedBytes() >= 0);
            }
        }
    }

    @Test
    void thousandsOfTinyFragmentsStayCheap() {
        // 65 536-byte message sent as 1-byte fragments in a hostile order: odd offsets first,
        // then even ones. An offer scans the message's ranges; the cap keeps every scan at
        // most MAX_RANGES_PER_MESSAGE long, which this counts rather than times.
        Reassembler r = new Reassembler(0, Limits.defaults());
        int length = Reassembler.DEFAULT_MAX_MESSAGE_LENGTH;
        int most = 0;
        for (int pass = 1; pass >= 0; pass--) {
            for (int off = pass; off < length; off += 2) {
                r.offer(new HandshakeFragment(HandshakeType.CERTIFICATE.code, length, 0, off, new byte[] {1}));
                most = Math.max(most, r.rangeCount(0));
            }
        }
        assertEquals(Reassembler.MAX_RANGES_PER_MESSAGE, most, "the cap is reached and never passed");
        assertEquals(length, r.bufferedBytes());
    }
}
