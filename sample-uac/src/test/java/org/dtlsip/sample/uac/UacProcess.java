package org.dtlsip.sample.uac;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sample-uac} in a JVM of its own, as {@code bin/sample-uac} runs it (its main class, the
 * samples' logback configuration), on this test's class path: a test can signal it and read what
 * it printed (stdout and stderr together). The output goes to a file, not a pipe:
 * {@link Process#destroy()} closes the pipes, and what the program prints on the signal would be lost.
 */
final class UacProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private UacProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static UacProcess start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=org/dtlsip/sample/logback-sample.xml",
                "-cp", System.getProperty("java.class.path"), SampleUac.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "uac", ".out");
        return new UacProcess(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start(), out);
    }

    /** SIGTERM (on Unix). */
    void sigterm() {
        process.destroy();
    }

    /** Waits (at most {@code seconds}) for the process to end; returns its exit status, or -1 if it did not. */
    int waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** What it printed so far. */
    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
