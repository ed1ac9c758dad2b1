package org.dtlsip.sample.uas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.media.session.MediaReport;
import org.dtlsip.media.session.SdpMedia;
import org.dtlsip.sample.CallMedia;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.Sdp;

/**
 * The UAS's DTLS-SRTP media: answers a DTLS-SRTP offer with {@code a=setup:active} and its own
 * media port and fingerprint, opens the media association after the ACK (as DTLS client),
 * sends its tone until the BYE (at most {@link MediaOptions#sendMillis()}), records what it
 * hears to {@code DIR/call-N.wav}, and reports at the BYE. With media off, a DTLS-SRTP offer
 * is answered with the stream declined (port 0).
 */
final class UasMedia {
    /**
     * Live media sessions (a socket each, and a thread from the ACK): beyond this, an offer's
     * stream is declined (RFC 3264 6: port 0) and the call goes on without media, so that a
     * caller cannot open ports and threads without bound. Ended sessions do not count.
     */
    static final int MAX_MEDIA_CALLS = 100;

    /** Media settings: {@code options} {@code null} means media off; {@code recordDir} {@code null} records nothing. */
    record Settings(MediaOptions options, Path recordDir) {
        static final Settings OFF = new Settings(null, null);
    }

    private final Settings settings;
    /** A fresh self-signed certificate for media, announced by fingerprint (RFC 8827 6.5 style). */
    private final CertifiedKey certificate;
    private final Map<String, CallMedia> calls = new ConcurrentHashMap<>();
    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();

    UasMedia(Settings settings) {
        this.settings = settings;
        this.certificate = settings.options() == null ? null : SelfSigned.ecdsa("sample-uas media", NamedGroup.SECP256R1);
    }

    /**
     * The answer to {@code offer} when it is DTLS-SRTP, or {@code null} for the plain answer.
     *
     * @throws SampleFailure the media port could not be opened
     * @throws IllegalArgumentException the offer's SDP is malformed
     */
    String answer(String callId, long callNumber, String offer, String address) throws SampleFailure {
        SdpMedia audio = SdpMedia.parseAudio(offer);
        if (audio == null) {
            return null;
        }
        if (!audio.dtlsSrtp()) {
            // RFC 5763 5: DTLS-SRTP whose only fingerprints use a hash we do not check (RFC 8122 5;
            // sha-256 here) cannot be keyed: decline the stream rather than answer SAVP without ours.
            return SdpMedia.DTLS_SRTP_PROTOCOL.equalsIgnoreCase(audio.protocol()) ? Sdp.decline(offer, address, callNumber) : null;
        }
        if (settings.options() == null) {
            return Sdp.decline(offer, address, callNumber);
        }
        try {
            if (calls.values().stream().filter(m -> !m.session().ended()).count() >= MAX_MEDIA_CALLS) {
                return Sdp.decline(offer, address, callNumber);
            }
            MediaOptions o = settings.options();
            if (settings.recordDir() != null) {
                Files.createDirectories(settings.recordDir());
                o = o.withRecording(settings.recordDir().resolve("call-" + callNumber + ".wav"));
            }
            CallMedia media = CallMedia.answer(offer, address, certificate, o);
            if (media == null) {
                return Sdp.decline(offer, address, callNumber);
            }
            CallMedia replaced = calls.put(callId, media);
            if (replaced != null) {
                replaced.close(); // a new INVITE with this Call-ID before the dialog: only the last offer's port lives
            }
            return media.sdp(callNumber);
        } catch (IOException e) {
            throw new SampleFailure("cannot open a media port: " + e.getMessage(), e);
        }
    }

    /** The ACK: the answerer is active (RFC 5763 5), so it opens the media association now. */
    void acknowledged(String callId) throws IOException {
        CallMedia media = calls.get(callId);
        if (media != null && !media.started()) {
            media.start();
        }
    }

    /** The BYE: ends the call's media; its report as lines, empty when the call had none. */
    List<String> ended(String callId) throws InterruptedException {
        CallMedia media = calls.remove(callId);
        if (media == null) {
            return List.of();
        }
        if (!media.started()) {
            media.close();
            failed.increment();
            return List.of("failed: the call ended before its ACK started the media");
        }
        MediaReport r = media.stop();
        (r.ok() ? ok : failed).increment();
        return CallMedia.describe(r, settings.options().toneHz());
    }

    /** A call that ends without BYE (CANCEL, no ACK): its media port closes. */
    void discard(String callId) {
        CallMedia media = calls.remove(callId);
        if (media != null) {
            media.close();
        }
    }

    void closeAll() {
        calls.values().forEach(CallMedia::close);
        calls.clear();
    }

    boolean on() {
        return settings.options() != null;
    }

    long ok() {
        return ok.sum();
    }

    long failed() {
        return failed.sum();
    }
}
