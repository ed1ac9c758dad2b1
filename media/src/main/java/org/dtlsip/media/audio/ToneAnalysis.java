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

    /**
     * Samples per Goertzel block: 20 ms at 8000 Hz, one PCMU packet, so a lost packet shifts
     * the phase only between blocks and does not cancel the tone in a long sum.
     */
    public static final int BLOCK = 160;

    /** Analyses {@code pcm[0, length)} at {@code frequency}, block by block. */
    public static ToneAnalysis of(short[] pcm, int length, double frequency, int sampleRate) {
        if (length == 0) {
            return new ToneAnalysis(0, 0, 0);
        }
        double energy = 0;
        double toneEnergy = 0;
        double coefficient = 2 * Math.cos(2 * Math.PI * frequency / sampleRate);
        for (int from = 0; from < length; from += BLOCK) {
            int n = Math.min(BLOCK, length - from);
            // Goertzel: s[n] = x[n] + 2cos(w) s[n-1] - s[n-2]; power = s1^2 + s2^2 - 2cos(w) s1 s2.
            double s1 = 0;
            double s2 = 0;
            for (int i = from; i < from + n; i++) {
                double x = pcm[i];
                energy += x * x;
                double s = x + coefficient * s1 - s2;
                s2 = s1;
                s1 = s;
            }
            // A sine of amplitude A over n samples gives power (A n / 2)^2 and energy A^2 n / 2:
            // 2 power / n is the block's energy at the frequency.
            toneEnergy += 2 * (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / n;
        }
        double share = energy == 0 ? 0 : Math.min(1, toneEnergy / energy);
        return new ToneAnalysis(length, Math.sqrt(energy / length), share);
    }

    public static ToneAnalysis of(short[] pcm, double frequency, int sampleRate) {
        return of(pcm, pcm.length, frequency, sampleRate);
    }
}
