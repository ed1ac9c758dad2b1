package org.dtlsip.bench;

import java.util.Arrays;

/** Percentiles of a sample of durations in nanoseconds (nearest rank). */
public final class Stats {
    private final long[] sorted;

    public Stats(long[] samples) {
        this.sorted = samples.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 < p <= 100) by nearest rank. */
    public long percentile(double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public long median() {
        return percentile(50);
    }

    public long min() {
        return sorted.length == 0 ? 0 : sorted[0];
    }

    public double mean() {
        return sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
    }

    public static double millis(long nanos) {
        return nanos / 1e6;
    }
}
