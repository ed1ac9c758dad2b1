package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dtlsip.media.audio.Pcmu;
import org.dtlsip.media.audio.ToneGenerator;
import org.dtlsip.media.rtp.RtpPacket;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tshark capture on lo of a sample call with DTLS-SRTP media: the media ports carry DTLS
 * handshake records and SRTP, and no UDP payload in the capture holds a 16-byte run of the
 * tone's PCMU. A plain RTP packet of the same tone, sent during the capture, is found by the
 * same search: the check can fail.
 */
@Timeout(120)
class MediaCaptureTest {
    /** DTLS 1.2 record: content type handshake, version {254, 253} (RFC 6347 4.1). */
    private static final int HANDSHAKE = 22;

    @TempDir
    Path dir;

    record Udp(int sourcePort, int destinationPort, byte[] payload) {
    }

    @Test
    void aCapturedCallShowsOnlyDtlsAndSrtpOnTheMediaPortsAndNoToneBytes() throws Exception {
        assumeTrue(works("tshark", "--version"), "tshark is not installed");
        Path pcap = dir.resolve("call.pcap");
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        try (Uas uas = MediaCallTest.uasWithMedia(creds, uasOut, null);
                DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Process capture = new ProcessBuilder("tshark", "-i", "lo", "-f", "udp", "-a", "duration:60", "-l", "-P",
                    "-F", "pcap", "-w", pcap.toString()).redirectErrorStream(true).start();
            Captured out = new Captured();
            try {
                assumeTrue(awaitCapturing(capture, probe), "tshark cannot capture on lo here");
                int rc = SampleUac.run(new String[] {"--target", MediaCallTest.target(uas), "--fingerprint", creds.fingerprint(),
                    "--media-seconds", "1", "--no-progress"}, out.stream, out.stream);
                assertEquals(0, rc, out.text());
                // The positive control: cleartext RTP with the tone, as an unprotected call would send it.
                byte[] plain = new RtpPacket(false, 0, 1, 0, 0x1234, toneFrames().get(0)).encode();
                probe.send(new DatagramPacket(plain, plain.length, probe.getLocalSocketAddress()));
                Thread.sleep(300);
            } finally {
                capture.destroy();
                capture.waitFor(10, TimeUnit.SECONDS);
            }
            List<Udp> frames = udpFrames(Files.readAllBytes(pcap));
            List<byte[]> tone = toneFrames();
            boolean controlFound = false;
            Set<Integer> mediaPorts = new HashSet<>();
            int srtp = 0;
            for (Udp u : frames) {
                boolean control = u.sourcePort() == probe.getLocalPort();
                boolean cleartext = tone.stream().anyMatch(f -> containsRun(u.payload(), f, 16));
                if (control) {
                    controlFound |= cleartext;
                    continue;
                }
                assertFalse(cleartext, "tone bytes in a UDP payload from port " + u.sourcePort() + " to " + u.destinationPort());
                byte[] p = u.payload();
                // SRTP of one 20-ms PCMU packet: RTP version 2, payload type 0, 12 + 160 + 10 bytes.
                if (p.length == 182 && (p[0] & 0xFF) == 0x80 && (p[1] & 0x7F) == 0) {
                    srtp++;
                    mediaPorts.add(u.sourcePort());
                }
            }
            assertTrue(controlFound, "the search finds the tone in cleartext RTP");
            assertEquals(2, mediaPorts.size(), "one media port per side: " + mediaPorts);
            assertTrue(srtp >= 50 + 25, srtp + " SRTP packets captured: the UAC's 50 and the UAS's tone until the BYE");
            int dtlsOnMediaPorts = 0;
            for (Udp u : frames) {
                if (mediaPorts.contains(u.sourcePort()) && mediaPorts.contains(u.destinationPort())) {
                    int first = u.payload()[0] & 0xFF;
                    assertTrue((first >= 20 && first <= 63) || (first >= 128 && first <= 191),
                            "only DTLS and SRTP/SRTCP between the media ports (RFC 7983), not first byte " + first);
                    if (first == HANDSHAKE && (u.payload()[1] & 0xFF) == 254 && (u.payload()[2] & 0xFF) == 253) {
                        dtlsOnMediaPorts++;
                    }
                }
            }
            assertTrue(dtlsOnMediaPorts >= 4, "DTLS 1.2 handshake flights between the media ports: " + dtlsOnMediaPorts);
        }
    }

    /** The tone's distinct 20-ms PCMU frames (it repeats every 100 ms). */
    static List<byte[]> toneFrames() {
        ToneGenerator g = new ToneGenerator(ToneGenerator.DEFAULT_FREQUENCY, ToneGenerator.DEFAULT_AMPLITUDE, Pcmu.CLOCK_RATE);
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            frames.add(Pcmu.encode(g.next(160)));
        }
        return frames;
    }

    static boolean containsRun(byte[] haystack, byte[] frame, int run) {
        for (int f = 0; f + run <= frame.length; f += run / 2) {
            for (int i = 0; i + run <= haystack.length; i++) {
                if (Arrays.equals(haystack, i, i + run, frame, f, f + run)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The UDP datagrams of a classic pcap file of lo (link type Ethernet, IPv4 and IPv6). */
    static List<Udp> udpFrames(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0xA1B2C3D4) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        assertEquals(1, b.getInt(20), "link type Ethernet on lo");
        List<Udp> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= pcap.length) {
            int captured = b.getInt(at + 8);
            int frame = at + 16;
            at = frame + captured;
            if (at > pcap.length || captured < 14) {
                break;
            }
            int etherType = ((pcap[frame + 12] & 0xFF) << 8) | (pcap[frame + 13] & 0xFF);
            int ip = frame + 14;
            int udp;
            if (etherType == 0x0800 && pcap[ip + 9] == 17) {
                udp = ip + 4 * (pcap[ip] & 0x0F);
            } else if (etherType == 0x86DD && pcap[ip + 6] == 17) {
                udp = ip + 40;
            } else {
                continue;
            }
            int length = (((pcap[udp + 4] & 0xFF) << 8) | (pcap[udp + 5] & 0xFF)) - 8;
            if (length <= 0 || udp + 8 + length > at) {
                continue;
            }
            out.add(new Udp(((pcap[udp] & 0xFF) << 8) | (pcap[udp + 1] & 0xFF), ((pcap[udp + 2] & 0xFF) << 8) | (pcap[udp + 3] & 0xFF),
                    Arrays.copyOfRange(pcap, udp + 8, udp + 8 + length)));
        }
        return out;
    }

    /** Sends probes to ourselves until tshark reports one: "Capturing on" comes before it really captures. */
    private static boolean awaitCapturing(Process capture, DatagramSocket probe) throws IOException, InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("UDP")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // tshark ended
            }
        }, "tshark-output");
        reader.setDaemon(true);
        reader.start();
        byte[] ping = "probe".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200; i++) {
            probe.send(new DatagramPacket(ping, ping.length, probe.getLocalSocketAddress()));
            if (ready.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
