package org.dtlsip.bench;

import java.net.InetSocketAddress;

/** A contender whose client runs its own loop in another process (OpenSSL's C client). */
public interface ExternalClient {
    /** Handshake latencies in nanoseconds and the measured loop's total time. */
    record Handshakes(long[] nanos, long totalNanos) {
    }

    Handshakes handshakes(InetSocketAddress server, int warmup, int count) throws Exception;

    /** Sends {@code size}-byte records for {@code seconds}; returns how many were sent. */
    long bulk(InetSocketAddress server, double seconds, int size) throws Exception;
}
