package org.dtlsip.dtls.record;

import java.util.Arrays;
import org.dtlsip.dtls.crypto.RecordNumberCipher;

/**
 * The DTLS 1.3 record layer of one association (RFC 9147 4): epochs with their protection,
 * sequence numbers and replay windows; sealing content into DTLSPlaintext (epoch 0) or
 * DTLSCiphertext records; opening parsed records.
 *
 * <h2>Writing</h2>
 * Epoch 0 writes DTLSPlaintext. Protected epochs write a unified header with a 16-bit sequence
 * number and a length ({@link #SEQUENCE_NUMBER_LENGTH}), the peer's connection ID when it asked
 * for one, then the DTLSInnerPlaintext {@code content || type || zeros}, padded so that the
 * ciphertext has the 16 bytes record number encryption samples (RFC 9147 4.2.3; only
 * AES_128_CCM_8's 8-byte tag ever needs it). Retransmissions must use the epoch of the original
 * (RFC 9147 4.2.1), so earlier write epochs stay installed until {@link #retireWriteEpoch}.
 *
 * <h2>Reading</h2>
 * A ciphertext record names its epoch by two bits. At most four protected read epochs are
 * installed, with distinct low bits, so the bits name one of them: the most recent with those
 * bits, which is RFC 9147 4.2.2's rule; installing an epoch retires the one four below it. The
 * sequence number is decrypted, reconstructed as the value closest to one past the highest
 * authenticated record of the epoch, and only then is the record authenticated; the replay
 * check follows authentication and the window moves only for authentic records (RFC 9147
 * 4.5.1). Epoch 0 has no window: it is unauthenticated, and the handshake layer discards
 * repeated messages by message_seq.
 *
 * <p>Not thread-safe; one instance per association.
 */
public final class Dtls13RecordLayer {
    /**
     * Bytes of sequence number we send: 16 bits, so the receiver reconstructs correctly across
     * up to 2^15 records of reordering, where 8 bits allow 128 (RFC 9147 4.2.2).
     */
    public static final int SEQUENCE_NUMBER_LENGTH = 2;
    /** Protected read epochs kept at once: one per value of the two epoch bits (RFC 9147 4.2.2). */
    public static final int MAX_READ_EPOCHS = 4;
    /**
     * Write epochs kept at once: epoch 0 (hellos), 2 (handshake) and 3 (application data) while
     * the last flight may still be retransmitted, or two application epochs across a KeyUpdate.
     */
    public static final int MAX_WRITE_EPOCHS = 3;
    /** RFC 9147 8: a sender never lets its epoch exceed 2^48 - 1. */
    public static final long MAX_WRITE_EPOCH = (1L << 48) - 1;
    /** The record version DTLS 1.3 writes in DTLSPlaintext: {254, 253} (RFC 9147 4). */
    public static final int PLAINTEXT_VERSION = ProtocolVersion.DTLS_1_2;

    private final WriteEpoch[] writeEpochs = new WriteEpoch[MAX_WRITE_EPOCHS];
    private final ReadEpoch[] readEpochs = new ReadEpoch[MAX_READ_EPOCHS];
    private boolean plaintextReadable = true;
    private long plaintextNextSeq;
    private boolean plaintextWritable = true;
    /** The ID the peer puts in records to us; empty: none. */
    private byte[] localConnectionId = new byte[0];
    /** The ID we put in records to the peer; empty: none. */
    private byte[] peerConnectionId = new byte[0];
    /** Reused additional data buffer for sealing; headers of one association have one length. */
    private byte[] sealHeader = new byte[0];
    /**
     * Records up to this long (DTLSInnerPlaintext) are decrypted into one reused buffer; longer
     * ones, rarer than any datagram of a common path MTU, into an array of their own. The bound
     * keeps a forged 16 KB record, which grows the buffer before it fails authentication, from
     * pinning 16 KB in every association it is sent to.
     */
    static final int REUSED_OPEN_BUFFER_LENGTH = 2_048;
    /**
     * Where records are decrypted, so steady traffic allocates no DTLSInnerPlaintext per record;
     * {@link Opened#content()} copies the content out. Grown on demand up to
     * {@link #REUSED_OPEN_BUFFER_LENGTH}.
     */
    private byte[] openBuffer = new byte[0];

    private static final class WriteEpoch {
        final long epoch;
        final Dtls13RecordProtection protection;
        long nextSeq;

        WriteEpoch(long epoch, Dtls13RecordProtection protection) {
            this.epoch = epoch;
            this.protection = protection;
        }
    }

