package org.dtlsip.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.dtlsip.dtls.engine.DtlsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends NSS key log lines (the SSLKEYLOGFILE format Wireshark reads: "CLIENT_RANDOM
 * client_random master_secret") so that a capture can be decrypted. Whoever reads the file
 * can decrypt the sessions; it is only written when a property names it.
 */
final class KeyLogFile {
    private static final Logger log = LoggerFactory.getLogger(KeyLogFile.class);
    private final Path file;

    KeyLogFile(Path file) {
        this.file = file;
    }

    void append(DtlsSession session) {
        String line = session.keyLogLine() + "\n";
        synchronized (KeyLogFile.class) {
            try {
                Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                log.warn("cannot append to DTLS key log {}: {}", file, e.toString());
            }
        }
    }
}
