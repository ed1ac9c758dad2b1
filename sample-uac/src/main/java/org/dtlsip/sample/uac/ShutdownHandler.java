package org.dtlsip.sample.uac;

import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code sample-uac} on SIGINT (Ctrl-C) or SIGTERM: a JVM shutdown hook that ends the calls in
 * progress instead of leaving them up at the UAS ({@link Uac#stop()}: BYE for established calls,
 * CANCEL for ringing INVITEs), waits at most {@link #WAIT_MILLIS} for the run to finish, and
 * prints the summary of the calls placed so far. The JVM then exits with 128 + the signal's
 * number: {@link #EXIT_SIGINT} or {@link #EXIT_SIGTERM}.
 *
 * <p>Exactly one of the main thread and the hook prints the summary: whichever claims it first.
 */
final class ShutdownHandler implements AutoCloseable {
    /**
     * Longest wait for the calls in progress to end after a signal: a BYE or CANCEL and its
     * answer take one round trip, or a few SIP retransmissions (T1 = 500 ms, RFC 3261 17.1.2.1)
     * on a lossy path; a user who pressed Ctrl-C should not wait for timer F (32 s).
     */
    static final long WAIT_MILLIS = 3_000;
    /** The JVM's exit status after SIGINT (128 + 2), documented in the command's help. */
    static final int EXIT_SIGINT = 130;
    /** The JVM's exit status after SIGTERM (128 + 15). */
    static final int EXIT_SIGTERM = 143;

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int SIGNALLED = 2;

    private final Uac uac;
    private final PrintStream out;
    private final Consumer<Uac.Result> summary;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    /** The run's result, or {@code null} if the command ended without one (e.g. registration failed). */
    private final CompletableFuture<Uac.Result> result = new CompletableFuture<>();
    private final Thread hook = new Thread(this::onSignal, "uac-shutdown");

    private ShutdownHandler(Uac uac, PrintStream out, Consumer<Uac.Result> summary) {
        this.uac = uac;
        this.out = out;
        this.summary = summary;
    }

    /** Installs the hook for {@code uac}'s run; {@code summary} prints a run's result. */
    static ShutdownHandler install(Uac uac, PrintStream out, Consumer<Uac.Result> summary) {
        ShutdownHandler h = new ShutdownHandler(uac, out, summary);
        Runtime.getRuntime().addShutdownHook(h.hook);
        return h;
    }

    /**
     * The run finished with {@code r}: returns {@code true} if the caller prints its summary,
     * {@code false} if a signal came first and the hook prints it.
     */
    boolean finished(Uac.Result r) {
        boolean mine = state.compareAndSet(RUNNING, DONE);
        result.complete(r);
        return mine;
    }

    private void onSignal() {
        if (!state.compareAndSet(RUNNING, SIGNALLED)) {
            return; // the run was over; its summary is printed by the main thread
        }
        out.println();
        out.println("uac: interrupted (SIGINT or SIGTERM): no more calls; ending the calls in progress (BYE, or CANCEL "
                + "while ringing): " + uac.callsInProgress());
        out.flush();
        uac.stop();
        Uac.Result r = null;
        try {
            r = result.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            r = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (r != null) {
            out.println("uac: stopped after " + r.calls() + " of " + uac.plannedCalls() + " planned call"
                    + (uac.plannedCalls() == 1 ? "" : "s") + "; the summary of those:");
            summary.accept(r);
        } else {
            out.println("uac: stopped; calls so far " + uac.callsSoFar() + "; still in progress after " + WAIT_MILLIS
                    + " ms: " + uac.callsInProgress());
        }
        out.flush();
    }

    /** Removes the hook (unless it is running: the JVM is exiting). */
    @Override
    public void close() {
        result.complete(null);
        if (state.get() != SIGNALLED) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutdown in progress: the hook has run or is running
            }
        }
    }
}