    private static final class ReadEpoch {
        final long epoch;
        final Dtls13RecordProtection protection;
        final ReplayWindow window = new ReplayWindow();

        ReadEpoch(long epoch, Dtls13RecordProtection protection) {
            this.epoch = epoch;
            this.protection = protection;
        }
    }

    /** What became of one record. */
    public sealed interface Result permits Opened, Dropped {
    }

    /**
     * An authentic record: its real content type (from the DTLSInnerPlaintext for protected
     * records), its full record number, and the content without type and padding. For a
     * protected record the content lies in the layer's reused decryption buffer: read it with
     * {@link #content()}, which copies, before the layer opens another record.
     */
    public static final class Opened implements Result {
        private final int contentType;
        private final RecordNumber number;
        private final byte[] content;
        private final int length;

        Opened(int contentType, RecordNumber number, byte[] buffer, int length) {
            this.contentType = contentType;
            this.number = number;
            this.content = buffer;
            this.length = length;
        }

        public int contentType() {
            return contentType;
        }

        public RecordNumber number() {
            return number;
        }

        public int contentLength() {
            return length;
        }

        /** A copy of the content. */
        public byte[] content() {
            return Arrays.copyOf(content, length);
        }

        @Override
        public String toString() {
            return "Opened[type=" + contentType + ", " + number + ", " + length + " bytes]";
        }
    }

    /** A record discarded silently, with the reason to count (RFC 9147 4.5.2). */
    public record Dropped(DropReason reason) implements Result {
    }

    /**
     * Starts using connection IDs as the hellos agreed (RFC 9147 9), before any protected
     * record is written or read.
     *
     * @param local the ID the peer must put in records to us; empty for none
     * @param peer the ID we must put in records to the peer; empty for none
     */
    public void useConnectionIds(byte[] local, byte[] peer) {
        this.localConnectionId = local.clone();
        this.peerConnectionId = peer.clone();
    }

    /** The length of the connection ID in records to us: what {@link Dtls13RecordCodec#parse} needs. */
    public int localConnectionIdLength() {
        return localConnectionId.length;
    }

    // ------------------------------------------------------------------------------ writing

    /**
     * Continues epoch 0's sequence numbers where another record layer left them: a client that
     * offered both versions wrote its ClientHello with the DTLS 1.2 layer before the
     * ServerHello chose DTLS 1.3, and a number is never reused within an epoch (RFC 9147 4.1).
     */
    public void continuePlaintextSequence(long nextSequenceNumber) {
        if (nextSequenceNumber < plaintextNextSeq || nextSequenceNumber > RecordNumber.MAX_SEQUENCE_NUMBER) {
            throw new IllegalArgumentException("epoch 0 sequence number " + nextSequenceNumber + " would go back from "
                    + plaintextNextSeq);
        }
        plaintextNextSeq = nextSequenceNumber;
    }

    /**
     * Starts writing in {@code epoch}, keeping earlier epochs for retransmissions; when all
     * {@link #MAX_WRITE_EPOCHS} slots are taken the oldest protected epoch is retired.
     *
     * @throws IllegalArgumentException if {@code epoch} is not above every installed write
     *     epoch, or above {@link #MAX_WRITE_EPOCH}
     */
    public void installWriteEpoch(long epoch, Dtls13RecordProtection protection) {
        if (epoch <= 0 || epoch > MAX_WRITE_EPOCH || epoch <= highestWriteEpoch()) {
            throw new IllegalArgumentException("cannot install write epoch " + epoch + " after "
                    + highestWriteEpoch());
        }
        int free = -1;
        int oldest = -1;
        for (int i = 0; i < writeEpochs.length; i++) {
            if (writeEpochs[i] == null) {
                free = free < 0 ? i : free;
            } else if (oldest < 0 || writeEpochs[i].epoch < writeEpochs[oldest].epoch) {
                oldest = i;
            }
        }
        writeEpochs[free >= 0 ? free : oldest] = new WriteEpoch(epoch, protection);
    }

    /** Forgets a write epoch (epoch 0 included) once nothing will be retransmitted in it. */
    public void retireWriteEpoch(long epoch) {
        if (epoch == 0) {
            plaintextWritable = false;
            return;
        }
        for (int i = 0; i < writeEpochs.length; i++) {
            if (writeEpochs[i] != null && writeEpochs[i].epoch == epoch) {
                writeEpochs[i] = null;
            }
        }
    }

