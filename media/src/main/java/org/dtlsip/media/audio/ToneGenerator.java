package org.dtlsip.media.audio;

/** A sine tone in 16-bit samples, continuous in phase from one frame to the next. Not thread-safe. */
public final class ToneGenerator {
    /** The tone the samples send: concert A. */
    public static final double DEFAULT_FREQUENCY = 440.0;
    /** About -6 dBFS: loud enough to hear, well clear of µ-law clipping. */
    public static final double DEFAULT_AMPLITUDE = 0.5;

    private final double step;
    private final double amplitude;
    private double phase;

    /** @param amplitude 0 to 1 of full scale */
    public ToneGenerator(double frequency, double amplitude, int sampleRate) {
        if (frequency <= 0 || frequency >= sampleRate / 2.0 || amplitude < 0 || amplitude > 1) {
            throw new IllegalArgumentException("tone of " + frequency + " Hz at amplitude " + amplitude
                    + ": frequency must be below half the sample rate (" + sampleRate + " Hz), amplitude 0 to 1");
        }
        this.step = 2 * Math.PI * frequency / sampleRate;
        this.amplitude = amplitude * Short.MAX_VALUE;
    }

    /** The next {@code count} samples. */
    public short[] next(int count) {
        short[] out = new short[count];
        for (int i = 0; i < count; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(phase));
            phase += step;
            if (phase > 2 * Math.PI) {
                phase -= 2 * Math.PI;
            }
        }
        return out;
    }
}
