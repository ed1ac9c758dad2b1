package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.HelloVerifyRequest;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/** The stateless HelloVerifyRequest exchange (RFC 6347 4.2.1) and its anti-amplification rule. */
class CookieExchangeTest {
    private static final byte[] ALICE = {127, 0, 0, 1, 0x10, 0x00};
    private static final byte[] MALLORY = {127, 0, 0, 2, 0x10, 0x00};
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).cookieSecretLifetimeMillis(10_000).build();

    private static byte[] firstClientHello() {
        DtlsEngine client = DtlsEngine.client(TestKeys.clientPinning(TestKeys.ec()).build(), 0);
        return client.pollDatagram();
    }

    private static byte[] cookieOf(byte[] hvrDatagram) {
        Record r = RecordCodec.parse(hvrDatagram, 0, hvrDatagram.length).records().get(0);
        HandshakeFragment f = HandshakeFragment.decode(new ByteReader(r.fragment()));
        return HelloVerifyRequest.decode(f.fragment()).cookie();
    }

    /** Re-encodes the ClientHello datagram with another cookie, as the client's second hello would be. */
    private static byte[] withCookie(byte[] datagram, byte[] cookie) {
        return withCookie(datagram, cookie, 1);
    }

    /** The ClientHello datagram with {@code cookie} and {@code messageSeq}. */
    private static byte[] withCookie(byte[] datagram, byte[] cookie, int messageSeq) {
        Record r = RecordCodec.parse(datagram, 0, datagram.length).records().get(0);
        HandshakeFragment f = HandshakeFragment.decode(new ByteReader(r.fragment()));
        byte[] body = ClientHello.decode(f.fragment()).withCookie(cookie).encode();
        ByteWriter hs = new ByteWriter();
        new HandshakeFragment(f.msgType(), body.length, messageSeq, 0, body).encode(hs);
        ByteWriter out = new ByteWriter();
        RecordCodec.encode(out, r.contentType(), r.version(), 0, r.sequenceNumber() + 1, hs.toByteArray());
        return out.toByteArray();
    }

    private static DropReason dropped(CookieExchange.Verdict v) {
        return assertInstanceOf(CookieExchange.Drop.class, v).reason();
    }

    @Test
    void helloWithoutCookieGetsASmallerHelloVerifyRequestAndNoState() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        CookieExchange.Verdict v = exchange.check(hello, 0, hello.length, ALICE, 0);
        CookieExchange.Reply reply = assertInstanceOf(CookieExchange.Reply.class, v);
        assertTrue(reply.datagram().length <= hello.length, "HelloVerifyRequest not larger than the ClientHello");
        Record hvr = RecordCodec.parse(reply.datagram(), 0, reply.datagram().length).records().get(0);
        Record ch = RecordCodec.parse(hello, 0, hello.length).records().get(0);
        assertEquals(ch.sequenceNumber(), hvr.sequenceNumber(), "RFC 6347 4.2.1: HVR reuses the ClientHello's record sequence number");
    }

    @Test
    void validCookieFromTheSameAddressIsAccepted() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        byte[] second = withCookie(hello, cookie);
        CookieExchange.Accept accept = assertInstanceOf(CookieExchange.Accept.class,
                exchange.check(second, 0, second.length, ALICE, 10));
        assertEquals(1, accept.messageSeq());
    }

    @Test
    void cookieReplayedFromAnotherAddressIsRefused() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        byte[] second = withCookie(hello, cookie);
        assertInstanceOf(CookieExchange.Reply.class, exchange.check(second, 0, second.length, MALLORY, 10));
    }

    @Test
    void forgedOversizedAndExpiredCookiesAreRefused() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        byte[] forged = cookie.clone();
        forged[0] ^= 1;
        byte[] f = withCookie(hello, forged);
        assertInstanceOf(CookieExchange.Reply.class, exchange.check(f, 0, f.length, ALICE, 10));
        byte[] big = withCookie(hello, Arrays.copyOf(cookie, 255));
        assertInstanceOf(CookieExchange.Reply.class, exchange.check(big, 0, big.length, ALICE, 10));
        // Still valid one rotation later, refused two rotations later.
        byte[] ok = withCookie(hello, cookie);
        assertInstanceOf(CookieExchange.Accept.class, exchange.check(ok, 0, ok.length, ALICE, 15_000));
        assertInstanceOf(CookieExchange.Reply.class, exchange.check(ok, 0, ok.length, ALICE, 25_000));
    }

    @Test
    void cookieCoversTheClientHelloParameters() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        byte[] otherHello = firstClientHello(); // a different random
        byte[] second = withCookie(otherHello, cookie);
        assertInstanceOf(CookieExchange.Reply.class, exchange.check(second, 0, second.length, ALICE, 10));
    }

    @Test
    void tinyOrNonHandshakeDatagramsAreDroppedWithoutReply() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] garbage = {22, (byte) 0xfe, (byte) 0xfd, 0, 0};
        assertInstanceOf(CookieExchange.Drop.class, exchange.check(garbage, 0, garbage.length, ALICE, 0));
        byte[] appData = new byte[40];
        appData[0] = 23;
        appData[1] = (byte) 0xfe;
        appData[2] = (byte) 0xfd;
        appData[12] = 27;
        assertInstanceOf(CookieExchange.Drop.class, exchange.check(appData, 0, appData.length, ALICE, 0));
    }

    // RFC 6347 4.2.2: the first message of each side has message_seq 0, and each new message
    // one more, so a ClientHello's message_seq counts the HelloVerifyRequests its client answered.

    @Test
    void rfc6347_4_2_2_aClientHelloWithoutCookieIsTheFirstAndHasMessageSeqZero() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        assertInstanceOf(CookieExchange.Reply.class, exchange.check(hello, 0, hello.length, ALICE, 0));
        for (int seq : new int[] {1, 2, 0xffff}) {
            byte[] renumbered = withCookie(hello, new byte[0], seq);
            assertEquals(DropReason.UNEXPECTED_MESSAGE_SEQ, dropped(exchange.check(renumbered, 0, renumbered.length, ALICE, 0)));
        }
    }

    @Test
    void rfc6347_4_2_2_aClientHelloWithAValidCookieFollowsAtLeastOneHelloVerifyRequest() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        for (int seq = 1; seq <= CookieExchange.MAX_CLIENT_HELLO_MESSAGE_SEQ; seq++) {
            byte[] second = withCookie(hello, cookie, seq);
            assertEquals(seq, assertInstanceOf(CookieExchange.Accept.class,
                    exchange.check(second, 0, second.length, ALICE, 10)).messageSeq());
        }
        for (int seq : new int[] {0, CookieExchange.MAX_CLIENT_HELLO_MESSAGE_SEQ + 1, 0xffff}) {
            byte[] second = withCookie(hello, cookie, seq);
            assertEquals(DropReason.UNEXPECTED_MESSAGE_SEQ, dropped(exchange.check(second, 0, second.length, ALICE, 10)));
        }
    }

    @Test
    void rfc6347_4_2_2_aStaleCookieGetsANewHelloVerifyRequestWithTheSameMessageSeq() {
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        byte[] stale = withCookie(hello, cookie, 1);
        byte[] reply = assertInstanceOf(CookieExchange.Reply.class, exchange.check(stale, 0, stale.length, ALICE, 25_000)).datagram();
        Record r = RecordCodec.parse(reply, 0, reply.length).records().get(0);
        assertEquals(1, HandshakeFragment.decode(new ByteReader(r.fragment())).messageSeq());
        byte[] tooLate = withCookie(hello, cookie, CookieExchange.MAX_CLIENT_HELLO_MESSAGE_SEQ);
        assertEquals(DropReason.UNEXPECTED_MESSAGE_SEQ, dropped(exchange.check(tooLate, 0, tooLate.length, ALICE, 25_000)),
                "no answer that would lead to a ClientHello past the limit");
    }

    @Test
    void rfc6347_4_2_2_withoutCookiesTheClientHelloIsTheFirstMessage() {
        CookieExchange exchange = new CookieExchange(SERVER.toBuilder().cookieExchange(false).build());
        byte[] hello = firstClientHello();
        assertEquals(0, assertInstanceOf(CookieExchange.Accept.class, exchange.check(hello, 0, hello.length, ALICE, 0)).messageSeq());
        byte[] renumbered = withCookie(hello, new byte[0], 7);
        assertEquals(DropReason.UNEXPECTED_MESSAGE_SEQ, dropped(exchange.check(renumbered, 0, renumbered.length, ALICE, 0)));
    }

    @Test
    void everyDatagramGetsAVerdictNeverAnException() {
        // The front door reads every datagram from every address (issue 12): whatever a peer
        // sends, including any record sequence number or message_seq, it answers with a verdict.
        CookieExchange exchange = new CookieExchange(SERVER);
        byte[] hello = firstClientHello();
        byte[] cookie = cookieOf(((CookieExchange.Reply) exchange.check(hello, 0, hello.length, ALICE, 0)).datagram());
        byte[] second = withCookie(hello, cookie);
        java.util.Random rnd = new java.util.Random(12);
        for (int i = 0; i < 20_000; i++) {
            byte[] d = (i % 2 == 0 ? hello : second).clone();
            for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--) {
                // Half the time in the headers (sequence number, lengths, message_seq), else anywhere.
                int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(d.length, 25)) : rnd.nextInt(d.length);
                d[at] = (byte) rnd.nextInt(256);
            }
            int length = rnd.nextInt(8) == 0 ? rnd.nextInt(d.length + 1) : d.length;
            CookieExchange.Verdict v = exchange.check(d, 0, length, ALICE, 10);
            assertTrue(v != null);
            if (v instanceof CookieExchange.Reply reply) {
                assertTrue(reply.datagram().length <= length, "never more bytes out than in");
            }
        }
    }
}
