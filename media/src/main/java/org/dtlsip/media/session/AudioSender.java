package org.dtlsip.media.session;

import java.security.SecureRandom;
import org.dtlsip.media.audio.Pcmu;
import org.dtlsip.media.audio.ToneGenerator;
import org.dtlsip.media.rtp.RtcpPacket;
import org.dtlsip.media.rtp.RtpPacket;

/**
 * Our outgoing audio stream: a tone, PCMU-encoded, 20 ms per RTP packet, with a random SSRC,
 * first sequence number and first timestamp (RFC 3550 5.1, 8). Counts what it sent for the
 * sender report. Not thread-safe.
 */
final class AudioSender {
    static final int SAMPLES_PER_PACKET = Pcmu.CLOCK_RATE * MediaOptions.PTIME_MILLIS / 1000;
    /** 2208988800 s between the NTP epoch (1900) and the Unix epoch (RFC 5905 6). */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private final ToneGenerator tone;
    private final long ssrc;
    private int sequence;
    private long timestamp;
    private long packets;
    private long octets;

    AudioSender(double toneHz, SecureRandom random) {
        this.tone = new ToneGenerator(toneHz, ToneGenerator.DEFAULT_AMPLITUDE, Pcmu.CLOCK_RATE);
        this.ssrc = random.nextInt() & 0xFFFF_FFFFL;
        this.sequence = random.nextInt(0x10000);
        this.timestamp = random.nextInt() & 0xFFFF_FFFFL;
    }

    long ssrc() {
        return ssrc;
    }

    /** The next 20 ms of tone as an RTP packet; the first has the marker bit (RFC 3551 4.1: start of a talkspurt). */
    byte[] next() {
        byte[] payload = Pcmu.encode(tone.next(SAMPLES_PER_PACKET));
        RtpPacket p = new RtpPacket(packets == 0, Pcmu.PAYLOAD_TYPE, sequence, timestamp, ssrc, payload);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + SAMPLES_PER_PACKET) & 0xFFFF_FFFFL;
        packets++;
        octets += payload.length;
        return p.encode();
    }

    long packets() {
        return packets;
    }

    long octets() {
        return octets;
    }

    /** A sender report for now (RFC 3550 6.4.1), with the receiver's report block if there is one. */
    RtcpPacket.SenderReport report(long unixMillis, java.util.List<org.dtlsip.media.rtp.ReportBlock> blocks) {
        long seconds = unixMillis / 1000 + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((unixMillis % 1000) << 32) / 1000;
        return new RtcpPacket.SenderReport(ssrc, (seconds << 32) | fraction, timestamp, packets & 0xFFFF_FFFFL,
                octets & 0xFFFF_FFFFL, blocks);
    }
}
