package org.dtlsip.dtls.engine;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The DTLS 1.3 tickets a server has already accepted, for single-use tickets (RFC 8446 8.1
 * recommends single use where replay matters; with psk_dhe_ke alone it limits how often a
 * stolen ticket can stand for its owner's authentication). A ticket is named by the SHA-256 of
 * its bytes: each sealing draws a fresh IV, so no two tickets share a name. Bounded: past
 * {@link #DEFAULT_CAPACITY} names the oldest is forgotten, so a ticket far enough back could be
 * used a second time; its lifetime bounds that window too. Thread-safe, one per server (share
 * one between servers that share ticket keys).
 */
public final class UsedTickets {
    /** Names remembered: 32 bytes each plus the map's overhead, about 2 MiB at this size. */
    public static final int DEFAULT_CAPACITY = 16_384;

    private final Map<ByteBuffer, Boolean> used;

    public UsedTickets(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("used-ticket capacity must be positive, got " + capacity);
        }
        this.used = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public static UsedTickets withDefaults() {
        return new UsedTickets(DEFAULT_CAPACITY);
    }

    /** Records the ticket; false when it was recorded before (the ticket was used already). */
    public boolean firstUse(byte[] ticket) {
        ByteBuffer name = ByteBuffer.wrap(sha256(ticket));
        synchronized (this) {
            return used.putIfAbsent(name, Boolean.TRUE) == null;
        }
    }

    private static byte[] sha256(byte[] ticket) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(ticket);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Tickets currently remembered. */
    public synchronized int size() {
        return used.size();
    }
}
