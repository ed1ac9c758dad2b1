package org.dtlsip.media.session;

import java.io.IOException;
import java.nio.file.Path;
import org.dtlsip.media.audio.Pcmu;
import org.dtlsip.media.audio.ToneAnalysis;
import org.dtlsip.media.audio.WavWriter;
import org.dtlsip.media.rtp.ReceptionStats;
import org.dtlsip.media.rtp.RtpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's audio: reception statistics of its source, PCMU decoded into a WAV file (in
 * arrival order) and into a bounded buffer for {@link ToneAnalysis}. Not thread-safe.
 */
final class AudioReceiver implements AutoCloseable {
    /** Samples kept for the analysis: the first ten seconds. */
    static final int MAX_ANALYSED_SAMPLES = Pcmu.CLOCK_RATE * 10;
    /**
     * Samples written to the recording: ten minutes of PCMU (9.6 MB). The peer decides how long
     * the call lasts and how much it sends; without a bound one call could fill the disk (a WAV
     * file stops only at 4 GiB). Later packets are still counted, not recorded.
     */
    static final long MAX_RECORDED_SAMPLES = Pcmu.CLOCK_RATE * 600L;
    private static final Logger log = LoggerFactory.getLogger(AudioReceiver.class);

    private final ReceptionStats stats = new ReceptionStats(Pcmu.CLOCK_RATE);
    private final short[] analysed = new short[MAX_ANALYSED_SAMPLES];
    private final double toneHz;
    private final Path recordingPath;
    private WavWriter recording;
    private int analysedLength;
    private long recordedSamples;
    private long ssrc = -1;
    private long otherPayload;

    AudioReceiver(double toneHz, Path recordingPath) throws IOException {
        this.toneHz = toneHz;
        this.recordingPath = recordingPath;
        this.recording = recordingPath == null ? null : WavWriter.create(recordingPath, Pcmu.CLOCK_RATE);
    }

    void accept(RtpPacket p, long arrivalNanos) {
        if (ssrc < 0) {
            ssrc = p.ssrc();
        }
        if (p.ssrc() != ssrc || p.payloadType() != Pcmu.PAYLOAD_TYPE) {
            otherPayload++; // one source of PCMU is what the SDP agreed
            return;
        }
        stats.received(p.sequenceNumber(), p.timestamp(), arrivalNanos);
        short[] pcm = Pcmu.decode(p.payload());
        int n = Math.min(pcm.length, analysed.length - analysedLength);
        System.arraycopy(pcm, 0, analysed, analysedLength, n);
        analysedLength += n;
        long room = MAX_RECORDED_SAMPLES - recordedSamples;
        if (recording != null && room > 0) {
            int write = (int) Math.min(pcm.length, room);
            recordedSamples += write;
            try {
                recording.write(pcm, write);
            } catch (IOException e) {
                log.warn("recording to {} stopped: {}", recordingPath, e.getMessage());
                closeRecording();
            }
        }
    }

    ReceptionStats stats() {
        return stats;
    }

    /** The peer's SSRC, -1 before its first packet. */
    long ssrc() {
        return ssrc;
    }

    long otherPayload() {
        return otherPayload;
    }

    ToneAnalysis analysis() {
        return ToneAnalysis.of(analysed, analysedLength, toneHz, Pcmu.CLOCK_RATE);
    }

    Path recordingPath() {
        return recordingPath;
    }

    private void closeRecording() {
        if (recording != null) {
            try {
                recording.close();
            } catch (IOException e) {
                log.warn("cannot finish {}: {}", recordingPath, e.getMessage());
            }
            recording = null;
        }
    }

    @Override
    public void close() {
        closeRecording();
    }
}
