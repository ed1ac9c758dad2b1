package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sip.Dialog;
import javax.sip.message.Request;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: hostile datagrams at a real SIP DTLS-UDP listening point on loopback. From many
 * source addresses (127.0.0.2 to 127.0.0.17), a seeded, count-bounded mix of: arbitrary DTLS
 * records (content types, versions, epochs 0 to 65535, sequence numbers 0 to 2^48-1 with 2^48-2
 * and 2^48-1 often, lengths true and false, random bodies, several per datagram); real
 * ClientHellos renumbered or corrupted; cookie exchanges completed with a hostile record number,
 * followed by garbage into the half-open association; cleartext SIP sent to the DTLS port;
 * while a legitimate UAC keeps sending OPTIONS. Afterwards the listening point still serves: a
 * legitimate INVITE/ACK/BYE call completes over DTLS-UDP, and nothing in it failed unexpectedly.
 *
 * <p>{@code -Dhostile.seed=N} replays a run; {@code -Dhostile.datagrams=N} changes its length.
 */
@Timeout(180)
class SipHostileTrafficTest {
    private static final long SEED = Long.getLong("hostile.seed", 20_261_202L);
    private static final int DATAGRAMS = Integer.getInteger("hostile.datagrams", 4_000);
    private static final int SOURCES = 16;
    /** One legitimate OPTIONS per this many hostile datagrams. */
    private static final int VALID_EVERY = 500;
    /** Receive wait for a HelloVerifyRequest or HelloRetryRequest during a hostile cookie exchange (loopback). */
    private static final int HVR_WAIT_MILLIS = 2_000;
    private static final long MAX_SEQ = Record.MAX_SEQUENCE_NUMBER;
    private static final byte SERVER_HELLO = 2;
    private static final byte HELLO_VERIFY_REQUEST = 3;

