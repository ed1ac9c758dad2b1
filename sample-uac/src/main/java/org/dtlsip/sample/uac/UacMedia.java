package org.dtlsip.sample.uac;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Response;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.media.session.MediaReport;
import org.dtlsip.sample.CallMedia;

/**
 * The UAC's DTLS-SRTP media: each call offers {@code a=setup:actpass} with a media port and
 * the fingerprint of a media certificate; after the 2xx the answer settles the roles, after
 * the ACK the tone goes out for {@link MediaOptions#sendMillis()}, and the BYE follows. Tallies
 * what the calls' media did for the summary. Thread-safe.
 */
final class UacMedia {
    /** After our tone, the peer's last packets in flight: one packet time and a margin. */
    static final long DRAIN_MILLIS = 100;
    /** How often a call in its media checks whether the run was stopped. */
    static final long STOP_POLL_MILLIS = 50;

    /** What the calls' media did: the first call's report, and counts over all calls. */
    record Totals(MediaReport first, int ok, int failed, Map<String, Integer> notNegotiated, long sent, long received,
            long lost) {
    }

    private final MediaOptions options;
    private final Path recording;
    private final CertifiedKey certificate;
    private MediaReport first;
    private int ok;
    private int failed;
    private final Map<String, Integer> notNegotiated = new TreeMap<>();
    private long sent;
    private long received;
    private long lost;

    /** @param options {@code null}: media off ({@code --no-media}); @param recording the first call's WAV, or {@code null} */
    UacMedia(MediaOptions options, Path recording) {
        this.options = options;
        this.recording = recording;
        this.certificate = options == null ? null : SelfSigned.ecdsa("sample-uac media", NamedGroup.SECP256R1);
    }

    boolean on() {
        return options != null;
    }

    MediaOptions options() {
        return options;
    }

    /** The media port for a call's offer; the first call records. */
    CallMedia open(String address, boolean firstCall) throws IOException {
        return CallMedia.offer(address, certificate,
                firstCall && recording != null ? options.withRecording(recording) : options);
    }

    /** Reads the 2xx's answer and starts the media handshake; {@code false} (counted) when the answer has no DTLS-SRTP. */
    boolean answered(CallMedia media, Response answer) throws IOException {
        byte[] body = answer.getRawContent();
        String why = media.accept(body == null ? null : new String(body, StandardCharsets.UTF_8));
        if (why != null) {
            synchronized (this) {
                notNegotiated.merge(why, 1, Integer::sum);
            }
            media.close();
            return false;
        }
        media.start();
        return true;
    }

    /**
     * After the ACK: waits for the keys, sends the tone, then ends the media and tallies its
     * report. {@code stopped} (SIGINT, {@link Uac#stop()}) cuts the tone short.
     */
    MediaReport run(CallMedia media, boolean firstCall, CountDownLatch stopped) throws InterruptedException {
        long deadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(options.handshakeTimeoutMillis() + options.sendMillis() + options.mediaTimeoutMillis());
        // Sending done also when the session ended (failed) before.
        boolean toneSent = false;
        while (!toneSent && stopped.getCount() > 0 && System.nanoTime() < deadline) {
            toneSent = media.session().awaitSendingDone(STOP_POLL_MILLIS);
        }
        if (toneSent && media.session().profile() != null) {
            stopped.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        }
        MediaReport r = media.stop();
        synchronized (this) {
            if (firstCall) {
                first = r;
            }
            if (r.ok()) {
                ok++;
            } else {
                failed++;
            }
            sent += r.packetsSent();
            received += r.packetsReceived();
            lost += r.lost();
        }
        return r;
    }

    synchronized Totals totals() {
        return on() ? new Totals(first, ok, failed, Map.copyOf(notNegotiated), sent, received, lost) : null;
    }
}
