package org.dtlsip.sample.uac;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress bar on one line ({@code \r}-redrawn), shown only once a run has lasted a second so
 * that short runs print nothing, redrawn at most five times a second.
 */
final class Progress {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final int total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private long lastDraw;
    private boolean shown;

    private Progress(int total, PrintStream out) {
        this.total = total;
        this.out = out;
    }

    static Progress start(int total, PrintStream out) {
        return new Progress(total, out);
    }

    void done(int calls, int failures) {
        done.accumulateAndGet(calls, Math::max);
        failed.accumulateAndGet(failures, Math::max);
        long now = System.nanoTime();
        synchronized (this) {
            if (now - start >= SHOW_AFTER_NANOS && now - lastDraw >= REDRAW_NANOS) {
                draw();
                lastDraw = now;
            }
        }
    }

    synchronized void finish() {
        if (shown) {
            draw();
            out.println();
        }
    }

    private void draw() {
        shown = true;
        int d = done.get();
        int filled = (int) ((long) d * WIDTH / Math.max(1, total));
        out.printf("\ruac: [%s%s] %d/%d calls, %d failed, %.1f s", "#".repeat(filled), ".".repeat(WIDTH - filled), d, total,
                failed.get(), (System.nanoTime() - start) / 1e9);
        out.flush();
    }
}
