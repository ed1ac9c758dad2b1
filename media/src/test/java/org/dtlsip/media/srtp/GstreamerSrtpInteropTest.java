package org.dtlsip.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.audio.Pcmu;
import org.dtlsip.media.audio.ToneAnalysis;
import org.dtlsip.media.audio.ToneGenerator;
import org.dtlsip.media.rtp.RtpPacket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SRTP against libsrtp, through GStreamer's {@code srtpenc}/{@code srtpdec} (Debian:
 * gstreamer1.0-plugins-bad, -good, gstreamer1.0-tools), both ways, with the master key and salt
 * a DTLS-SRTP exporter would hand each side (RFC 5764 4.2): GStreamer sends a 440 Hz PCMU tone
 * that we unprotect and hear; we send our tone across a sequence-number wrap (ROC 0 to 1) and
 * GStreamer decrypts and decodes it. The DTLS half of DTLS-SRTP (use_srtp, the exporter) is
 * interop-tested against OpenSSL in the dtls module (SrtpExporterInteropTest); GStreamer 1.22's
 * {@code dtlssrtpenc} crashes when created on Debian 12 (SIGSEGV), so it is not used here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GstreamerSrtpInteropTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long SSRC = 0x12345678L;
    private static final int PACKETS = 50;

    @TempDir
    Path dir;

    /** GStreamer's names of a profile's cipher, SRTP authentication and SRTCP authentication. */
    private record GstNames(String cipher, String auth, String rtcpAuth) {
        static GstNames of(SrtpProfile p) {
            return switch (p) {
                case SRTP_AES128_CM_SHA1_80 -> new GstNames("aes-128-icm", "hmac-sha1-80", "hmac-sha1-80");
                // RFC 5764 4.1.2: SRTCP keeps the 80-bit tag in the _32 profile.
                case SRTP_AES128_CM_SHA1_32 -> new GstNames("aes-128-icm", "hmac-sha1-32", "hmac-sha1-80");
                // AEAD: the tag is GCM's.
                case SRTP_AEAD_AES_128_GCM -> new GstNames("aes-128-gcm", "null", "null");
                case SRTP_AEAD_AES_256_GCM -> new GstNames("aes-256-gcm", "null", "null");
            };
        }
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_32", "SRTP_AEAD_AES_128_GCM"})
    void libsrtpAndWeReadEachOthersSrtp(SrtpProfile profile) throws Exception {
        assumeTrue(works("gst-inspect-1.0", "srtpenc") && works("gst-inspect-1.0", "mulawenc"),
                "GStreamer with srtpenc/srtpdec and mulawenc is not installed (Debian: gstreamer1.0-tools, "
                        + "gstreamer1.0-plugins-bad, gstreamer1.0-plugins-good)");
        byte[] key = new byte[profile.keyLength];
        byte[] salt = new byte[profile.saltLength];
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        random.nextBytes(salt);
        byte[] keyAndSalt = new byte[key.length + salt.length];
        System.arraycopy(key, 0, keyAndSalt, 0, key.length);
        System.arraycopy(salt, 0, keyAndSalt, key.length, salt.length);
        String hex = HexFormat.of().formatHex(keyAndSalt);
        GstNames names = GstNames.of(profile);
        String cipher = names.cipher();
        String auth = names.auth();
        String rtcpAuth = names.rtcpAuth();

        // GStreamer (libsrtp) -> us.
        try (DatagramSocket in = new DatagramSocket(0, LOOPBACK)) {
            in.setSoTimeout(10_000);
            Process gst = new ProcessBuilder("gst-launch-1.0", "audiotestsrc", "freq=440", "volume=0.5", "is-live=true",
                    "num-buffers=" + PACKETS, "samplesperbuffer=160", "!", "audio/x-raw,rate=8000,channels=1", "!", "mulawenc",
                    "!", "rtppcmupay", "pt=0", "ssrc=" + SSRC, "!", "srtpenc", "key=" + hex, "rtp-cipher=" + cipher,
                    "rtp-auth=" + auth, "rtcp-cipher=" + cipher, "rtcp-auth=" + rtcpAuth, "!", "udpsink", "host=127.0.0.1",
                    "port=" + in.getLocalPort()).redirectErrorStream(true).redirectOutput(dir.resolve("send.log").toFile()).start();
            SrtpReceiver receiver = new SrtpReceiver(profile, key, salt);
            short[] heard = new short[PACKETS * 160];
            int n = 0;
            byte[] buf = new byte[2048];
            try {
                while (n < PACKETS) {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    try {
                        in.receive(d);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    byte[] srtp = Arrays.copyOf(d.getData(), d.getLength());
                    if (n == 10) {
                        byte[] altered = srtp.clone();
                        altered[altered.length - 1] ^= 1;
                        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED,
                                assertThrows(SrtpException.class, () -> receiver.unprotectRtp(altered)).reason());
                    }
                    RtpPacket p = RtpPacket.decode(receiver.unprotectRtp(srtp));
                    short[] pcm = Pcmu.decode(p.payload());
                    System.arraycopy(pcm, 0, heard, n * 160, Math.min(160, pcm.length));
                    n++;
                }
            } finally {
                gst.waitFor(10, TimeUnit.SECONDS);
                gst.destroyForcibly();
            }
            assertEquals(PACKETS, n, "SRTP packets from GStreamer that authenticated:\n" + Files.readString(dir.resolve("send.log")));
            ToneAnalysis a = ToneAnalysis.of(heard, 440, 8000);
            assertTrue(a.toneShare() > 0.9 && a.rms() > 5000, "we hear GStreamer's tone: " + a);
        }

        // Us -> GStreamer (libsrtp), across a sequence-number wrap.
        Path heard = dir.resolve("heard.wav");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            port = probe.getLocalPort();
        }
        String caps = "application/x-srtp,media=(string)audio,clock-rate=(int)8000,encoding-name=(string)PCMU,payload=(int)0,"
                + "ssrc=(uint)" + SSRC + ",srtp-key=(buffer)" + hex + ",srtp-cipher=(string)" + cipher + ",srtp-auth=(string)" + auth
                + ",srtcp-cipher=(string)" + cipher + ",srtcp-auth=(string)" + rtcpAuth;
        Process gst = new ProcessBuilder("gst-launch-1.0", "-e", "udpsrc", "port=" + port, "caps=" + caps, "!", "srtpdec", "!",
                "rtppcmudepay", "!", "mulawdec", "!", "wavenc", "!", "filesink", "location=" + heard)
                .redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try {
            assertTrue(awaitPlaying(gst, log), "GStreamer's receiving pipeline did not start:\n" + log);
            Thread.sleep(300);
            SrtpSender sender = new SrtpSender(profile, key, salt);
            ToneGenerator tone = new ToneGenerator(440, 0.5, 8000);
            try (DatagramSocket out = new DatagramSocket(0, LOOPBACK)) {
                for (int i = 0; i < PACKETS; i++) {
                    int seq = (0xFFFF - 20 + i) & 0xFFFF; // ROC 0 -> 1 after the 21st packet
                    byte[] rtp = new RtpPacket(i == 0, 0, seq, 160L * i, SSRC, Pcmu.encode(tone.next(160))).encode();
                    byte[] srtp = sender.protectRtp(rtp);
                    out.send(new DatagramPacket(srtp, srtp.length, LOOPBACK, port));
                    Thread.sleep(2);
                }
            }
            Thread.sleep(500);
            // gst-launch -e turns SIGINT into EOS, so that wavenc completes the file.
            new ProcessBuilder("kill", "-INT", String.valueOf(gst.pid())).start().waitFor(5, TimeUnit.SECONDS);
            assertTrue(gst.waitFor(15, TimeUnit.SECONDS), "GStreamer did not stop on SIGINT");
        } finally {
            gst.destroyForcibly();
        }
        short[] pcm = pcm(Files.readAllBytes(heard));
        assertEquals(PACKETS * 160, pcm.length, "every packet decrypted by libsrtp, the ROC too:\n" + log);
        ToneAnalysis b = ToneAnalysis.of(pcm, 440, 8000);
        assertTrue(b.toneShare() > 0.9 && b.rms() > 5000, "GStreamer hears our tone: " + b);
    }

    private static boolean awaitPlaying(Process gst, StringBuilder log) throws InterruptedException {
        CountDownLatch playing = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(gst.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.startsWith("Setting pipeline to PLAYING")) {
                        playing.countDown();
                    }
                }
            } catch (IOException e) {
                // ended
            }
        }, "gst-output");
        reader.setDaemon(true);
        reader.start();
        return playing.await(15, TimeUnit.SECONDS);
    }

    /** The samples after the 44-byte WAV header. */
    private static short[] pcm(byte[] wav) {
        if (wav.length <= 44) {
            return new short[0];
        }
        ByteBuffer b = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.getShort();
        }
        return s;
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
