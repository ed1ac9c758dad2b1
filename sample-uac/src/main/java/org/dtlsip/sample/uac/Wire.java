package org.dtlsip.sample.uac;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Packets and bytes through the loopback interface, from Linux's {@code /proc/net/dev}: every
 * datagram or TCP segment between two loopback peers crosses {@code lo} once, so the receive
 * counters are "on the wire" counts, frame headers included. They count everything on
 * {@code lo} in this network namespace; {@code bin/compare} runs each transport in a fresh
 * namespace so that only the calls are counted.
 */
public record Wire(long packets, long bytes) {
    private static final Path PROC_NET_DEV = Path.of("/proc/net/dev");

    /** The current counters, or {@code null} where they cannot be read (not Linux). */
    public static Wire loopback() {
        try {
            for (String line : Files.readAllLines(PROC_NET_DEV)) {
                String t = line.trim();
                if (t.startsWith("lo:")) {
                    String[] f = t.substring(3).trim().split("\\s+");
                    return new Wire(Long.parseLong(f[1]), Long.parseLong(f[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    public Wire minus(Wire earlier) {
        return new Wire(packets - earlier.packets, bytes - earlier.bytes);
    }
}