    @Test
    void theListeningPointSurvivesHostileDatagramsAndStillCompletesACall() throws Exception {
        Random rnd = new Random(SEED);
        String run = "seed " + SEED + ", " + DATAGRAMS + " datagrams";
        List<DatagramSocket> sources = new ArrayList<>();
        try (SipPeer bob = new SipPeer("bob"); SipPeer alice = new SipPeer("alice")) {
            for (int i = 0; i < SOURCES; i++) {
                sources.add(new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + i)), 0)));
            }
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", bob.port());
            int valid = 0;
            int cookieExchanges = 0;
            for (int n = 0; n < DATAGRAMS; n++) {
                DatagramSocket from = sources.get(rnd.nextInt(SOURCES));
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2, 3 -> send(from, target, randomRecords(rnd));
                    case 4 -> send(from, target, randomBytes(rnd, rnd.nextInt(40)));
                    case 5 -> send(from, target, cleartextSip(rnd, bob.port()));
                    case 6, 7 -> send(from, target, renumberedClientHello(rnd));
                    case 8 -> {
                        if (rnd.nextInt(4) == 0) {
                            cookieExchanges += hostileCookieExchange(rnd, from, target) ? 1 : 0;
                        } else {
                            send(from, target, concat(renumberedClientHello(rnd), randomRecords(rnd)));
                        }
                    }
                    default -> send(from, target, corruptedClientHello(rnd));
                }
                if (n % VALID_EVERY == VALID_EVERY - 1) {
                    assertEquals(200, alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob))).getStatusCode(),
                            "legitimate OPTIONS during the flood (" + run + ")");
                    valid++;
                }
            }
            assertTrue(valid > 0);
            assertTrue(cookieExchanges >= 20, "some hostile ClientHellos got past the cookie exchange (" + run + ")");
            System.out.println("SipHostileTrafficTest " + run + ": " + cookieExchanges + " cookie exchanges, drops "
                    + bob.processor().droppedDatagrams() + ", handshakes " + bob.processor().handshakesCompleted());

            bob.requests.clear();
            Dialog call = alice.call(alice.request(Request.INVITE, bob));
            bob.awaitRequest(Request.INVITE);
            alice.hangUp(call);
            bob.awaitRequest(Request.BYE);

            long dropped = bob.processor().droppedDatagrams().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(dropped > 0, "the front door dropped and counted hostile datagrams (" + run + ")");
            assertEquals(0, bob.processor().faults(), "no unexpected exception while serving (" + run + ")");
            assertTrue(alice.ioExceptions.isEmpty(), "the legitimate UAC saw no transport error (" + run + ")");
            assertTrue(bob.requests.stream().allMatch(e -> e.getRequest().getHeader("From").toString().contains("alice")),
                    "only alice's requests reached the application (" + run + ")");
        } finally {
            for (DatagramSocket s : sources) {
                s.close();
            }
        }
    }

    private static void send(DatagramSocket from, InetSocketAddress to, byte[] datagram) throws Exception {
        from.send(new DatagramPacket(datagram, datagram.length, to));
    }

    // ---------------------------------------------------------------- generators

    private static long sequenceNumber(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> MAX_SEQ - 1; // 2^48-2: the server would mirror it (RFC 6347 4.2.1)
            case 2 -> MAX_SEQ;
            case 3 -> rnd.nextInt(64);
            default -> rnd.nextLong() & MAX_SEQ;
        };
    }

    private static int epoch(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0, 1 -> 0;
            case 2 -> 1;
            case 3 -> 65_535;
            default -> rnd.nextInt(65_536);
        };
    }

    private static int contentType(Random rnd) {
        return rnd.nextInt(5) == 0 ? rnd.nextInt(256) : 20 + rnd.nextInt(6); // 20..25: ccs, alert, handshake, data, heartbeat, tls12_cid
    }

    private static int version(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0, 1 -> 0xfefd;
            case 2 -> 0xfeff;
            default -> rnd.nextInt(65_536);
        };
    }

    /** One to three records with arbitrary header fields and bodies; the length field true or not. */
    private static byte[] randomRecords(Random rnd) {
        ByteBuffer b = ByteBuffer.allocate(3 * (Record.HEADER_LENGTH + 1_400));
        int records = 1 + rnd.nextInt(3);
        for (int i = 0; i < records; i++) {
            int bodyLength = switch (rnd.nextInt(4)) {
                case 0 -> 0;
                case 1 -> 1 + rnd.nextInt(16);
                case 2 -> 12 + rnd.nextInt(64);
                default -> rnd.nextInt(1_400);
            };
            int lengthField = switch (rnd.nextInt(5)) {
                case 0 -> rnd.nextInt(65_536);
                case 1 -> bodyLength + 1;
                case 2 -> Math.max(0, bodyLength - 1);
                default -> bodyLength;
            };
            header(b, contentType(rnd), version(rnd), epoch(rnd), sequenceNumber(rnd), lengthField);
            byte[] body = randomBytes(rnd, bodyLength);
            if (bodyLength >= 12 && rnd.nextBoolean()) {
                body[0] = (byte) rnd.nextInt(25); // a handshake type, so the body looks like a fragment header
            }
            b.put(body);
        }
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static void header(ByteBuffer b, int type, int version, int epoch, long seq, int length) {
        b.put((byte) type).putShort((short) version).putShort((short) epoch)
                .putShort((short) (seq >>> 32)).putInt((int) seq).putShort((short) length);
    }

    private static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static DtlsConfig clientConfig() {
        return DtlsConfig.forClient().peerVerifier(PeerVerifier.insecureAcceptAny()).initialRetransmitMillis(1_000).build();
    }

    /** A real client's first ClientHello with its record's epoch and sequence number replaced. */
    private static byte[] renumberedClientHello(Random rnd) {
        byte[] hello = DtlsEngine.client(clientConfig(), 0).pollDatagram();
        return renumber(hello, rnd.nextInt(3) == 0 ? epoch(rnd) : 0, sequenceNumber(rnd));
    }

    private static byte[] renumber(byte[] datagram, int epoch, long seq) {
        ByteBuffer b = ByteBuffer.wrap(datagram);
        b.putShort(3, (short) epoch).putShort(5, (short) (seq >>> 32)).putInt(7, (int) seq);
        return datagram;
    }

    /** A real ClientHello with a few bytes past the record header changed or cut short. */
    private static byte[] corruptedClientHello(Random rnd) {
        byte[] hello = DtlsEngine.client(clientConfig(), 0).pollDatagram();
        int flips = 1 + rnd.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = Record.HEADER_LENGTH + rnd.nextInt(hello.length - Record.HEADER_LENGTH);
            hello[at] = rnd.nextInt(3) == 0 ? (byte) 0xff : (byte) rnd.nextInt(256);
        }
        if (rnd.nextInt(4) == 0) {
            byte[] cut = new byte[Record.HEADER_LENGTH + rnd.nextInt(hello.length - Record.HEADER_LENGTH)];
            System.arraycopy(hello, 0, cut, 0, cut.length);
            return cut;
        }
        return hello;
    }

    /**
     * The cookie exchange done for real from {@code from} (RFC 6347 4.2.1), its second
     * ClientHello then numbered with a hostile sequence number, followed by garbage records: a
     * half-open association, or a refusal at the front door, that must cost nothing lasting.
     */
    private static boolean hostileCookieExchange(Random rnd, DatagramSocket from, InetSocketAddress target) throws Exception {
        DtlsEngine client = DtlsEngine.client(clientConfig(), 0);
        send(from, target, client.pollDatagram());
        byte[] buffer = new byte[2_048];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        from.setSoTimeout(HVR_WAIT_MILLIS);
        try {
            // Skip whatever earlier datagrams from this source provoked (alerts, HelloVerifyRequests).
            for (int i = 0; i < 16; i++) {
                from.receive(p);
                if (p.getLength() > Record.HEADER_LENGTH + 12 && buffer[0] == 22 && isCookieRequest(buffer[Record.HEADER_LENGTH])) {
                    byte[] hvr = new byte[p.getLength()];
                    System.arraycopy(buffer, 0, hvr, 0, hvr.length);
                    client.receive(hvr, 1);
                    byte[] second = client.pollDatagram();
                    if (second == null) {
                        return false;
                    }
                    long seq = rnd.nextBoolean() ? MAX_SEQ - 1 : sequenceNumber(rnd);
                    send(from, target, renumber(second, 0, seq));
                    for (int k = rnd.nextInt(4); k > 0; k--) {
                        send(from, target, randomRecords(rnd));
                    }
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            // The server said nothing (e.g. at its handshake limit): nothing to go on with.
        }
        return false;
    }

    /**
     * The client offers DTLS 1.3 and 1.2 by default, so the cookie comes back in a
     * HelloRetryRequest (a ServerHello, RFC 9147 5.1) rather than a 1.2 HelloVerifyRequest
     * (RFC 6347 4.2.1); both are epoch-0 plaintext records, so renumbering works the same.
     */
    private static boolean isCookieRequest(byte handshakeType) {
        return handshakeType == HELLO_VERIFY_REQUEST || handshakeType == SERVER_HELLO;
    }

    /** Cleartext SIP at the DTLS port: requests, responses, keep-alives, half-written ones. */
    private static byte[] cleartextSip(Random rnd, int port) {
        String method = new String[] {"OPTIONS", "INVITE", "REGISTER", "BYE", "ACK"}[rnd.nextInt(5)];
        String request = method + " sip:bob@127.0.0.1:" + port + ";transport=dtls-udp SIP/2.0\r\n"
                + "Via: SIP/2.0/DTLS-UDP 127.0.0.9:5060;branch=z9hG4bK" + rnd.nextInt(1_000_000) + "\r\n"
                + "From: <sip:eve@127.0.0.9>;tag=" + rnd.nextInt(1_000) + "\r\nTo: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: hostile-" + rnd.nextInt(1_000_000) + "\r\nCSeq: 1 " + method + "\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
        String text = switch (rnd.nextInt(5)) {
            case 0 -> "SIP/2.0 200 OK\r\n" + request.substring(request.indexOf("\r\n") + 2);
            case 1 -> "\r\n\r\n";
            case 2 -> request.substring(0, rnd.nextInt(request.length()));
            default -> request;
        };
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
