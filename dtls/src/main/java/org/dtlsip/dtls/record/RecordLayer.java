package org.dtlsip.dtls.record;

import org.dtlsip.dtls.util.ByteWriter;

/**
 * Epoch state of one association: protection and sequence numbers for writing, protection
 * and replay windows for reading.
 *
 * <p>The previous epoch stays usable in both directions after a ChangeCipherSpec: a
 * retransmitted flight must go out in the epochs it was first sent in, with fresh sequence
 * numbers of those epochs (RFC 6347 4.1, 4.2.4), and the peer's retransmissions of its previous
 * flight still arrive in the old epoch. Epochs further back are forgotten.
 */
public final class RecordLayer {
    private final int version;
    /** The current and the previous epoch's states, at index epoch % 2; older epochs are gone. */
    private final WriteState[] writeStates = new WriteState[2];
    private final ReadState[] readStates = new ReadState[2];
    private int writeEpoch;
    private int readEpoch;

    private static final class WriteState {
        final int epoch;
        final RecordProtection protection;
        long nextSeq;

        WriteState(int epoch, RecordProtection protection, long firstSeq) {
            this.epoch = epoch;
            this.protection = protection;
            this.nextSeq = firstSeq;
        }
    }

    private static final class ReadState {
        final int epoch;
        final RecordProtection protection;
        final ReplayWindow window = new ReplayWindow();

        ReadState(int epoch, RecordProtection protection) {
            this.epoch = epoch;
            this.protection = protection;
        }
    }

    /** Outcome of unprotecting one record: the plaintext, or why it was dropped. */
    public record Opened(int contentType, int epoch, byte[] plaintext, DropReason drop, boolean nextEpoch) {
        static Opened dropped(DropReason reason) {
            return new Opened(0, 0, null, reason, false);
        }
    }

    /**
     * @param version the record version to write
     * @param firstWriteSeq the first epoch-0 sequence number to use; a server answering a
     *        cookie exchange continues from the ClientHello's (RFC 6347 4.2.1)
     */
    public RecordLayer(int version, long firstWriteSeq) {
        this.version = version;
        writeStates[0] = new WriteState(0, RecordProtection.NULL, firstWriteSeq);
        readStates[0] = new ReadState(0, RecordProtection.NULL);
    }

    public int writeEpoch() {
        return writeEpoch;
    }

    public int readEpoch() {
        return readEpoch;
    }

    public int version() {
        return version;
    }

    /** Starts writing in the next epoch; the previous one stays for retransmissions. */
    public void installWriteEpoch(RecordProtection protection) {
        writeEpoch++;
        writeStates[writeEpoch & 1] = new WriteState(writeEpoch, protection, 0);
    }

    /** Starts reading the next epoch; the previous one stays for the peer's retransmissions. */
    public void installReadEpoch(RecordProtection protection) {
        readEpoch++;
        readStates[readEpoch & 1] = new ReadState(readEpoch, protection);
    }

    /** Bytes that protection in {@code epoch} adds to a record, header included. */
    public int recordOverhead(int epoch) {
        return Record.HEADER_LENGTH + state(epoch).protection.overhead();
    }

    private WriteState state(int epoch) {
        WriteState s = writeStates[epoch & 1];
        if (s == null || s.epoch != epoch) {
            throw new IllegalStateException("epoch " + epoch + " is not writable");
        }
        return s;
    }

    /** One protected record of {@code epoch}, as its own array (an application record's datagram). */
    public byte[] encode(int epoch, int contentType, byte[] plaintext, int off, int len) {
        WriteState s = state(epoch);
        long seq = nextSequence(s, epoch);
        return s.protection.protectRecord(contentType, version, epoch, seq, plaintext, off, len);
    }

    private static long nextSequence(WriteState s, int epoch) {
        if (s.nextSeq > Record.MAX_SEQUENCE_NUMBER) {
            // RFC 6347 4.1: sequence numbers must not wrap; without renegotiation the only exit is closing.
            throw new IllegalStateException("sequence numbers of epoch " + epoch + " exhausted");
        }
        return s.nextSeq++;
    }

    /** Protects {@code plaintext} as one record of {@code epoch} and appends it to {@code out}. */
    public void write(ByteWriter out, int epoch, int contentType, byte[] plaintext) {
        WriteState s = state(epoch);
        long seq = nextSequence(s, epoch);
        byte[] fragment = s.protection.protect(contentType, version, epoch, seq, plaintext, 0, plaintext.length);
        RecordCodec.encode(out, contentType, version, epoch, seq, fragment);
    }

    /**
     * Authenticates and decrypts a record of the current or previous read epoch. A record of
     * the next epoch is reported with {@code nextEpoch} so the caller may hold it until the
     * ChangeCipherSpec arrives (RFC 6347 4.1: records may be reordered across the epoch change).
     */
    public Opened open(Record record) {
        ReadState s = readStates[record.epoch() & 1];
        if (s == null || s.epoch != record.epoch()) {
            if (record.epoch() == readEpoch + 1) {
                return new Opened(record.contentType(), record.epoch(), null, null, true);
            }
            return Opened.dropped(DropReason.UNEXPECTED_EPOCH);
        }
        if (s.window.isReplay(record.sequenceNumber())) {
            return Opened.dropped(DropReason.REPLAY);
        }
        byte[] plaintext = s.protection.unprotect(record);
        if (plaintext == null) {
            return Opened.dropped(DropReason.BAD_RECORD_MAC);
        }
        if (plaintext.length > Record.MAX_PLAINTEXT_LENGTH) {
            return Opened.dropped(DropReason.MALFORMED_RECORD);
        }
        s.window.markReceived(record.sequenceNumber());
        return new Opened(record.contentType(), record.epoch(), plaintext, null, false);
    }
}
