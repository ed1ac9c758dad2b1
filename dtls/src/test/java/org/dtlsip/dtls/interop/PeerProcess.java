package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A peer program (wolfSSL's examples) run for a test: stdout and stderr captured line by line,
 * in arrival order, by two daemon threads; waiting for a line or for the exit; stopping it by
 * its own process handle. The same job {@link OpenSslPeer} does for openssl, without the
 * openssl-specific starting.
 */
final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final Object lock = new Object();
    /** Completed lines of stdout and stderr, in arrival order. Guarded by {@link #lock}. */
    private final List<String> lines = new ArrayList<>();
    /** Unterminated tails of stdout [0] and stderr [1]. Guarded by {@link #lock}. */
    private final StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};
    private int streamsAtEof;

    /** @param name for the reader threads, e.g. "wolfssl-server" */
    PeerProcess(String name, List<String> command, Path workingDirectory, Map<String, String> environment)
            throws IOException {
        this.command = List.copyOf(command);
        ProcessBuilder builder = new ProcessBuilder(this.command).directory(workingDirectory.toFile());
        builder.environment().putAll(environment);
        this.process = builder.start();
        process.getOutputStream().close(); // no input: the examples read none
        this.stdoutReader = startReader(process.getInputStream(), 0, name + "-stdout");
        this.stderrReader = startReader(process.getErrorStream(), 1, name + "-stderr");
    }

    List<String> command() {
        return command;
    }

    /**
     * Waits for the first captured line at index {@code >= fromLine} that matches; an unterminated
     * trailing piece also counts. AssertionError with the whole output on timeout or when the
     * process ended without a match.
     */
    String awaitLine(int fromLine, Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (int i = fromLine; i < lines.size(); i++) {
                    if (matcher.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                for (StringBuilder tail : partial) {
                    if (tail.length() > 0 && matcher.test(tail.toString())) {
                        return tail.toString();
                    }
                }
                if (streamsAtEof == 2) {
                    throw failure("process ended without the expected line");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw failure("timed out after " + timeout.toMillis() + " ms waiting for the expected line");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while waiting for a line");
                }
            }
        }
    }

    /** True once a line matching has been captured. */
    boolean hasLine(Predicate<String> matcher) {
        synchronized (lock) {
            return lines.stream().anyMatch(matcher);
        }
    }

    int lineCount() {
        synchronized (lock) {
            return lines.size();
        }
    }

    String output() {
        synchronized (lock) {
            StringBuilder all = new StringBuilder();
            lines.forEach(l -> all.append(l).append('\n'));
            for (StringBuilder tail : partial) {
                if (tail.length() > 0) {
                    all.append(tail).append('\n');
                }
            }
            return all.toString();
        }
    }

    /** Waits for the exit and both output streams; AssertionError with the output if it does not exit. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure("process did not exit within " + timeout.toMillis() + " ms");
            }
            stdoutReader.join(1000);
            stderrReader.join(1000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for exit");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Terminates this process (SIGTERM, after 1 s SIGKILL) and its children. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
            stdoutReader.join(1000);
            stderrReader.join(1000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    AssertionError failure(String what) {
        String exit = process.isAlive() ? "running" : "exit status " + process.exitValue();
        return new AssertionError(what + " (" + exit + ")\ncommand: " + String.join(" ", command)
                + "\n--- captured output ---\n" + output() + "--- end of output ---");
    }

    private Thread startReader(InputStream stream, int index, String name) {
        Thread thread = new Thread(() -> pump(stream, index), name + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void pump(InputStream stream, int index) {
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            int n;
            while ((n = reader.read(buffer)) > 0) {
                synchronized (lock) {
                    StringBuilder tail = partial[index];
                    for (int i = 0; i < n; i++) {
                        char c = buffer[i];
                        if (c == '\n') {
                            int end = tail.length();
                            if (end > 0 && tail.charAt(end - 1) == '\r') {
                                tail.setLength(end - 1);
                            }
                            lines.add(tail.toString());
                            tail.setLength(0);
                        } else {
                            tail.append(c);
                        }
                    }
                    lock.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // stream closed by close(): fall through to EOF handling
        } finally {
            synchronized (lock) {
                streamsAtEof++;
                lock.notifyAll();
            }
        }
    }
}
