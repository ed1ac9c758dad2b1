package org.dtlsip.dtls.record;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * Splits datagrams into records and writes record headers. A datagram may carry several
 * records (RFC 6347 4.1.1); a record never spans datagrams, so a length that runs past the
 * end of the datagram ends parsing and the rest of the datagram is discarded (4.1.2.7).
 */
public final class RecordCodec {
    private RecordCodec() {
    }

    /** The records of one datagram; {@code malformedTail} is true when trailing bytes were unusable. */
    public record Parsed(List<Record> records, boolean malformedTail) {
    }

    public static Parsed parse(byte[] datagram, int offset, int length) {
        ByteReader r = new ByteReader(datagram, offset, length);
        List<Record> records = new ArrayList<>(2);
        while (r.hasRemaining()) {
            if (r.remaining() < Record.HEADER_LENGTH) {
                return new Parsed(records, true);
            }
            int type = r.u8();
            int version = r.u16();
            int epoch = r.u16();
            long seq = r.u48();
            int len = r.u16();
            if (len > r.remaining() || len > Record.MAX_CIPHERTEXT_LENGTH) {
                return new Parsed(records, true);
            }
            records.add(new Record(type, version, epoch, seq, r.bytes(len)));
        }
        return new Parsed(records, false);
    }

    /** Writes a 13-byte record header at the start of {@code out}. */
    public static void writeHeader(byte[] out, int type, int version, int epoch, long seq, int length) {
        out[0] = (byte) type;
        out[1] = (byte) (version >>> 8);
        out[2] = (byte) version;
        out[3] = (byte) (epoch >>> 8);
        out[4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            out[5 + i] = (byte) (seq >>> (40 - 8 * i));
        }
        out[11] = (byte) (length >>> 8);
        out[12] = (byte) length;
    }

    public static void encode(ByteWriter w, int type, int version, int epoch, long seq, byte[] fragment) {
        w.u8(type).u16(version).u16(epoch).u48(seq).u16(fragment.length).bytes(fragment);
    }
}
