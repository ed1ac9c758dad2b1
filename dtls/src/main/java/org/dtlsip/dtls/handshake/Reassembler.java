package org.dtlsip.dtls.handshake;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reassembles incoming handshake fragments into messages and releases them strictly in
 * message_seq order (RFC 6347 4.2.2: "the receiver MUST buffer [future messages] until it has
 * the previous messages"; 4.2.3: fragments may arrive in any order and may overlap).
 *
 * <p>One instance serves one direction of one association; it is mutable and not thread-safe.
 * Everything a peer can make it hold is bounded by {@link Limits}: how far ahead it buffers,
 * how large one message may be, how many bytes all partial messages may occupy, and how
 * fragmented one message may be ({@link #MAX_RANGES_PER_MESSAGE}). Memory for a message is
 * allocated only when its first non-empty fragment arrives and only after those checks pass,
 * so a header claiming a 16 MiB message costs nothing.
 *
 * <p>CPU per fragment is O(fragment length + {@link #MAX_RANGES_PER_MESSAGE}): received bytes
 * are tracked as at most that many merged, sorted, disjoint intervals.
 *
 * <p>Typical use by the engine: {@link #offer} each fragment, act on {@link Offer#OLD} (the peer
 * retransmitted a message we already processed, RFC 6347 4.2.4, so our last flight may have
 * been lost), then call {@link #poll} until it returns {@code null}.
 */
public final class Reassembler {

    /**
     * The most disjoint received intervals tracked per message. An honest peer fragments a
     * message into contiguous pieces sized to its PMTU, so even out of order delivery leaves
     * few gaps; a peer that sends thousands of 1-byte fragments with gaps would otherwise make
     * each offer scan an ever longer list. A fragment that would exceed this is dropped
     * ({@link Offer#OVER_BUDGET}); the peer's retransmission, which RFC 6347 4.2.4 makes it send
     * whole, fills the gaps.
     */
    public static final int MAX_RANGES_PER_MESSAGE = 64;

    /**
     * Default cap on one message body. Our messages are all small except Certificate; a
     * certificate chain rarely exceeds a few KiB, so 64 KiB leaves ample room while bounding the
     * buffer a single header can make us allocate (the wire allows 2^24 - 1).
     */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 65_536;

    /**
     * Default number of message_seq values beyond the next expected one that are buffered.
     * The largest flight (server Certificate ... ServerHelloDone) is five messages, so eight
     * accepts any reordering within a flight; anything further ahead cannot be legitimate for
     * the current flight. Bouncy Castle's DTLSReliableHandshake uses a window of 16
     * (MAX_RECEIVE_AHEAD); a smaller window costs nothing for conforming peers.
     */
    public static final int DEFAULT_MAX_LOOKAHEAD = 8;

    /**
     * Default cap on bytes held by all partially or fully received but unconsumed messages:
     * two maximum-size messages, enough for a large certificate plus the rest of its flight.
     */
    public static final int DEFAULT_MAX_BUFFERED_BYTES = 128 * 1024;

    /**
     * What an {@link #offer} did with a fragment. Every value other than {@link #BUFFERED} and
     * {@link #COMPLETED_NEXT} means the fragment was discarded and the reassembler is unchanged.
     */
    public enum Offer {
        /** Stored (or a zero-length message recorded); the next expected message is not complete. */
        BUFFERED,
        /** The next expected message is now complete: {@link #poll} will return it. */
        COMPLETED_NEXT,
        /**
         * message_seq is below the next expected one: a retransmission of a message already
         * handed out. RFC 6347 4.2.4 uses this to detect that the peer lost our last flight.
         */
        OLD,
        /** Every byte of the fragment had already been received (or it carries no bytes). */
        DUPLICATE,
        /** message_seq is more than {@link Limits#maxLookahead} beyond the next expected one. */
        TOO_FAR_AHEAD,
        /** The declared message length exceeds {@link Limits#maxMessageLength}. */
        TOO_LARGE,
        /**
         * Accepting the fragment would exceed {@link Limits#maxBufferedBytes} or fragment the
         * message into more than {@link #MAX_RANGES_PER_MESSAGE} pieces.
         */
        OVER_BUDGET,
        /**
         * Inconsistent with earlier fragments of the same message_seq: a different msg_type or
         * length, or overlapping bytes that differ from those already received (RFC 6347 4.2.3
         * requires them identical). Which copy is genuine cannot be known (in epoch 0 neither
         * is authenticated), so the earlier bytes are discarded and the message starts over
         * from this fragment, which may complete it: {@link #poll} as usual. Keeping the first
         * copy instead let one early forged fragment pin the message until the handshake timed
         * out; starting over lets the peer's retransmission, which repeats whole messages
         * (RFC 6347 4.2.4), complete it.
         */
        CONFLICT,
        /** msg_type is not a {@link HandshakeType} this implementation knows. */
        UNKNOWN_TYPE
    }

    /**
     * Resource limits for one reassembler.
     *
     * @param maxMessageLength largest accepted message body, 0 .. 2^24-1
     * @param maxLookahead how many message_seq values past the next expected one may be
     *     buffered; 0 accepts only the next expected message
     * @param maxBufferedBytes total bytes of message buffers held at once
     */
    public record Limits(int maxMessageLength, int maxLookahead, int maxBufferedBytes) {
        public Limits {
            if (maxMessageLength < 0 || maxMessageLength > HandshakeFragment.MAX_UINT24) {
                throw new IllegalArgumentException("maxMessageLength out of range: " + maxMessageLength);
            }
            if (maxLookahead < 0 || maxLookahead > HandshakeFragment.MAX_MESSAGE_SEQ) {
                throw new IllegalArgumentException("maxLookahead out of range: " + maxLookahead);
            }
            if (maxBufferedBytes < 0) {
                throw new IllegalArgumentException("maxBufferedBytes negative: " + maxBufferedBytes);
            }
        }

        /** {@link #DEFAULT_MAX_MESSAGE_LENGTH}, {@link #DEFAULT_MAX_LOOKAHEAD}, {@link #DEFAULT_MAX_BUFFERED_BYTES}. */
        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_LOOKAHEAD,
                    DEFAULT_MAX_BUFFERED_BYTES);
        }
    }

    private final Limits limits;
    private final Map<Integer, Partial> partials = new HashMap<>();
    private int nextExpectedSeq;
    private int bufferedBytes;

    /**
     * @param nextExpectedSeq the first message_seq to deliver: 0 for a new handshake, 1 for a
     *     server that answered with HelloVerifyRequest (RFC 6347 4.2.2)
     */
    public Reassembler(int nextExpectedSeq, Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        reset(nextExpectedSeq);
    }

    /**
     * The message_seq {@link #poll} delivers next. After message 65535 this is 65536, which no
     * fragment can carry, so every later fragment is {@link Offer#OLD}: a handshake never comes
     * near that many messages, and RFC 6347 4.2.2 gives message_seq no wraparound rule.
     */
    public int nextExpectedSeq() {
        return nextExpectedSeq;
    }

    /** Bytes currently allocated for buffered messages, counted against maxBufferedBytes. */
    public int bufferedBytes() {
        return bufferedBytes;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Disjoint byte ranges held for message {@code messageSeq} (0 when none): what one offer
     * for it scans, at most {@link #MAX_RANGES_PER_MESSAGE}. For tests that bound work by counts.
     */
    int rangeCount(int messageSeq) {
        Partial p = partials.get(messageSeq);
        return p == null ? 0 : p.count;
    }

    /**
     * Drops every buffered fragment and expects {@code nextExpectedSeq} next; 65536 (past the
     * last message_seq, see {@link #nextExpectedSeq()}) makes every later fragment old.
     */
    public void reset(int nextExpectedSeq) {
        if (nextExpectedSeq < 0 || nextExpectedSeq > HandshakeFragment.MAX_MESSAGE_SEQ + 1) {
            throw new IllegalArgumentException("message_seq out of range: " + nextExpectedSeq);
        }
        this.nextExpectedSeq = nextExpectedSeq;
        partials.clear();
        bufferedBytes = 0;
    }

    /** Considers one received fragment; see {@link Offer} for the outcomes. */
    public Offer offer(HandshakeFragment f) {
        if (HandshakeType.of(f.msgType()) == null) {
            return Offer.UNKNOWN_TYPE;
        }
        int seq = f.messageSeq();
        if (seq < nextExpectedSeq) {
            return Offer.OLD;
        }
        if (seq - nextExpectedSeq > limits.maxLookahead()) {
            return Offer.TOO_FAR_AHEAD;
        }
        if (f.length() > limits.maxMessageLength()) {
            return Offer.TOO_LARGE;
        }
        Partial p = partials.get(seq);
        if (p != null && (p.msgType != f.msgType() || p.buf.length != f.length())) {
            return restart(seq, p, f);
        }
        if (f.length() == 0) {
            // A zero-length message (ServerHelloDone, HelloRequest) is complete on arrival.
            if (p != null) {
                return Offer.DUPLICATE;
            }
            p = new Partial(f.msgType(), 0);
            partials.put(seq, p);
        } else if (f.fragmentLength() == 0) {
            // Carries no bytes of a non-empty message: nothing to store, nothing to allocate.
            return Offer.DUPLICATE;
        } else {
            boolean fresh = p == null;
            if (fresh) {
                if ((long) bufferedBytes + f.length() > limits.maxBufferedBytes()) {
                    return Offer.OVER_BUDGET;
                }
                p = new Partial(f.msgType(), f.length());
            }
            Offer added = p.add(f);
            if (added == Offer.CONFLICT) {
                return restart(seq, p, f);
            }
            if (added != Offer.BUFFERED) {
                return added;
            }
            if (fresh) {
                partials.put(seq, p);
                bufferedBytes += p.buf.length;
            }
        }
        return seq == nextExpectedSeq && p.isComplete() ? Offer.COMPLETED_NEXT : Offer.BUFFERED;
    }

    /** Replaces the partial message {@code old} by one that starts with {@code f}; see {@link Offer#CONFLICT}. */
    private Offer restart(int seq, Partial old, HandshakeFragment f) {
        if ((long) bufferedBytes - old.buf.length + f.length() > limits.maxBufferedBytes()) {
            return Offer.OVER_BUDGET;
        }
        partials.remove(seq);
        bufferedBytes -= old.buf.length;
        if (f.length() > 0 && f.fragmentLength() == 0) {
            return Offer.CONFLICT; // nothing to start from, so nothing is allocated
        }
        Partial p = new Partial(f.msgType(), f.length());
        if (f.length() > 0) {
            p.add(f); // the first range of an empty message: always stored
        }
        partials.put(seq, p);
        bufferedBytes += p.buf.length;
        return Offer.CONFLICT;
    }

    /**
     * The next expected message if all of it has arrived, advancing {@link #nextExpectedSeq}
     * and freeing its buffer; otherwise {@code null}. Later messages may already be complete,
     * so callers loop until this returns {@code null}.
     */
    public HandshakeMessage poll() {
        Partial p = partials.get(nextExpectedSeq);
        if (p == null || !p.isComplete()) {
            return null;
        }
        partials.remove(nextExpectedSeq);
        bufferedBytes -= p.buf.length;
        HandshakeMessage m = new HandshakeMessage(HandshakeType.of(p.msgType), nextExpectedSeq, p.buf);
        nextExpectedSeq++;
        return m;
    }

    /** A message being reassembled: its buffer and the sorted, disjoint, non-adjacent received ranges. */
    private static final class Partial {
        private static final int INITIAL_RANGES = 4;

        final int msgType;
        final byte[] buf;
        private int[] starts = new int[INITIAL_RANGES];
        private int[] ends = new int[INITIAL_RANGES];
        private int count;

        Partial(int msgType, int length) {
            this.msgType = msgType;
            this.buf = new byte[length];
        }

        boolean isComplete() {
            return buf.length == 0 || (count == 1 && starts[0] == 0 && ends[0] == buf.length);
        }

        /** Adds a non-empty fragment; returns BUFFERED, DUPLICATE, CONFLICT or OVER_BUDGET. */
        Offer add(HandshakeFragment f) {
            int s = f.fragmentOffset();
            int e = f.fragmentEnd();
            // Ranges [lo, hi) touch or overlap [s, e) and will merge with it.
            int lo = 0;
            while (lo < count && ends[lo] < s) {
                lo++;
            }
            int hi = lo;
            boolean covered = false;
            while (hi < count && starts[hi] <= e) {
                int os = Math.max(s, starts[hi]);
                int oe = Math.min(e, ends[hi]);
                if (os < oe && !f.regionEquals(os - s, buf, os, oe - os)) {
                    return Offer.CONFLICT;
                }
                if (starts[hi] <= s && ends[hi] >= e) {
                    covered = true;
                }
                hi++;
            }
            if (covered) {
                return Offer.DUPLICATE;
            }
            int newCount = count - (hi - lo) + 1;
            if (newCount > MAX_RANGES_PER_MESSAGE) {
                return Offer.OVER_BUDGET;
            }
            int ms = lo < hi ? Math.min(s, starts[lo]) : s;
            int me = lo < hi ? Math.max(e, ends[hi - 1]) : e;
            if (newCount > starts.length) {
                int cap = Math.min(MAX_RANGES_PER_MESSAGE, starts.length * 2);
                starts = Arrays.copyOf(starts, cap);
                ends = Arrays.copyOf(ends, cap);
            }
            // Replace [lo, hi) by one range: shift the tail by (1 - (hi - lo)).
            int tail = count - hi;
            System.arraycopy(starts, hi, starts, lo + 1, tail);
            System.arraycopy(ends, hi, ends, lo + 1, tail);
            starts[lo] = ms;
            ends[lo] = me;
            count = newCount;
            f.copyTo(0, buf, s, e - s);
            return Offer.BUFFERED;
        }
    }
}
