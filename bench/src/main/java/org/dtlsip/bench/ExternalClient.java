package org.dtlsip.bench;

import java.net.InetSocketAddress;

/** A contender whose client runs its own loop in another process (OpenSSL's C client). */
public interface ExternalClient {
    /** Handshake latencies in nanoseconds and the measured loop's total time. */
    record Handshakes(long[] nanos, long totalNanos) {
    }

    /** Records sent in the measured loop and the sending process's CPU time over that loop. */
    record Sent(long records, CpuTimes cpu) {
    }

    /**
     * Whether the client side really is the external program; {@code ours-openssl} is an
     * {@link org.dtlsip.bench.peers.OpenSsl} contender whose client is ours.
     */
    default boolean runsClient() {
        return true;
    }

    Handshakes handshakes(InetSocketAddress server, int warmup, int count) throws Exception;

    /** Sends {@code size}-byte records for {@code seconds}. */
    Sent bulk(InetSocketAddress server, double seconds, int size) throws Exception;
}
