package org.dtlsip.dtls.handshake;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * The DTLS 1.3 ACK (RFC 9147 7): {@code RecordNumber record_numbers<0..2^16-1>;} with each
 * RecordNumber two uint64s (epoch, sequence number). It is a content type of its own (26), not
 * a handshake message, so it never enters the transcript. An empty ACK is legal and useful: it
 * tells the peer that something arrived that could not yet be processed (RFC 9147 7.1).
 *
 * <p>RFC 9147 7 asks senders to list record numbers in increasing order; receivers need not
 * care, so decoding keeps whatever order arrived. Sequence numbers above 2^48 - 1 cannot name a
 * record and are a decode error.
 */
public record Ack(List<RecordNumber> recordNumbers) {
    /** Bytes per RecordNumber on the wire. */
    public static final int ENTRY_LENGTH = 16;
    /** How many fit the uint16 list length. */
    public static final int MAX_ENTRIES = 0xffff / ENTRY_LENGTH;

    public Ack {
        recordNumbers = List.copyOf(recordNumbers);
        if (recordNumbers.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(recordNumbers.size() + " record numbers exceed one ACK");
        }
    }

    /** @throws DecodeException if the length is not a multiple of 16, overruns, or bytes trail */
    public static Ack decode(byte[] content) {
        ByteReader r = new ByteReader(content);
        int length = r.u16();
        if (length % ENTRY_LENGTH != 0) {
            throw new DecodeException("ACK: list length " + length + " not a multiple of 16");
        }
        ByteReader list = r.slice(length);
        r.expectEnd("ACK");
        List<RecordNumber> numbers = new ArrayList<>(length / ENTRY_LENGTH);
        while (list.hasRemaining()) {
            long epoch = u64(list);
            long seq = u64(list);
            if (epoch < 0 || seq < 0 || seq > RecordNumber.MAX_SEQUENCE_NUMBER) {
                throw new DecodeException("ACK: record number " + Long.toUnsignedString(epoch) + "/"
                        + Long.toUnsignedString(seq) + " out of range");
            }
            numbers.add(new RecordNumber(epoch, seq));
        }
        return new Ack(numbers);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(2 + ENTRY_LENGTH * recordNumbers.size());
        w.u16(ENTRY_LENGTH * recordNumbers.size());
        for (RecordNumber n : recordNumbers) {
            u64(w, n.epoch());
            u64(w, n.sequenceNumber());
        }
        return w.toByteArray();
    }

    private static long u64(ByteReader r) {
        return (long) r.u16() << 48 | (long) r.u16() << 32 | (long) r.u16() << 16 | r.u16();
    }

    private static void u64(ByteWriter w, long v) {
        w.u16((int) (v >>> 48)).u16((int) (v >>> 32)).u16((int) (v >>> 16)).u16((int) v);
    }
}
