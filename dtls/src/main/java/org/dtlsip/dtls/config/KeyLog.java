package org.dtlsip.dtls.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one NSS key log line ({@code CLIENT_RANDOM <client_random> <master_secret>}) per
 * completed handshake, so Wireshark and tshark can decrypt a capture. Anyone with these lines
 * can read the traffic: enable only for debugging.
 */
@FunctionalInterface
public interface KeyLog {
    /** The environment variable browsers and OpenSSL-based tools also honour. */
    String ENVIRONMENT_VARIABLE = "SSLKEYLOGFILE";

    void write(String line);

    /** Appends lines to {@code file}, creating it if needed. */
    static KeyLog toFile(Path file) {
        Logger log = LoggerFactory.getLogger(KeyLog.class);
        return line -> {
            synchronized (KeyLog.class) {
                try {
                    Files.writeString(file, line + "\n", StandardCharsets.US_ASCII,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                } catch (IOException e) {
                    log.warn("cannot append to key log {}: {}", file, e.toString());
                }
            }
        };
    }

    /** A file key log when SSLKEYLOGFILE is set, else {@code null}. */
    static KeyLog fromEnvironment() {
        String file = System.getenv(ENVIRONMENT_VARIABLE);
        if (file == null || file.isBlank()) {
            return null;
        }
        return toFile(Path.of(file));
    }
}
