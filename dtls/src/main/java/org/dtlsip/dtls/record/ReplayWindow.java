package org.dtlsip.dtls.record;

/**
 * Sliding anti-replay window (RFC 6347 4.1.2.6, after RFC 4303 3.4.3). The check and the
 * update are separate on purpose: a record may only move the window after it authenticated,
 * or a forged record with a huge sequence number would make every later genuine record look
 * stale (the flaw behind CVE-2016-2181).
 */
public final class ReplayWindow {
    /** Records this far behind the newest authenticated one are still accepted once. */
    public static final int WINDOW_SIZE = 64;

    private long highest = -1;
    private long bitmap; // bit i set: (highest - i) has been received

    /** True when {@code seq} was already received or is too old to tell. */
    public boolean isReplay(long seq) {
        if (seq > highest) {
            return false;
        }
        long diff = highest - seq;
        if (diff >= WINDOW_SIZE) {
            return true;
        }
        return (bitmap & (1L << diff)) != 0;
    }

    /** Records an authenticated sequence number. */
    public void markReceived(long seq) {
        if (seq > highest) {
            long shift = seq - highest;
            bitmap = shift >= WINDOW_SIZE ? 0 : bitmap << shift;
            bitmap |= 1L;
            highest = seq;
        } else {
            long diff = highest - seq;
            if (diff < WINDOW_SIZE) {
                bitmap |= 1L << diff;
            }
        }
    }

    public long highest() {
        return highest;
    }
}
