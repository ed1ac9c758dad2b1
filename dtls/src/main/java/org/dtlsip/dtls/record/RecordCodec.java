package org.dtlsip.dtls.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * Splits datagrams into records and writes record headers. A datagram may carry several
 * records (RFC 6347 4.1.1); a record never spans datagrams, so a length that runs past the
 * end of the datagram ends parsing and the rest of the datagram is discarded (4.1.2.7).
 *
 * <p>A tls12_cid record (RFC 9146 4) has the connection ID between sequence number and length,
 * and nothing on the wire says how long it is: the receiver knows, because it chose the IDs it
 * receives on. So the parser is told the length of our connection IDs; with none (0), a
 * tls12_cid record cannot be delimited and ends parsing like any malformed record.
 */
public final class RecordCodec {
    private RecordCodec() {
    }

    private static final byte[] NO_CONNECTION_ID = new byte[0];

    /** The records of one datagram; {@code malformedTail} is true when trailing bytes were unusable. */
    public record Parsed(List<Record> records, boolean malformedTail) {
    }

    /**
     * Parses a datagram in which no record may carry a connection ID. The records are views into
     * {@code datagram}, valid while its bytes are unchanged ({@link Record#detached()} to keep one).
     */
    public static Parsed parse(byte[] datagram, int offset, int length) {
        return parse(datagram, offset, length, 0);
    }

    /**
     * @param connectionIdLength the length of the connection IDs we receive on, 0 for none
     */
    public static Parsed parse(byte[] datagram, int offset, int length, int connectionIdLength) {
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
            byte[] cid = null;
            if (type == ContentType.TLS12_CID.code) {
                if (connectionIdLength == 0 || r.remaining() < connectionIdLength + 2) {
                    return new Parsed(records, true);
                }
                cid = r.bytes(connectionIdLength);
            }
            int len = r.u16();
            if (len > r.remaining() || len > Record.MAX_CIPHERTEXT_LENGTH) {
                return new Parsed(records, true);
            }
            // A view into the datagram, not a copy: a receiver decrypts straight from it (see Record).
            records.add(new Record(type, version, epoch, seq, cid == null ? NO_CONNECTION_ID : cid, datagram,
                    r.position(), len));
            r.skip(len);
        }
        return new Parsed(records, false);
    }

    /**
     * The connection ID of the first record when it is a tls12_cid record, else {@code null}:
     * what a server needs to find the association before anything is decrypted (RFC 9146 3).
     */
    public static byte[] firstConnectionId(byte[] datagram, int offset, int length, int connectionIdLength) {
        if (connectionIdLength == 0 || length < Record.HEADER_LENGTH + connectionIdLength
                || (datagram[offset] & 0xff) != ContentType.TLS12_CID.code) {
            return null;
        }
        int from = offset + Record.CONNECTION_ID_OFFSET;
        return Arrays.copyOfRange(datagram, from, from + connectionIdLength);
    }

    /** Writes a 13-byte record header at the start of {@code out}. */
    public static void writeHeader(byte[] out, int type, int version, int epoch, long seq, int length) {
        writeHeader(out, 0, type, version, epoch, seq, length);
    }

    /** Writes a 13-byte record header at {@code out[at]}. */
    public static void writeHeader(byte[] out, int at, int type, int version, int epoch, long seq, int length) {
        out[at] = (byte) type;
        out[at + 1] = (byte) (version >>> 8);
        out[at + 2] = (byte) version;
        out[at + 3] = (byte) (epoch >>> 8);
        out[at + 4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            out[at + 5 + i] = (byte) (seq >>> (40 - 8 * i));
        }
        out[at + 11] = (byte) (length >>> 8);
        out[at + 12] = (byte) length;
    }

    public static void encode(ByteWriter w, int type, int version, int epoch, long seq, byte[] fragment) {
        w.u8(type).u16(version).u16(epoch).u48(seq).u16(fragment.length).bytes(fragment);
    }

    /** Writes a tls12_cid record (RFC 9146 4): the connection ID goes before the length. */
    public static void encode(ByteWriter w, int version, int epoch, long seq, byte[] connectionId, byte[] fragment) {
        w.u8(ContentType.TLS12_CID.code).u16(version).u16(epoch).u48(seq).bytes(connectionId)
                .u16(fragment.length).bytes(fragment);
    }
}
