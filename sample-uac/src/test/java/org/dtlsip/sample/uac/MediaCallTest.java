package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.media.audio.ToneAnalysis;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls with DTLS-SRTP media between the samples over DTLS-UDP signalling (RFC 5763, 5764):
 * the UAC offers actpass, the UAS answers active and opens the media association after the
 * ACK; both send the 440 Hz tone and both hear it; --no-media and a UAS without media keep
 * the call signalling-only.
 */
@Timeout(90)
class MediaCallTest {
    static final Pattern SENT_RECEIVED = Pattern.compile("sent (\\d+) packets .*, received (\\d+), lost (\\d+)");

    @TempDir
    Path dir;

    static Uas uasWithMedia(Credentials creds, Captured out, Path recordDir) throws Exception {
        return Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, out.stream, null, false,
                MediaOptions.defaults().withSendMillis(10_000), recordDir);
    }

    static String target(Uas uas) {
        return "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp";
    }

    /** The samples of a WAV file the media wrote. */
    static short[] wav(Path f) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[(b.limit() - 44) / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.getShort(44 + 2 * i);
        }
        return s;
    }

    @Test
    void bothSidesHearTheToneOverDtlsSrtp() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        Path uacWav = dir.resolve("uac.wav");
        try (Uas uas = uasWithMedia(creds, uasOut, dir.resolve("uas"))) {
            Captured out = new Captured();
            int rc = SampleUac.run(new String[] {"--target", target(uas), "--fingerprint", creds.fingerprint(),
                "--media-seconds", "1", "--record", uacWav.toString(), "--no-progress"}, out.stream, out.stream);
            assertEquals(0, rc, out.text() + uasOut.text());
            String text = out.text();
            assertTrue(text.contains("DTLS-SRTP media for 1.0 s"), text);
            assertTrue(text.contains("uac: media          SRTP_AES128_CM_SHA1_80, keys from the DTLS exporter"), text);
            Matcher m = SENT_RECEIVED.matcher(text);
            assertTrue(m.find(), text);
            int sent = Integer.parseInt(m.group(1));
            int received = Integer.parseInt(m.group(2));
            assertEquals(50, sent, "1 s of 20-ms packets");
            assertTrue(received >= 25, "the UAS's tone until our BYE: " + received);
            assertEquals("0", m.group(3), text);
            assertTrue(text.contains("% of its energy at 440 Hz"), text);

            Thread.sleep(200); // the UAS prints its call line after answering the BYE
            String uasText = uasOut.text();
            assertTrue(uasText.contains("uas:   media SRTP_AES128_CM_SHA1_80"), uasText);
            Matcher u = SENT_RECEIVED.matcher(uasText);
            assertTrue(u.find(), uasText);
            assertTrue(Integer.parseInt(u.group(2)) >= sent - 2, "the UAS heard our tone: " + uasText);

            short[] heardByUac = wav(uacWav);
            short[] heardByUas = wav(dir.resolve("uas").resolve("call-1.wav"));
            assertEquals(received * 160, heardByUac.length);
            for (short[] audio : List.of(heardByUac, heardByUas)) {
                ToneAnalysis a = ToneAnalysis.of(audio, 440, 8000);
                assertTrue(a.toneShare() > 0.95 && a.rms() > 5000, a.toString());
                assertTrue(ToneAnalysis.of(audio, 1000, 8000).toneShare() < 0.01);
            }
        }
    }

    /** {@code bin/demo --media}: the ladder, the media statistics of both ends and the recording's path. */
    @Test
    void theDemoWithMediaPrintsBothEndsMediaAndTheRecording() throws Exception {
        Captured out = new Captured();
        assertEquals(0, Demo.run(out.stream, out.stream, true), out.text());
        String text = out.text();
        assertTrue(text.contains("uac: media          SRTP_AES128_CM_SHA1_80"), text);
        assertTrue(text.contains("uas:   media SRTP_AES128_CM_SHA1_80"), text);
        assertTrue(text.contains("uas:   media      1 DTLS-SRTP calls ok, 0 failed"), text);
        Matcher m = Pattern.compile("demo: the UAC's recording of the UAS's tone: (\\S+)").matcher(text);
        assertTrue(m.find(), text);
        Path wav = Path.of(m.group(1));
        try {
            assertTrue(ToneAnalysis.of(wav(wav), 440, 8000).toneShare() > 0.95);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    @Test
    void noMediaOffersPlainRtpAndAUasWithoutMediaDeclinesDtlsSrtp() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        try (Uas withMedia = uasWithMedia(creds, uasOut, null);
                Uas without = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream)) {
            Captured plain = new Captured();
            assertEquals(0, SampleUac.run(new String[] {"--target", target(withMedia), "--fingerprint", creds.fingerprint(),
                "--no-media", "--hold-ms", "0", "--no-progress"}, plain.stream, plain.stream), plain.text());
            assertFalse(plain.text().contains("uac: media"), plain.text());

            Captured declined = new Captured();
            assertEquals(0, SampleUac.run(new String[] {"--target", target(without), "--fingerprint", creds.fingerprint(),
                "--no-progress"}, declined.stream, declined.stream), declined.text());
            assertTrue(declined.text().contains("uac: media          none in 1 call: declined by the answer (no audio, or port 0)"),
                    declined.text());
            assertFalse(uasOut.text().contains("uas:   media"), "no media ran: " + uasOut.text());
        }
    }

    /**
     * A proxy that replaces the offer's fingerprint (a man in the middle of the signalling):
     * the UAS's media handshake refuses the UAC's certificate, both ends say so, and the call
     * is reported failed (RFC 5763 5).
     */
    @Test
    void aFingerprintAlteredInTransitGetsTheMediaHandshakeRefused() throws Exception {
        Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
        Credentials proxyCreds = Credentials.of(null, null, "test-proxy", null, List.of(uasCreds.fingerprint()));
        Captured uasOut = new Captured();
        try (Uas uas = uasWithMedia(uasCreds, uasOut, null); TestProxy proxy = new TestProxy(proxyCreds)) {
            proxy.rewriteSdp(sdp -> sdp.replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
                    "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB"));
            Captured out = new Captured();
            int rc = SampleUac.run(new String[] {"--target", target(uas), "--proxy", proxy.uri(),
                "--fingerprint", proxyCreds.fingerprint(), "--media-seconds", "1", "--no-progress"}, out.stream, out.stream);
            assertEquals(1, rc, out.text());
            assertTrue(out.text().contains("0 ok, 1 failed"), out.text());
            assertTrue(out.text().contains("failed    1  media: DTLS handshake with 127.0.0.1:")
                    && out.text().contains("on the media port failed: handshake failed: received fatal alert bad_certificate"),
                    out.text());
            Thread.sleep(200);
            assertTrue(uasOut.text().contains("uas:   media failed: DTLS handshake with 127.0.0.1:")
                    && uasOut.text().contains("matches none of the expected"), uasOut.text());
        }
    }
}
