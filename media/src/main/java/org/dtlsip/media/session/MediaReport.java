package org.dtlsip.media.session;

import java.nio.file.Path;
import java.util.Map;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.audio.ToneAnalysis;
import org.dtlsip.media.srtp.SrtpException;

/**
 * What a media session did.
 *
 * @param profile the SRTP profile use_srtp agreed, {@code null} if the handshake did not complete
 * @param failure why the session failed (handshake refused, fingerprint mismatch, media timeout), or {@code null}
 * @param handshakeMillis start to DTLS handshake complete, NaN if it did not complete
 * @param lost packets expected but not received (RFC 3550 A.3)
 * @param late packets that arrived after a later one
 * @param jitterMillis interarrival jitter (RFC 3550 A.8)
 * @param discarded SRTP/SRTCP packets refused, by reason
 * @param dropped datagrams neither DTLS nor RTP/RTCP, or from an address other than the peer's
 * @param received the received audio's level and share of the tone's frequency
 * @param recording the WAV file written, or {@code null}
 */
public record MediaReport(SrtpProfile profile, String failure, double handshakeMillis, long packetsSent, long octetsSent,
        long packetsReceived, long lost, long late, double jitterMillis, long rtcpSent, long rtcpReceived,
        Map<SrtpException.Reason, Long> discarded, long dropped, ToneAnalysis received, Path recording) {
    public MediaReport {
        discarded = Map.copyOf(discarded);
    }

    /** A session that never ran. */
    public static MediaReport failedBeforeStart(String why) {
        return new MediaReport(null, why, Double.NaN, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, new ToneAnalysis(0, 0, 0), null);
    }

    public boolean ok() {
        return failure == null;
    }

    /** One line for people: profile, packets, loss, jitter, or the failure. */
    public String summary() {
        if (failure != null && profile == null) {
            return "media failed: " + failure;
        }
        String s = String.format("%s, sent %d, received %d, lost %d, late %d, jitter %.1f ms", profile, packetsSent,
                packetsReceived, lost, late, jitterMillis);
        if (!discarded.isEmpty()) {
            s += ", discarded " + discarded;
        }
        return failure == null ? s : s + "; failed: " + failure;
    }
}