    /** The newest write epoch: what new records use (0 before any keys). */
    public long highestWriteEpoch() {
        long highest = 0;
        for (WriteEpoch w : writeEpochs) {
            if (w != null && w.epoch > highest) {
                highest = w.epoch;
            }
        }
        return highest;
    }

    /** True when {@code epoch} can be written. */
    public boolean canWrite(long epoch) {
        return epoch == 0 ? plaintextWritable : writeEpoch(epoch) != null;
    }

    /** The protection of a write epoch, to watch its limits; {@code null} for epoch 0 or unknown epochs. */
    public Dtls13RecordProtection writeProtection(long epoch) {
        WriteEpoch w = writeEpoch(epoch);
        return w == null ? null : w.protection;
    }

    /** The number the next record of {@code epoch} will get. */
    public RecordNumber nextRecordNumber(long epoch) {
        return new RecordNumber(epoch, epoch == 0 ? plaintextNextSeq : requireWriteEpoch(epoch).nextSeq);
    }

    /** Bytes a record of {@code epoch} adds to its content: header, type byte, tag (no padding). */
    public int overhead(long epoch) {
        if (epoch == 0) {
            return Record.HEADER_LENGTH;
        }
        WriteEpoch w = requireWriteEpoch(epoch);
        return UnifiedHeader.length(peerConnectionId.length, true, true) + 1 + w.protection.tagLength();
    }

    /**
     * One record of {@code epoch} carrying {@code content[off..off+len)} as {@code contentType}.
     *
     * @param padding extra zero bytes in the DTLSInnerPlaintext, to hide the length (RFC 8446 5.4)
     * @throws IllegalStateException if the epoch is not writable, its sequence numbers are
     *     spent, or its key reached the AEAD limit (the owner should have updated keys)
     * @throws IllegalArgumentException if the content does not fit one record
     */
    public byte[] seal(long epoch, int contentType, byte[] content, int off, int len, int padding) {
        checkContentLength(len, padding);
        if (epoch == 0) {
            return sealPlaintext(contentType, content, off, len);
        }
        byte[] record = new byte[sealedLength(epoch, len, padding)];
        sealInto(epoch, contentType, content, off, len, padding, record, 0);
        return record;
    }

    /**
     * Bytes {@link #sealInto} writes for {@code len} bytes of content with {@code padding} in a
     * protected epoch: the unified header, the DTLSInnerPlaintext (at least the 16 bytes record
     * number encryption samples, RFC 9147 4.2.3, less the tag) and the tag.
     */
    public int sealedLength(long epoch, int len, int padding) {
        int tag = requireWriteEpoch(epoch).protection.tagLength();
        int innerLength = Math.max(len + 1 + padding, RecordNumberCipher.SAMPLE_LENGTH - tag);
        return UnifiedHeader.length(peerConnectionId.length, true, true) + innerLength + tag;
    }

    /**
     * {@link #seal} of a protected epoch straight into {@code out} at {@code outOff}, so a bulk
     * sender reuses one buffer (the DTLS 1.2 path's {@code RecordLayer.encodeInto}). The header
     * carries a length (RFC 9147 4), so records sealed one after another in a buffer form a
     * datagram of several records (RFC 9147 4.3). {@code content} may not overlap {@code out}.
     *
     * @return the record's length, {@link #sealedLength}
     * @throws IllegalArgumentException if {@code out} lacks room; nothing was sealed
     * @throws IllegalStateException as {@link #seal}
     */
    public int sealInto(long epoch, int contentType, byte[] content, int off, int len, int padding, byte[] out,
            int outOff) {
        checkContentLength(len, padding);
        if (epoch == 0) {
            throw new IllegalStateException("epoch 0 writes DTLSPlaintext: use seal");
        }
        WriteEpoch w = requireWriteEpoch(epoch);
        if (w.nextSeq > RecordNumber.MAX_SEQUENCE_NUMBER) {
            throw new IllegalStateException("sequence numbers of epoch " + epoch + " exhausted");
        }
        Dtls13RecordProtection p = w.protection;
        int tag = p.tagLength();
        // RFC 9147 4.2.3: at least 16 bytes of ciphertext for the record number mask.
        int innerLength = Math.max(len + 1 + padding, RecordNumberCipher.SAMPLE_LENGTH - tag);
        boolean cid = peerConnectionId.length > 0;
        int headerLength = UnifiedHeader.length(peerConnectionId.length, true, true);
        int total = headerLength + innerLength + tag;
        if (outOff < 0 || out.length - outOff < total) {
            throw new IllegalArgumentException("record of " + total + " bytes does not fit " + (out.length - outOff)
                    + " bytes of output");
        }
        long seq = w.nextSeq;
        int i = outOff;
        out[i++] = (byte) UnifiedHeader.firstByte(epoch, cid, true, true);
        System.arraycopy(peerConnectionId, 0, out, i, peerConnectionId.length);
        i += peerConnectionId.length;
        int seqOffset = i;
        out[i++] = (byte) (seq >>> 8);
        out[i++] = (byte) seq;
        out[i++] = (byte) ((innerLength + tag) >>> 8);
        out[i] = (byte) (innerLength + tag);
        int body = outOff + headerLength;
        System.arraycopy(content, off, out, body, len);
        out[body + len] = (byte) contentType;
        // The padding (and the room for the sample) must be zeros, whatever the reused buffer held.
        java.util.Arrays.fill(out, body + len + 1, body + innerLength, (byte) 0);
        if (sealHeader.length != headerLength) {
            sealHeader = new byte[headerLength];
        }
        System.arraycopy(out, outOff, sealHeader, 0, headerLength);
        p.sealInPlace(seq, sealHeader, out, body, innerLength);
        w.nextSeq++;
        p.maskSequenceNumber(out, body, out, seqOffset, SEQUENCE_NUMBER_LENGTH);
        return total;
    }

