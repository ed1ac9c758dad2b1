package org.dtlsip.media.audio;

/**
 * What a block of received audio holds: its RMS level and, by the Goertzel algorithm, the
 * share of its energy at one frequency. Used to check that the tone arrived, and printed in
 * the samples' call summary.
 *
 * @param rms root mean square, in sample units (0 to 32768)
 * @param toneShare energy at the probed frequency over total energy, 0 to 1
 */
public record ToneAnalysis(int samples, double rms, double toneShare) {

    /** Analyses {@code pcm} at {@code frequency}. */
    public static ToneAnalysis of(short[] pcm, int length, double frequency, int sampleRate) {
        if (length == 0) {
            return new ToneAnalysis(0, 0, 0);
        }
        double energy = 0;
        // Goertzel: s[n] = x[n] + 2cos(w) s[n-1] - s[n-2]; power = s1^2 + s2^2 - 2cos(w) s1 s2.
        double coefficient = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < length; i++) {
            double x = pcm[i];
            energy += x * x;
            double s = x + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        // A pure sine of amplitude A over N samples gives power (A N / 2)^2 and energy A^2 N / 2,
        // so power * 2 / (N * energy) is 1 for a pure tone at the probed frequency.
        double share = energy == 0 ? 0 : Math.min(1, 2 * power / (length * energy));
        return new ToneAnalysis(length, Math.sqrt(energy / length), share);
    }

    public static ToneAnalysis of(short[] pcm, double frequency, int sampleRate) {
        return of(pcm, pcm.length, frequency, sampleRate);
    }
}
