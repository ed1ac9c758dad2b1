package org.dtlsip.dtls.record;

/**
 * The full number of a DTLS 1.3 record (RFC 9147 4): {@code struct { uint64 epoch; uint64
 * sequence_number; } RecordNumber;}. The wire carries only its low bits; this is what the
 * receiver reconstructs, what ACK messages list (RFC 9147 7) and, in its sequence part, what
 * the AEAD nonce is made from. Ordered by epoch, then sequence number, as ACKs must list them.
 */
public record RecordNumber(long epoch, long sequenceNumber) implements Comparable<RecordNumber> {
    /** RFC 9147 4: sequence numbers of an epoch never exceed 2^48 - 1 (and senders rekey first). */
    public static final long MAX_SEQUENCE_NUMBER = Record.MAX_SEQUENCE_NUMBER;

    /** @throws IllegalArgumentException for a negative epoch or sequence number */
    public RecordNumber {
        if (epoch < 0 || sequenceNumber < 0) {
            throw new IllegalArgumentException("record number out of range: " + epoch + "/" + sequenceNumber);
        }
    }

    @Override
    public int compareTo(RecordNumber o) {
        int c = Long.compare(epoch, o.epoch);
        return c != 0 ? c : Long.compare(sequenceNumber, o.sequenceNumber);
    }

    @Override
    public String toString() {
        return epoch + "/" + sequenceNumber;
    }
}