    private static void checkContentLength(int len, int padding) {
        if (len < 0 || padding < 0 || (long) len + 1 + padding > Record.MAX_PLAINTEXT_LENGTH + 1) {
            throw new IllegalArgumentException("record content of " + len + " bytes with " + padding
                    + " bytes of padding exceeds 2^14 + 1 (RFC 8446 5.4)");
        }
    }

    /** {@link #seal(long, int, byte[], int, int, int)} without padding. */
    public byte[] seal(long epoch, int contentType, byte[] content) {
        return seal(epoch, contentType, content, 0, content.length, 0);
    }

    private byte[] sealPlaintext(int contentType, byte[] content, int off, int len) {
        if (!plaintextWritable) {
            throw new IllegalStateException("epoch 0 is no longer writable");
        }
        if (len > Record.MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("plaintext record of " + len + " bytes exceeds 2^14");
        }
        byte[] record = new byte[Record.HEADER_LENGTH + len];
        RecordCodec.writeHeader(record, contentType, PLAINTEXT_VERSION, 0, plaintextNextSeq++, len);
        System.arraycopy(content, off, record, Record.HEADER_LENGTH, len);
        return record;
    }

    private WriteEpoch writeEpoch(long epoch) {
        for (WriteEpoch w : writeEpochs) {
            if (w != null && w.epoch == epoch) {
                return w;
            }
        }
        return null;
    }

    private WriteEpoch requireWriteEpoch(long epoch) {
        WriteEpoch w = writeEpoch(epoch);
        if (w == null) {
            throw new IllegalStateException("epoch " + epoch + " is not writable");
        }
        return w;
    }

    // ------------------------------------------------------------------------------ reading

    /**
     * Starts reading {@code epoch}; an installed epoch with the same low two bits (four or more
     * below) is retired, so the bits stay unambiguous.
     */
    public void installReadEpoch(long epoch, Dtls13RecordProtection protection) {
        if (epoch <= 0) {
            throw new IllegalArgumentException("read epoch " + epoch + " cannot be protected");
        }
        int slot = (int) (epoch & UnifiedHeader.EPOCH_MASK);
        ReadEpoch old = readEpochs[slot];
        if (old != null && old.epoch >= epoch) {
            throw new IllegalArgumentException("read epoch " + epoch + " is not newer than " + old.epoch);
        }
        readEpochs[slot] = new ReadEpoch(epoch, protection);
    }

    /** Forgets a read epoch (epoch 0: plaintext records are dropped from now on). */
    public void retireReadEpoch(long epoch) {
        if (epoch == 0) {
            plaintextReadable = false;
            return;
        }
        int slot = (int) (epoch & UnifiedHeader.EPOCH_MASK);
        if (readEpochs[slot] != null && readEpochs[slot].epoch == epoch) {
            readEpochs[slot] = null;
        }
    }

    /** True when records of {@code epoch} can be opened. */
    public boolean canRead(long epoch) {
        if (epoch == 0) {
            return plaintextReadable;
        }
        ReadEpoch r = readEpochs[(int) (epoch & UnifiedHeader.EPOCH_MASK)];
        return r != null && r.epoch == epoch;
    }

