package org.dtlsip.dtls.cli;

import java.util.Locale;

/**
 * The command-line peers log through slf4j-simple (the runtime class path of bin/dtls-server and
 * bin/dtls-client): it starts in a few milliseconds, where logback's XML configuration took a
 * third of a cold client's time to connect (docs/BENCHMARKS.md, "Cold start"). Warnings and
 * errors go to stderr, so stdout carries only what the peer prints for people;
 * {@code -Ddtlsip.log.level=debug} shows the handshake. A property given on the command line wins.
 */
final class CliLogging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private CliLogging() {
    }

    /** Call before the first logger is created (first thing in main). */
    static void configure() {
        setIfAbsent("defaultLogLevel", System.getProperty("dtlsip.log.level", "warn").toLowerCase(Locale.ROOT));
        setIfAbsent("logFile", "System.err");
        setIfAbsent("showDateTime", "true");
        setIfAbsent("dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
