package org.dtlsip.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which UDP socket holds a loopback port, read from Linux's /proc/net/udp without touching the
 * port: an external server that rebinds between clients is seen to have done so when the inode
 * of the socket on its port changes.
 */
final class BoundSockets {
    /** No socket on the port, or no /proc/net/udp to read. */
    static final long UNKNOWN = -1;
    /** IPv4 sockets, then IPv6 ones (the JDK's sockets are dual-stack IPv6 ones by default). */
    private static final List<Path> UDP_TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    /** Columns of a /proc/net/udp row: sl, local_address, rem_address, st, queues, timer, retrnsmt, uid, timeout, inode. */
    private static final int LOCAL_ADDRESS = 1;
    private static final int INODE = 9;

    private BoundSockets() {
    }

    /**
     * The inode of the UDP socket bound to {@code port} on any local address (the benchmarks
     * pick a free port, so one socket at most holds it).
     */
    static long udpInode(int port) {
        for (Path table : UDP_TABLES) {
            try {
                long inode = udpInode(Files.readAllLines(table), port);
                if (inode != UNKNOWN) {
                    return inode;
                }
            } catch (IOException | SecurityException e) {
                // no such table here (no IPv6, or not Linux): the other one, or UNKNOWN
            }
        }
        return UNKNOWN;
    }

    /** Whether this machine has the tables at all, i.e. {@link #udpInode(int)} can be believed. */
    static boolean available() {
        return Files.isReadable(UDP_TABLES.get(0));
    }

    static long udpInode(List<String> rows, int port) {
        String suffix = String.format(Locale.ROOT, ":%04X", port);
        for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
            String[] f = row.trim().split("\\s+");
            if (f.length > INODE && f[LOCAL_ADDRESS].endsWith(suffix)) {
                return Long.parseLong(f[INODE]);
            }
        }
        return UNKNOWN;
    }
}
