package org.dtlsip.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.media.session.MediaReport;
import org.dtlsip.media.session.MediaSession;
import org.dtlsip.media.session.SdpMedia;
import org.dtlsip.media.session.SetupRole;

/**
 * One call's DTLS-SRTP media, between SDP and a {@link MediaSession} (RFC 5763): the offerer
 * says {@code a=setup:actpass} and waits for the answer; the answerer answers {@code active}
 * and opens the DTLS association as client (RFC 5763 5). Each side pins the peer's
 * certificate to the fingerprint in the peer's SDP.
 */
public final class CallMedia implements AutoCloseable {
    private final MediaSession session;
    private final String address;
    private final SetupRole localSetup;
    private SdpMedia remote;
    private boolean started;

    private CallMedia(MediaSession session, String address, SetupRole localSetup, SdpMedia remote) {
        this.session = session;
        this.address = address;
        this.localSetup = localSetup;
        this.remote = remote;
    }

    /** Opens the media port for an offer ({@code a=setup:actpass}). */
    public static CallMedia offer(String address, CertifiedKey certificate, MediaOptions options) throws IOException {
        return new CallMedia(MediaSession.open(InetAddress.getByName(address), certificate, options), address,
                SetupRole.ACTPASS, null);
    }

    /**
     * Opens the media port to answer {@code offerSdp}, or returns {@code null} when the offer is
     * not DTLS-SRTP audio (then the plain answer applies).
     *
     * @throws IllegalArgumentException the offer's SDP is malformed, says holdconn, or its c= is no unicast IP address
     */
    public static CallMedia answer(String offerSdp, String address, CertifiedKey certificate, MediaOptions options)
            throws IOException {
        SdpMedia offer = SdpMedia.parseAudio(offerSdp);
        if (offer == null || !offer.dtlsSrtp() || offer.port() == 0 || !offer.formats().contains(SdpMedia.PCMU)) {
            return null; // RFC 3264 6: the answer may only pick offered formats, and we send PCMU only
        }
        offer.peer(); // refuses (488) an offer whose c= is no unicast IP address
        // RFC 4145 4: an offer without a=setup means active, so the answer is passive.
        SetupRole setup = (offer.setup() == null ? SetupRole.ACTIVE : offer.setup()).answer();
        return new CallMedia(MediaSession.open(InetAddress.getByName(address), certificate, options), address, setup, offer);
    }

    /** Our SDP: session lines and the audio description with our port, fingerprint and setup. */
    public String sdp(long sessionId) {
        return Sdp.session(address, sessionId) + session.describe(address, localSetup).mediaLines();
    }

    /**
     * Offerer: reads the answer; returns why media cannot run ({@code null} when it can).
     * An answer that declines the stream (port 0) or is not DTLS-SRTP leaves the call without media.
     */
    public String accept(String answerSdp) {
        SdpMedia answer;
        try {
            answer = answerSdp == null ? null : SdpMedia.parseAudio(answerSdp);
        } catch (IllegalArgumentException e) {
            return "answer SDP unreadable: " + e.getMessage();
        }
        if (answer == null || answer.port() == 0) {
            return "declined by the answer (no audio, or port 0)";
        }
        if (!answer.dtlsSrtp()) {
            return "answer is " + answer.protocol() + " without a=fingerprint, not DTLS-SRTP";
        }
        if (!answer.formats().contains(SdpMedia.PCMU)) {
            return "answer does not accept PCMU (payload type 0), the only format offered";
        }
        // RFC 4145 4: no a=setup in the answer means active.
        SetupRole setup = answer.setup() == null ? SetupRole.ACTIVE : answer.setup();
        if (setup != SetupRole.ACTIVE && setup != SetupRole.PASSIVE) {
            return "answer says a=setup:" + setup.token() + "; an answer must be active or passive (RFC 5763 5)";
        }
        try {
            answer.peer();
        } catch (IllegalArgumentException e) {
            return "answer SDP: " + e.getMessage();
        }
        remote = answer;
        return null;
    }

    /** Starts the media handshake in the role SDP settled. */
    public void start() throws IOException {
        if (remote == null) {
            throw new IllegalStateException("no remote SDP accepted");
        }
        SetupRole mine = localSetup;
        if (mine == SetupRole.ACTPASS) {
            // The offerer takes the role the answer left it (RFC 4145 4; no a=setup means active).
            mine = remote.setup() == SetupRole.PASSIVE ? SetupRole.ACTIVE : SetupRole.PASSIVE;
        }
        session.start(remote.peer(), mine.dtlsClient(), remote.fingerprint());
        started = true;
    }

    public boolean started() {
        return started;
    }

    public MediaSession session() {
        return session;
    }

    /** Ends the media (close_notify) and returns its report. */
    public MediaReport stop() throws InterruptedException {
        return session.stop();
    }

    @Override
    public void close() {
        session.close();
    }

    /** The report for people, one item per line (without prefix). */
    public static List<String> describe(MediaReport r, double toneHz) {
        List<String> lines = new ArrayList<>();
        if (r.profile() == null) {
            lines.add("failed: " + r.failure());
            return lines;
        }
        lines.add(String.format("%s, keys from the DTLS exporter (RFC 5764), handshake %.1f ms", r.profile(),
                r.handshakeMillis()));
        lines.add(String.format("sent %d packets (%.1f s of PCMU), received %d, lost %d, late %d, jitter %.1f ms, RTCP %d/%d",
                r.packetsSent(), r.packetsSent() * 0.02, r.packetsReceived(), r.lost(), r.late(), r.jitterMillis(),
                r.rtcpSent(), r.rtcpReceived()));
        lines.add(String.format("received audio: %.0f%% of its energy at %.0f Hz, level %.1f dBFS%s", 100 * r.received().toneShare(),
                toneHz, r.received().rms() > 0 ? 20 * Math.log10(r.received().rms() / 32768) : Double.NEGATIVE_INFINITY,
                r.recording() == null ? "" : ", recorded to " + r.recording()));
        if (!r.discarded().isEmpty() || r.dropped() > 0) {
            lines.add("discarded " + r.discarded() + ", dropped " + r.dropped());
        }
        if (r.failure() != null) {
            lines.add("failed: " + r.failure());
        }
        return lines;
    }
}
