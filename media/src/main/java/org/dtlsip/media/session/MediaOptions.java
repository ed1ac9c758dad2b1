package org.dtlsip.media.session;

import java.nio.file.Path;
import java.util.List;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.audio.ToneGenerator;

/**
 * How a {@link MediaSession} behaves; {@link #defaults()} then the {@code with...} methods.
 *
 * @param profiles SRTP profiles offered (DTLS client) or accepted in preference order (server)
 * @param sendMillis how long to send the tone after the handshake; 0 sends nothing
 * @param toneHz the tone's frequency
 * @param handshakeTimeoutMillis give up on the media DTLS handshake after this long
 * @param mediaTimeoutMillis fail when no authenticated media arrives for this long once keys exist
 * @param recording where to write received audio as WAV, or {@code null}
 */
public record MediaOptions(List<SrtpProfile> profiles, long sendMillis, double toneHz, long handshakeTimeoutMillis,
        long mediaTimeoutMillis, Path recording) {
    /** The profiles every DTLS-SRTP endpoint must offer first (RFC 5764 4.1.2, RFC 8827 6.5), then GCM (RFC 7714). */
    public static final List<SrtpProfile> DEFAULT_PROFILES = List.of(SrtpProfile.SRTP_AES128_CM_SHA1_80,
            SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AES128_CM_SHA1_32);
    public static final long DEFAULT_SEND_MILLIS = 2_000;
    /** A handshake on an uncongested path takes two round trips; 10 s covers several retransmissions. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** RFC 3550 6.2 sends RTCP at least every 5 s: silence for longer than two such intervals means the peer is gone. */
    public static final long DEFAULT_MEDIA_TIMEOUT_MILLIS = 10_000;
    /** One PCMU packet per 20 ms (RFC 3551 4.5: the default packetization of audio). */
    public static final int PTIME_MILLIS = 20;

    public MediaOptions {
        profiles = List.copyOf(profiles);
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no SRTP profiles: DTLS-SRTP needs at least one (RFC 5764 4.1.1)");
        }
        if (sendMillis < 0 || handshakeTimeoutMillis <= 0 || mediaTimeoutMillis <= 0) {
            throw new IllegalArgumentException("media send time must be >= 0 and timeouts > 0");
        }
    }

    public static MediaOptions defaults() {
        return new MediaOptions(DEFAULT_PROFILES, DEFAULT_SEND_MILLIS, ToneGenerator.DEFAULT_FREQUENCY,
                DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, DEFAULT_MEDIA_TIMEOUT_MILLIS, null);
    }

    public MediaOptions withProfiles(List<SrtpProfile> p) {
        return new MediaOptions(p, sendMillis, toneHz, handshakeTimeoutMillis, mediaTimeoutMillis, recording);
    }

    public MediaOptions withSendMillis(long millis) {
        return new MediaOptions(profiles, millis, toneHz, handshakeTimeoutMillis, mediaTimeoutMillis, recording);
    }

    public MediaOptions withToneHz(double hz) {
        return new MediaOptions(profiles, sendMillis, hz, handshakeTimeoutMillis, mediaTimeoutMillis, recording);
    }

    public MediaOptions withHandshakeTimeoutMillis(long millis) {
        return new MediaOptions(profiles, sendMillis, toneHz, millis, mediaTimeoutMillis, recording);
    }

    public MediaOptions withMediaTimeoutMillis(long millis) {
        return new MediaOptions(profiles, sendMillis, toneHz, handshakeTimeoutMillis, millis, recording);
    }

    public MediaOptions withRecording(Path path) {
        return new MediaOptions(profiles, sendMillis, toneHz, handshakeTimeoutMillis, mediaTimeoutMillis, path);
    }
}
