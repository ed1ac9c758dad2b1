package org.dtlsip.bench;

import java.util.concurrent.atomic.AtomicLong;

/** What a contender's server received: application records and their bytes, resettable. */
public final class ReceiveCounters {
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    /** Counts one application record of {@code length} bytes. */
    public void record(long length) {
        records.incrementAndGet();
        bytes.addAndGet(length);
    }

    public long records() {
        return records.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public void reset() {
        records.set(0);
        bytes.set(0);
    }
}
