package org.dtlsip.dtls.util;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps at most {@code maxEntries}, dropping the least recently used (read or written)
 * when a put goes past the bound. Not thread-safe: the caches that use it synchronise.
 */
public final class LruMap<K, V> extends LinkedHashMap<K, V> {
    private static final long serialVersionUID = 1L;

    private final int maxEntries;

    public LruMap(int maxEntries) {
        super(16, 0.75f, true);
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("an LRU map must hold at least one entry, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > maxEntries;
    }
}
