package org.dtlsip.dtls.record;

import java.util.Arrays;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * Epoch state of one association: protection and sequence numbers for writing, protection
 * and replay windows for reading.
 *
 * <p>The previous epoch stays usable in both directions after a ChangeCipherSpec: a
 * retransmitted flight must go out in the epochs it was first sent in, with fresh sequence
 * numbers of those epochs (RFC 6347 4.1, 4.2.4), and the peer's retransmissions of its previous
 * flight still arrive in the old epoch. Epochs further back are forgotten.
 *
 * <p>Connection IDs (RFC 9146), once the hellos agreed on them ({@link #useConnectionIds}):
 * every protected record (epoch 1 on, from the Finished) to a peer that asked for a non-empty
 * ID is a tls12_cid record carrying that ID, whose protected payload is the DTLSInnerPlaintext
 * {@code content || real_type || zeros}; a peer that asked for an empty one gets RFC 6347
 * records (RFC 9146 3). Reading mirrors it: when we asked for a non-empty ID, a protected
 * record must be a tls12_cid record with exactly our ID, anything else is dropped (RFC 9146 3).
 *
 * <p>Sequence numbers never wrap (RFC 6347 4.1, RFC 5246 6.1): when an epoch runs out, writing
 * reports it instead of throwing, and the association must end. The last number of each epoch is
 * kept for the alert that ends it ({@link #writeFinal}), so even then the peer is told.
 */
public final class RecordLayer {
    private final int version;
    /** The current and the previous epoch's states, at index epoch % 2; older epochs are gone. */
    private final WriteState[] writeStates = new WriteState[2];
    private final ReadState[] readStates = new ReadState[2];
    private int writeEpoch;
    private int readEpoch;
    /** The ID the peer puts in records to us; empty: none. */
    private byte[] localConnectionId = RecordProtection.NO_CONNECTION_ID;
    /** The ID we put in records to the peer; empty: none. */
    private byte[] peerConnectionId = RecordProtection.NO_CONNECTION_ID;

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

    /**
     * Outcome of unprotecting one record: the plaintext and its real content type (from the
     * DTLSInnerPlaintext for a tls12_cid record), or why it was dropped.
     */
    public record Opened(int contentType, int epoch, byte[] plaintext, DropReason drop) {
        static Opened dropped(DropReason reason) {
            return new Opened(0, 0, null, reason);
        }
    }

    /**
     * @param version the record version to write
     * @param firstWriteSeq the first epoch-0 sequence number to use; a server answering a
     *        cookie exchange continues from the ClientHello's (RFC 6347 4.2.1)
     * @throws IllegalArgumentException if {@code firstWriteSeq} is not a 48-bit sequence number
     */
    public RecordLayer(int version, long firstWriteSeq) {
        if (firstWriteSeq < 0 || firstWriteSeq > Record.MAX_SEQUENCE_NUMBER) {
            throw new IllegalArgumentException("first sequence number " + firstWriteSeq + " is not in [0, 2^48-1]");
        }
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

    /** How {@code epoch} stands to the epoch read now: what an acceptance table is keyed by. */
    public EpochRelation relation(int epoch) {
        if (epoch == readEpoch) {
            return EpochRelation.CURRENT;
        }
        if (epoch == readEpoch + 1) {
            return EpochRelation.NEXT;
        }
        return epoch == readEpoch - 1 ? EpochRelation.PREVIOUS : EpochRelation.OTHER;
    }

    public int version() {
        return version;
    }

    /**
     * Starts using connection IDs as the hellos agreed (RFC 9146 3), before any protected
     * record is written or read.
     *
     * @param local the ID the peer must put in records to us; empty for none
     * @param peer the ID we must put in records to the peer; empty for none
     */
    public void useConnectionIds(byte[] local, byte[] peer) {
        this.localConnectionId = local.clone();
        this.peerConnectionId = peer.clone();
    }

    /** The length of the connection IDs in records to us, 0 for none: what {@link RecordCodec#parse} needs. */
    public int localConnectionIdLength() {
        return localConnectionId.length;
    }

    /** Whether records of {@code epoch} carry the peer's connection ID (RFC 9146 3: from epoch 1, if it asked for one). */
    public boolean writesConnectionId(int epoch) {
        return epoch > 0 && peerConnectionId.length > 0;
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

    /** The largest content a record of {@code epoch} can carry: 2^14, less the real type byte of a DTLSInnerPlaintext (RFC 9146 5). */
    public int maxPlaintextLength(int epoch) {
        return writesConnectionId(epoch) ? Record.MAX_PLAINTEXT_LENGTH - 1 : Record.MAX_PLAINTEXT_LENGTH;
    }

    /** Bytes that protection in {@code epoch} adds to a record, header included. */
    public int recordOverhead(int epoch) {
        int overhead = Record.HEADER_LENGTH + state(epoch).protection.overhead();
        // RFC 9146 4: the ID in the header, and the real content type inside the protection.
        return writesConnectionId(epoch) ? overhead + peerConnectionId.length + 1 : overhead;
    }

    private WriteState state(int epoch) {
        WriteState s = writeStates[epoch & 1];
        if (s == null || s.epoch != epoch) {
            throw new IllegalStateException("epoch " + epoch + " is not writable");
        }
        return s;
    }

    /**
     * One protected record of {@code epoch}, as its own array (an application record's
     * datagram), or {@code null} when the epoch's sequence numbers are exhausted.
     */
    public byte[] encode(int epoch, int contentType, byte[] plaintext, int off, int len) {
        if (writesConnectionId(epoch)) {
            ByteWriter out = new ByteWriter(len + 64);
            boolean written = write(out, epoch, contentType, java.util.Arrays.copyOfRange(plaintext, off, off + len));
            return written ? out.toByteArray() : null;
        }
        WriteState s = state(epoch);
        long seq = nextSequence(s, false);
        if (seq < 0) {
            return null;
        }
        return s.protection.protectRecord(contentType, version, epoch, seq, plaintext, off, len);
    }

    /**
     * {@link #encode} into {@code out} at {@code at} rather than a new array: the bulk send
     * path, which reuses one buffer per association. Without connection IDs nothing is
     * allocated for AEAD suites; with them the DTLSInnerPlaintext is built in a new array first.
     *
     * @return the record's length, or -1 when the epoch's sequence numbers are exhausted
     * @throws IllegalArgumentException if the record does not fit in {@code out} after {@code at}
     *     (it then takes no sequence number): {@link #recordOverhead} plus the payload is enough
     */
    public int encodeInto(int epoch, int contentType, byte[] plaintext, int off, int len, byte[] out, int at) {
        if (writesConnectionId(epoch)) {
            if (out.length - at < len + recordOverhead(epoch)) {
                throw new IllegalArgumentException("record of up to " + (len + recordOverhead(epoch))
                        + " bytes does not fit " + (out.length - at) + " bytes of output");
            }
            byte[] record = encode(epoch, contentType, plaintext, off, len);
            if (record == null) {
                return -1;
            }
            System.arraycopy(record, 0, out, at, record.length);
            return record.length;
        }
        WriteState s = state(epoch);
        if (out.length - at < len + recordOverhead(epoch)) {
            throw new IllegalArgumentException("record of up to " + (len + recordOverhead(epoch))
                    + " bytes does not fit " + (out.length - at) + " bytes of output");
        }
        long seq = nextSequence(s, false);
        if (seq < 0) {
            return -1;
        }
        return s.protection.protectRecordInto(contentType, version, epoch, seq, plaintext, off, len, out, at);
    }

    /** The sequence number the record last written in {@code epoch} took (what a trace reports). */
    public long lastSequenceNumber(int epoch) {
        return state(epoch).nextSeq - 1;
    }

    /** True when {@code epoch} has no sequence number left but the one kept for the final alert. */
    public boolean exhausted(int epoch) {
        return state(epoch).nextSeq >= Record.MAX_SEQUENCE_NUMBER;
    }

    /**
     * The next sequence number, or -1 when none is left (RFC 6347 4.1: they never wrap). The
     * last one is handed out only for the final alert.
     */
    private static long nextSequence(WriteState s, boolean finalAlert) {
        long last = finalAlert ? Record.MAX_SEQUENCE_NUMBER : Record.MAX_SEQUENCE_NUMBER - 1;
        if (s.nextSeq > last) {
            return -1;
        }
        return s.nextSeq++;
    }

    /**
     * Protects {@code plaintext} as one record of {@code epoch} and appends it to {@code out};
     * false, with nothing written, when the epoch's sequence numbers are exhausted.
     */
    public boolean write(ByteWriter out, int epoch, int contentType, byte[] plaintext) {
        return write(out, epoch, contentType, plaintext, false);
    }

    /**
     * Writes the alert that ends the association, using the sequence number kept for it when
     * the others are spent; false only when even that one was used.
     */
    public boolean writeFinal(ByteWriter out, int epoch, byte[] alert) {
        return write(out, epoch, ContentType.ALERT.code, alert, true);
    }

    private boolean write(ByteWriter out, int epoch, int contentType, byte[] plaintext, boolean finalAlert) {
        WriteState s = state(epoch);
        long seq = nextSequence(s, finalAlert);
        if (seq < 0) {
            return false;
        }
        if (writesConnectionId(epoch)) {
            // DTLSInnerPlaintext without padding: content || real_type (RFC 9146 4).
            byte[] inner = Arrays.copyOf(plaintext, plaintext.length + 1);
            inner[plaintext.length] = (byte) contentType;
            byte[] fragment = s.protection.protect(ContentType.TLS12_CID.code, version, epoch, seq, peerConnectionId,
                    inner, 0, inner.length);
            RecordCodec.encode(out, version, epoch, seq, peerConnectionId, fragment);
            return true;
        }
        byte[] fragment = s.protection.protect(contentType, version, epoch, seq, plaintext, 0, plaintext.length);
        RecordCodec.encode(out, contentType, version, epoch, seq, fragment);
        return true;
    }

    /**
     * Authenticates and decrypts a record of the current or previous read epoch
     * ({@link #relation}); a record of any other epoch is dropped, since no keys for it are
     * installed (the caller decides whether to hold a next-epoch record until they are).
     */
    public Opened open(Record record) {
        boolean cidRecord = record.contentType() == ContentType.TLS12_CID.code;
        if (cidRecord) {
            // Only after the hellos agreed on our ID, only protected, only with our ID.
            if (localConnectionId.length == 0 || record.epoch() == 0) {
                return Opened.dropped(DropReason.UNEXPECTED_CONNECTION_ID);
            }
            if (!Arrays.equals(localConnectionId, record.connectionId())) {
                return Opened.dropped(DropReason.UNKNOWN_CONNECTION_ID);
            }
        } else if (record.epoch() > 0 && localConnectionId.length > 0) {
            // RFC 9146 3: we expect a non-empty ID, so a protected record without one is dropped.
            return Opened.dropped(DropReason.MISSING_CONNECTION_ID);
        }
        ReadState s = readStates[record.epoch() & 1];
        if (s == null || s.epoch != record.epoch()) {
            return Opened.dropped(DropReason.UNEXPECTED_EPOCH);
        }
        // Epoch 0 has no authentication, so a window there would only let one spoofed record
        // with a huge sequence number make every genuine plaintext record look like a replay
        // and stall the handshake; the handshake layer's message_seq already ignores repeats.
        boolean windowed = record.epoch() > 0;
        if (windowed && s.window.isReplay(record.sequenceNumber())) {
            return Opened.dropped(DropReason.REPLAY);
        }
        byte[] plaintext = s.protection.unprotect(record);
        if (plaintext == null) {
            return Opened.dropped(DropReason.BAD_RECORD_MAC);
        }
        int contentType = record.contentType();
        if (cidRecord) {
            // DTLSInnerPlaintext: the last non-zero byte is the real type (RFC 9146 4, RFC 8446 5.4).
            int end = plaintext.length;
            while (end > 0 && plaintext[end - 1] == 0) {
                end--;
            }
            if (end == 0) {
                return Opened.dropped(DropReason.MALFORMED_RECORD);
            }
            contentType = plaintext[end - 1] & 0xff;
            plaintext = Arrays.copyOf(plaintext, end - 1);
        }
        if (plaintext.length > Record.MAX_PLAINTEXT_LENGTH) {
            return Opened.dropped(DropReason.MALFORMED_RECORD);
        }
        if (windowed) {
            s.window.markReceived(record.sequenceNumber());
        }
        return new Opened(contentType, record.epoch(), plaintext, null);
    }
}
