package org.dtlsip.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * User and system CPU time, in nanoseconds, of the calling thread ({@link ThreadMXBean}) or of a
 * whole process ({@code /proc/PID/stat}, fields utime and stime, in clock ticks of 10 ms: the
 * Linux USER_HZ). Process figures are coarse (10 ms), so they are meant for intervals of seconds.
 */
public record CpuTimes(long userNanos, long sysNanos) {
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Not measured (no /proc, or the process is gone). */
    public static final CpuTimes UNKNOWN = new CpuTimes(-1, -1);

    public static CpuTimes currentThread() {
        long cpu = THREADS.getCurrentThreadCpuTime();
        long user = THREADS.getCurrentThreadUserTime();
        return new CpuTimes(user, cpu - user);
    }

    /** Of the process {@code pid} ("self" for this JVM). */
    public static CpuTimes process(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTimes(Long.parseLong(f[11]) * NANOS_PER_TICK, Long.parseLong(f[12]) * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    public boolean known() {
        return userNanos >= 0;
    }

    public long totalNanos() {
        return userNanos + sysNanos;
    }

    /** {@code this} minus {@code earlier}; unknown if either is. */
    public CpuTimes since(CpuTimes earlier) {
        return known() && earlier.known() ? new CpuTimes(userNanos - earlier.userNanos, sysNanos - earlier.sysNanos) : UNKNOWN;
    }

    public CpuTimes minus(CpuTimes other) {
        return since(other);
    }
}
