package org.dtlsip.media.srtp;

/**
 * The receiver's replay list (RFC 3711 3.3.2) as a sliding window over packet indices: the
 * highest index authenticated and a bitmap of the {@link #WINDOW_SIZE} below it. Check before
 * authenticating, {@link #accept} only after, so that a forged packet cannot move the window.
 */
public final class SrtpReplayWindow {
    /** RFC 3711 3.3.2: SRTP_WINDOW_SIZE must be at least 64. */
    public static final int WINDOW_SIZE = 64;

    private long highest = -1;
    /** Bit i set: index {@code highest - i} was accepted. */
    private long bitmap;

    /** @throws SrtpException REPLAYED or TOO_OLD */
    public void check(long index) throws SrtpException {
        if (index > highest) {
            return;
        }
        long age = highest - index;
        if (age >= WINDOW_SIZE) {
            throw new SrtpException(SrtpException.Reason.TOO_OLD, "index " + index + " is " + age
                    + " behind the highest accepted, beyond the replay window of " + WINDOW_SIZE);
        }
        if ((bitmap & (1L << age)) != 0) {
            throw new SrtpException(SrtpException.Reason.REPLAYED, "index " + index + " already received");
        }
    }

    /** Records an authenticated index. */
    public void accept(long index) {
        if (index > highest) {
            long shift = index - highest;
            bitmap = shift >= WINDOW_SIZE ? 1L : (bitmap << shift) | 1L;
            highest = index;
        } else {
            bitmap |= 1L << (highest - index);
        }
    }

    /** The highest index accepted, -1 before any. */
    public long highest() {
        return highest;
    }
}
