package org.dtlsip.dtls.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.record.RecordNumber;

/**
 * What our next DTLS 1.3 ACK says and when it is due (RFC 9147 7.1): the records of the
 * peer's current flight received so far. A flight we send in answer acknowledges them
 * implicitly ({@link #clear}); a partial flight is acknowledged after a quarter of the
 * retransmission timer, so the peer resends only what is missing; the peer's last flight, a
 * NewSessionTicket or a KeyUpdate is acknowledged at once.
 */
final class Dtls13Acks {
    /** RFC 9147 7.1: a partial flight is ACKed after a quarter of the retransmission timer. */
    static final int TIMER_DIVISOR = 4;

    /**
     * Record numbers held for the next ACK, at most: one ACK record's worth. A peer can make
     * any number of records carry something new (fragments restarting a partial message), and
     * RFC 9147 7 lets an ACK omit records; the newest are kept, as they describe the peer's
     * current transmission.
     */
    static final int MAX_RECORDS = Ack.MAX_ENTRIES;

    /** In arrival order, each once: O(1) to test and to drop the oldest. */
    private final LinkedHashSet<RecordNumber> received = new LinkedHashSet<>();
    private long deadline = Long.MAX_VALUE;

    /** A record of the peer's flight arrived with something new in it. */
    void note(RecordNumber number) {
        if (received.add(number) && received.size() > MAX_RECORDS) {
            Iterator<RecordNumber> oldest = received.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** How many record numbers the next ACK would list. */
    int size() {
        return received.size();
    }

    /** Our answering flight acknowledged the peer's implicitly. */
    void clear() {
        received.clear();
        deadline = Long.MAX_VALUE;
    }

    /** After a datagram: with part of a flight held and no ACK scheduled, schedule one. */
    void scheduleIfHolding(long now, long timerMillis) {
        if (!received.isEmpty() && deadline == Long.MAX_VALUE) {
            deadline = now + Math.max(1, timerMillis / TIMER_DIVISOR);
        }
    }

    long deadline() {
        return deadline;
    }

    /**
     * The ACK to send now, listing what was received in ascending order (RFC 9147 7), at most
     * what one record holds; the list starts over.
     */
    Ack take() {
        List<RecordNumber> numbers = new ArrayList<>(received);
        clear();
        Collections.sort(numbers);
        if (numbers.size() > Ack.MAX_ENTRIES) {
            numbers = numbers.subList(numbers.size() - Ack.MAX_ENTRIES, numbers.size());
        }
        return new Ack(numbers);
    }
}