    /** The protection of a read epoch, to watch its forgery count; {@code null} if not installed. */
    public Dtls13RecordProtection readProtection(long epoch) {
        ReadEpoch r = epoch == 0 ? null : readEpochs[(int) (epoch & UnifiedHeader.EPOCH_MASK)];
        return r != null && r.epoch == epoch ? r.protection : null;
    }

    /** A buffer of at least {@code length} bytes to decrypt into: the reused one when it is short enough. */
    private byte[] openBuffer(int length) {
        if (length > REUSED_OPEN_BUFFER_LENGTH) {
            return new byte[length];
        }
        if (openBuffer.length < length) {
            openBuffer = new byte[length];
        }
        return openBuffer;
    }

    /** Bytes held by the reused decryption buffer (tests: it stays bounded). */
    int reusedOpenBufferLength() {
        return openBuffer.length;
    }

    /** Authenticates and decrypts one parsed record, or says why it was dropped. */
    public Result open(Dtls13Record record) {
        if (record instanceof Dtls13Record.Ciphertext c) {
            return openCiphertext(c);
        }
        return openPlaintext((Dtls13Record.Plaintext) record);
    }

    private Result openPlaintext(Dtls13Record.Plaintext p) {
        if (!Dtls13RecordCodec.isPlaintextType(p.contentType())) {
            return new Dropped(DropReason.UNKNOWN_CONTENT_TYPE);
        }
        if (p.epoch() != 0 || !plaintextReadable) {
            return new Dropped(DropReason.UNEXPECTED_EPOCH);
        }
        byte[] fragment = p.fragmentShared();
        return new Opened(p.contentType(), new RecordNumber(0, p.sequenceNumber()), fragment, fragment.length);
    }

    private Result openCiphertext(Dtls13Record.Ciphertext c) {
        if (c.hasConnectionId()) {
            // Only after the hellos agreed on our ID, and only with our ID (RFC 9146 3).
            if (localConnectionId.length == 0) {
                return new Dropped(DropReason.UNEXPECTED_CONNECTION_ID);
            }
            if (!c.connectionIdEquals(localConnectionId)) {
                return new Dropped(DropReason.UNKNOWN_CONNECTION_ID);
            }
        } else if (localConnectionId.length > 0) {
            // RFC 9147 9: with a negotiated ID it "MUST be contained in all datagrams".
            return new Dropped(DropReason.MISSING_CONNECTION_ID);
        }
        ReadEpoch r = readEpochs[c.epochBits()];
        if (r == null) {
            return new Dropped(DropReason.UNEXPECTED_EPOCH);
        }
        byte[] in = c.encryptedArray();
        int inOff = c.encryptedOffset();
        int inLen = c.encryptedLength();
        Dtls13RecordProtection p = r.protection;
        // RFC 9147 4.2.3: shorter records cannot be unmasked; they count as failing deprotection.
        if (inLen < RecordNumberCipher.SAMPLE_LENGTH || inLen < p.tagLength() + 1) {
            return new Dropped(DropReason.BAD_RECORD_MAC);
        }
        byte[] aad = c.header();
        int seqOffset = c.sequenceNumberOffset();
        int seqLength = c.sequenceNumberLength();
        p.maskSequenceNumber(in, inOff, aad, seqOffset, seqLength);
        int lowBits = seqLength == 2 ? (aad[seqOffset] & 0xff) << 8 | (aad[seqOffset + 1] & 0xff) : aad[seqOffset] & 0xff;
        long seq = SequenceNumberReconstruction.reconstruct(r.window.highest() + 1, lowBits, 8 * seqLength);
        byte[] inner = openBuffer(inLen - p.tagLength());
        int innerLength = p.open(seq, aad, in, inOff, inLen, inner);
        if (innerLength < 0) {
            return new Dropped(DropReason.BAD_RECORD_MAC);
        }
        // RFC 9147 4.5.1: the replay check after deprotection; the window moves only now.
        if (r.window.isReplay(seq)) {
            return new Dropped(DropReason.REPLAY);
        }
        // RFC 8446 5.4: the content type is the last non-zero byte; none at all is malformed.
        int end = innerLength;
        while (end > 0 && inner[end - 1] == 0) {
            end--;
        }
        if (end == 0 || end - 1 > Record.MAX_PLAINTEXT_LENGTH) {
            return new Dropped(DropReason.MALFORMED_RECORD);
        }
        r.window.markReceived(seq);
        return new Opened(inner[end - 1] & 0xff, new RecordNumber(r.epoch, seq), inner, end - 1);
    }
}
