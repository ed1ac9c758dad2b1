package org.dtlsip.media.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.media.audio.Pcmu;
import org.dtlsip.media.audio.ToneGenerator;
import org.dtlsip.media.srtp.SrtpException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two media sessions on loopback, as the two ends of a call: the DTLS handshake in the roles
 * a=setup gives, the fingerprint check, the tone both ways in SRTP, and what a wire observer
 * sees (through a relay that captures, tampers with and replays datagrams).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MediaSessionTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final CertifiedKey OFFERER = SelfSigned.ecdsa("offerer", NamedGroup.SECP256R1);
    private static final CertifiedKey ANSWERER = SelfSigned.ecdsa("answerer", NamedGroup.SECP256R1);
    private static final long SEND_MILLIS = 600;
    private static final int EXPECTED_PACKETS = (int) (SEND_MILLIS / MediaOptions.PTIME_MILLIS);

    private static InetSocketAddress at(MediaSession s) {
        return new InetSocketAddress(LOOPBACK, s.localPort());
    }

    /** Both ends send the tone; the offerer is passive (DTLS server), the answerer active. */
    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void toneFlowsBothWaysUnderTheAgreedProfile(SrtpProfile profile, @TempDir Path dir) throws Exception {
        Path wav = dir.resolve("offerer.wav");
        MediaOptions o = MediaOptions.defaults().withProfiles(List.of(profile)).withSendMillis(SEND_MILLIS);
        try (MediaSession offerer = MediaSession.open(LOOPBACK, OFFERER, o.withRecording(wav));
                MediaSession answerer = MediaSession.open(LOOPBACK, ANSWERER, o)) {
            offerer.start(at(answerer), SetupRole.PASSIVE.dtlsClient(), answerer.localFingerprint());
            answerer.start(at(offerer), SetupRole.ACTPASS.answer().dtlsClient(), offerer.localFingerprint());
            assertTrue(offerer.awaitSendingDone(10_000) && answerer.awaitSendingDone(10_000));
            Thread.sleep(100); // the last packets in flight
            MediaReport a = offerer.stop();
            MediaReport b = answerer.awaitEnd(5_000); // ended by the offerer's close_notify
            assertNotNull(b, "the answerer saw close_notify and ended");
            assertEquals(a.packetsSent(), b.packetsReceived(), "everything the offerer sent arrived: " + b.summary());
            assertEquals(b.packetsSent(), a.packetsReceived(), "everything the answerer sent arrived, the last ones read at stop: "
                    + a.summary());
            for (MediaReport r : List.of(a, b)) {
                assertNull(r.failure(), r.summary());
                assertEquals(profile, r.profile());
                assertEquals(EXPECTED_PACKETS, r.packetsSent(), "600 ms of 20-ms packets, however late the thread was: "
                        + r.summary());
                assertEquals(0, r.lost(), r.summary());
                assertTrue(r.received().toneShare() > 0.9, "440 Hz share " + r.received().toneShare());
                assertTrue(r.received().rms() > 5000, "level " + r.received().rms());
                assertTrue(r.discarded().isEmpty(), r.summary());
            }
            assertEquals(44 + 2 * 160 * a.packetsReceived(), Files.size(wav), "every received packet recorded");
        }
    }

    /**
     * A relay between the two ends sees only DTLS and SRTP: no datagram carries a run of the
     * tone's PCMU bytes. Every tenth media packet it alters is refused as unauthenticated, and
     * every packet it sends twice is refused as a replay, on both ends.
     */
    @Test
    void theWireCarriesNoCleartextAudioAndAlteredOrReplayedPacketsAreRefused() throws Exception {
        MediaOptions o = MediaOptions.defaults().withSendMillis(SEND_MILLIS);
        try (MediaSession offerer = MediaSession.open(LOOPBACK, OFFERER, o);
                MediaSession answerer = MediaSession.open(LOOPBACK, ANSWERER, o);
                Relay relay = new Relay(at(offerer), at(answerer))) {
            offerer.start(relay.forOfferer(), false, answerer.localFingerprint());
            answerer.start(relay.forAnswerer(), true, offerer.localFingerprint());
            assertTrue(offerer.awaitSendingDone(10_000) && answerer.awaitSendingDone(10_000));
            Thread.sleep(100);
            MediaReport a = offerer.stop();
            MediaReport b = answerer.awaitEnd(5_000);
            assertNotNull(b);
            assertTrue(relay.tampered.get() > 0 && relay.replayed.get() > 0);
            long tampered = a.discarded().getOrDefault(SrtpException.Reason.AUTHENTICATION_FAILED, 0L)
                    + b.discarded().getOrDefault(SrtpException.Reason.AUTHENTICATION_FAILED, 0L);
            long replayed = a.discarded().getOrDefault(SrtpException.Reason.REPLAYED, 0L)
                    + b.discarded().getOrDefault(SrtpException.Reason.REPLAYED, 0L);
            assertEquals(relay.tampered.get(), tampered, a.summary() + " / " + b.summary());
            assertEquals(relay.replayed.get(), replayed, a.summary() + " / " + b.summary());
            // Dropped packets leave phase jumps in the analysed audio: the tone still dominates.
            assertTrue(a.received().toneShare() > 0.5 && b.received().toneShare() > 0.5,
                    a.received() + " / " + b.received());

            List<byte[]> frames = toneFrames();
            int dtls = 0;
            int media = 0;
            for (byte[] d : relay.snapshot()) {
                PacketKind kind = PacketKind.of(d[0]);
                assertTrue(kind == PacketKind.DTLS || kind == PacketKind.RTP_OR_RTCP, "only DTLS and SRTP on the port: " + kind);
                if (kind == PacketKind.DTLS) {
                    dtls++;
                } else {
                    media++;
                }
                for (byte[] frame : frames) {
                    assertFalse(containsRun(d, frame, 16), "a 16-byte run of the tone's PCMU in a datagram on the wire");
                }
            }
            assertTrue(dtls >= 4 && media >= 2 * EXPECTED_PACKETS - 10, dtls + " DTLS, " + media + " media datagrams");
        }
    }

    /**
     * Hostile datagrams on the media port during a call: from another address (any kind), and
     * from the peer's own address (as a spoofer on the path would send them) random bytes of
     * every first-byte class, RTP-looking packets with random tags, and DTLS-looking records.
     * None ends the call or reaches the audio; each is dropped or refused as unauthenticated.
     */
    @Test
    void hostileDatagramsOnTheMediaPortEndNothingAndReachNoAudio() throws Exception {
        MediaOptions o = MediaOptions.defaults().withSendMillis(SEND_MILLIS);
        java.util.Random random = new java.util.Random(15);
        try (MediaSession offerer = MediaSession.open(LOOPBACK, OFFERER, o);
                MediaSession answerer = MediaSession.open(LOOPBACK, ANSWERER, o);
                Relay relay = new Relay(at(offerer), at(answerer), false);
                DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
            offerer.start(relay.forOfferer(), false, answerer.localFingerprint());
            answerer.start(relay.forAnswerer(), true, offerer.localFingerprint());
            assertTrue(offerer.awaitEstablished(10_000));
            int spoofed = 0;
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                if (i % 3 == 1 && junk.length > 12) {
                    junk[0] = (byte) 0x80; // RTP version 2, payload type 0: only the tag can tell
                    junk[1] = 0;
                } else if (i % 3 == 2 && junk.length > 13) {
                    junk[0] = 23; // application_data of epoch 1 with DTLS 1.2's version
                    junk[1] = (byte) 0xFE;
                    junk[2] = (byte) 0xFD;
                    junk[3] = 0;
                    junk[4] = 1;
                }
                stranger.send(new DatagramPacket(junk, junk.length, LOOPBACK, offerer.localPort()));
                relay.inject(junk, at(offerer));
                spoofed++;
                if (i % 20 == 0) {
                    Thread.sleep(10);
                }
            }
            assertTrue(offerer.awaitSendingDone(10_000) && answerer.awaitSendingDone(10_000));
            Thread.sleep(100);
            MediaReport a = offerer.stop();
            MediaReport b = answerer.awaitEnd(5_000);
            assertNotNull(b);
            assertNull(a.failure(), a.summary());
            assertEquals(0, a.lost(), a.summary());
            assertEquals(b.packetsSent(), a.packetsReceived(), a.summary());
            assertTrue(a.received().toneShare() > 0.9, "the junk reached no audio: " + a.received());
            long refused = a.dropped() + a.discarded().values().stream().mapToLong(Long::longValue).sum();
            assertTrue(refused >= 300, "the stranger's 300 dropped, the spoofed ones dropped or refused: " + refused + " "
                    + a.summary() + " (" + spoofed + " spoofed)");
            assertTrue(a.discarded().getOrDefault(SrtpException.Reason.AUTHENTICATION_FAILED, 0L) > 0, a.summary());
        }
    }

    /**
     * After the handshake, an attacker who can spoof the peer's address (but has no keys) sends
     * what DTLS carries in the clear: a fatal alert of epoch 0, the peer's own ClientHellos again
     * and ClientHellos with another random. Neither is authenticated (RFC 6347 4.1.2.7: epoch-0 records after the handshake are
     * not the peer's word), so neither may end the call.
     */
    @Test
    void spoofedCleartextAlertsAndAReplayedClientHelloAfterTheHandshakeEndNothing() throws Exception {
        MediaOptions o = MediaOptions.defaults().withSendMillis(SEND_MILLIS);
        try (MediaSession offerer = MediaSession.open(LOOPBACK, OFFERER, o);
                MediaSession answerer = MediaSession.open(LOOPBACK, ANSWERER, o);
                Relay relay = new Relay(at(offerer), at(answerer), false)) {
            offerer.start(relay.forOfferer(), false, answerer.localFingerprint());
            answerer.start(relay.forAnswerer(), true, offerer.localFingerprint());
            assertTrue(offerer.awaitEstablished(10_000) && answerer.awaitEstablished(10_000));
            List<byte[]> clientHellos = relay.snapshot().stream().filter(d -> d[0] == 22 && d.length > 60 && d[13] == 1).toList();
            assertFalse(clientHellos.isEmpty());
            byte[] fatalAlert = {21, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 9, 0, 2, 2, 40};
            for (int i = 0; i < 5; i++) {
                relay.inject(fatalAlert, at(offerer));
                relay.inject(fatalAlert, at(answerer));
                for (byte[] hello : clientHellos) {
                    relay.inject(hello, at(offerer));
                    byte[] fresh = hello.clone();
                    fresh[13 + 12 + 2 + 5] ^= (byte) (i + 1); // another client_random: a new handshake, not a retransmission
                    relay.inject(fresh, at(offerer));
                }
            }
            assertTrue(offerer.awaitSendingDone(10_000) && answerer.awaitSendingDone(10_000));
            Thread.sleep(100);
            MediaReport a = offerer.stop();
            MediaReport b = answerer.awaitEnd(5_000);
            assertNotNull(b, "the answerer ends on the offerer's close_notify");
            assertNull(a.failure(), a.summary());
            assertNull(b.failure(), b.summary());
            assertEquals(b.packetsSent(), a.packetsReceived(), a.summary());
            assertEquals(a.packetsSent(), b.packetsReceived(), b.summary());
        }
    }

    @Test
    void aCertificateThatIsNotTheOneInSdpIsRefusedAndBothEndsSayWhy() throws Exception {
        CertifiedKey impostor = SelfSigned.ecdsa("impostor", NamedGroup.SECP256R1);
        MediaOptions o = MediaOptions.defaults().withSendMillis(SEND_MILLIS);
        try (MediaSession offerer = MediaSession.open(LOOPBACK, impostor, o);
                MediaSession answerer = MediaSession.open(LOOPBACK, ANSWERER, o)) {
            byte[] announced = org.dtlsip.dtls.crypto.Fingerprint.sha256(OFFERER.leaf());
            offerer.start(at(answerer), false, answerer.localFingerprint());
            answerer.start(at(offerer), true, announced);
            MediaReport b = answerer.awaitEnd(10_000);
            MediaReport a = offerer.awaitEnd(10_000);
            assertNotNull(a);
            assertNotNull(b);
            assertNull(b.profile());
            assertTrue(b.failure().contains("fingerprint"), b.failure());
            assertNull(a.profile());
            assertTrue(a.failure().contains("bad_certificate"), a.failure());
            assertEquals(0, a.packetsSent() + b.packetsSent(), "no media without keys");
        }
    }

    @Test
    void aPeerThatNeverAnswersTimesOutTheHandshake() throws Exception {
        MediaOptions o = MediaOptions.defaults().withHandshakeTimeoutMillis(1_500);
        try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK);
                MediaSession client = MediaSession.open(LOOPBACK, ANSWERER, o);
                MediaSession server = MediaSession.open(LOOPBACK, OFFERER, o)) {
            client.start(new InetSocketAddress(LOOPBACK, silent.getLocalPort()), true, OFFERER_FP);
            server.start(new InetSocketAddress(LOOPBACK, silent.getLocalPort()), false, OFFERER_FP);
            MediaReport c = client.awaitEnd(10_000);
            MediaReport s = server.awaitEnd(10_000);
            assertTrue(c.failure().contains("within 1500 ms"), c.failure());
            assertTrue(s.failure().contains("no DTLS ClientHello"), s.failure());
        }
    }

    private static final byte[] OFFERER_FP = org.dtlsip.dtls.crypto.Fingerprint.sha256(OFFERER.leaf());

    /** The tone repeats every 100 ms (44 cycles of 440 Hz): its first five 20-ms PCMU frames are all there are. */
    private static List<byte[]> toneFrames() {
        ToneGenerator g = new ToneGenerator(ToneGenerator.DEFAULT_FREQUENCY, ToneGenerator.DEFAULT_AMPLITUDE, Pcmu.CLOCK_RATE);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            frames.add(Pcmu.encode(g.next(160)));
        }
        return frames;
    }

    private static boolean containsRun(byte[] datagram, byte[] frame, int run) {
        for (int f = 0; f + run <= frame.length; f += run / 2) {
            byte[] needle = Arrays.copyOfRange(frame, f, f + run);
            for (int i = 0; i + run <= datagram.length; i++) {
                if (Arrays.equals(datagram, i, i + run, needle, 0, run)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A UDP relay: the offerer talks to port A, the answerer to port B; each datagram is captured
     * and forwarded from the other port. Every tenth SRTP datagram gets a flipped payload bit,
     * every fifteenth (unless altered) is sent twice.
     */
    private static final class Relay implements AutoCloseable {
        final List<byte[]> captured = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger tampered = new AtomicInteger();
        final AtomicInteger replayed = new AtomicInteger();
        private final DatagramSocket a;
        private final DatagramSocket b;
        private final int offererPort;
        private final boolean alter;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger media = new AtomicInteger();
        private volatile boolean closed;

        Relay(InetSocketAddress offerer, InetSocketAddress answerer) throws IOException {
            this(offerer, answerer, true);
        }

        /** @param alter whether to alter and repeat media packets (else it only forwards and captures) */
        Relay(InetSocketAddress offerer, InetSocketAddress answerer, boolean alter) throws IOException {
            this.alter = alter;
            offererPort = offerer.getPort();
            a = new DatagramSocket(0, LOOPBACK);
            b = new DatagramSocket(0, LOOPBACK);
            threads.add(pump(a, b, answerer));
            threads.add(pump(b, a, offerer));
        }

        InetSocketAddress forOfferer() {
            return new InetSocketAddress(LOOPBACK, a.getLocalPort());
        }

        /** The datagrams captured so far (the pumps may still be adding). */
        List<byte[]> snapshot() {
            synchronized (captured) {
                return new ArrayList<>(captured);
            }
        }

        /** Sends {@code d} from the relay's port that faces {@code to}, as if the peer had. */
        void inject(byte[] d, InetSocketAddress to) throws IOException {
            (to.getPort() == offererPort ? a : b).send(new DatagramPacket(d, d.length, to));
        }

        InetSocketAddress forAnswerer() {
            return new InetSocketAddress(LOOPBACK, b.getLocalPort());
        }

        private Thread pump(DatagramSocket in, DatagramSocket out, InetSocketAddress to) throws IOException {
            in.setSoTimeout(100);
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                while (!closed) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        in.receive(p);
                        byte[] d = Arrays.copyOf(p.getData(), p.getLength());
                        captured.add(d.clone());
                        boolean rtp = alter && PacketKind.of(d[0]) == PacketKind.RTP_OR_RTCP && (d[1] & 0x7F) == 0 && d.length > 40;
                        int n = rtp ? media.incrementAndGet() : 0;
                        if (rtp && n % 10 == 0) {
                            d[20] ^= 0x01;
                            tampered.incrementAndGet();
                        }
                        out.send(new DatagramPacket(d, d.length, to));
                        if (rtp && n % 15 == 0 && n % 10 != 0) { // a replay of an altered packet would fail authentication, not replay
                            out.send(new DatagramPacket(d, d.length, to));
                            replayed.incrementAndGet();
                        }
                    } catch (SocketTimeoutException e) {
                        continue;
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "relay");
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            for (Thread t : threads) {
                t.join(1000);
            }
            a.close();
            b.close();
        }
    }
}
