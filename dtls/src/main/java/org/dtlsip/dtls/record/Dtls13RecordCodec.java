package org.dtlsip.dtls.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;

/**
 * Splits a datagram into DTLS 1.3 records (RFC 9147 4.1) and writes DTLSPlaintext headers.
 *
 * <p>Demultiplexing by the first byte: alert (21), handshake (22) and ack (26) are
 * DTLSPlaintext with the 13-byte header; a byte starting with the bits 001 is a DTLSCiphertext
 * unified header; anything else must be rejected as if it failed deprotection. Since nothing
 * then says where such a record ends, parsing stops and the rest of the datagram is discarded,
 * as for any malformed record (RFC 9147 4.5.2). The same holds for a record whose length runs
 * past the datagram, a unified header with the C bit when we receive no connection ID (its
 * length is unknowable), and a ciphertext longer than TLS 1.3 allows.
 */
public final class Dtls13RecordCodec {
    /** RFC 8446 5.2: TLSCiphertext.length at most 2^14 + 256; longer records are never valid. */
    public static final int MAX_CIPHERTEXT_LENGTH = Record.MAX_PLAINTEXT_LENGTH + 256;

    private Dtls13RecordCodec() {
    }

    /** The records of one datagram; {@code malformedTail} is true when trailing bytes were unusable. */
    public record Parsed(List<Dtls13Record> records, boolean malformedTail) {
        public Parsed {
            records = List.copyOf(records);
        }
    }

    /**
     * A DTLSCiphertext record in the result is a view of {@code datagram} (its header and the
     * plaintext records are copies): use it before the datagram's buffer is reused.
     *
     * @param connectionIdLength the length of the connection ID we receive on, 0 for none
     */
    public static Parsed parse(byte[] datagram, int offset, int length, int connectionIdLength) {
        ByteReader r = new ByteReader(datagram, offset, length);
        List<Dtls13Record> records = new ArrayList<>(2);
        while (r.hasRemaining()) {
            int first = datagram[r.position()] & 0xff;
            Dtls13Record record;
            if (isPlaintextType(first)) {
                record = plaintext(r);
            } else if (UnifiedHeader.isCiphertext(first)) {
                record = ciphertext(datagram, r, connectionIdLength);
            } else {
                record = null;
            }
            if (record == null) {
                return new Parsed(records, true);
            }
            records.add(record);
        }
        return new Parsed(records, false);
    }

    /** RFC 9147 4.1: the content types that travel in DTLSPlaintext. */
    public static boolean isPlaintextType(int type) {
        return type == ContentType.ALERT.code || type == ContentType.HANDSHAKE.code || type == ContentType.ACK.code;
    }

    private static Dtls13Record plaintext(ByteReader r) {
        if (r.remaining() < Record.HEADER_LENGTH) {
            return null;
        }
        int type = r.u8();
        int version = r.u16();
        int epoch = r.u16();
        long seq = r.u48();
        int len = r.u16();
        if (len > r.remaining() || len > Record.MAX_PLAINTEXT_LENGTH) {
            return null;
        }
        return new Dtls13Record.Plaintext(type, version, epoch, seq, r.bytes(len));
    }

    private static Dtls13Record ciphertext(byte[] datagram, ByteReader r, int connectionIdLength) {
        int start = r.position();
        int flags = r.u8();
        boolean cid = (flags & UnifiedHeader.CID_BIT) != 0;
        boolean seq16 = (flags & UnifiedHeader.SEQUENCE_16_BIT) != 0;
        boolean hasLength = (flags & UnifiedHeader.LENGTH_BIT) != 0;
        int cidLength = cid ? connectionIdLength : 0;
        if (cid && connectionIdLength == 0) {
            return null;
        }
        int headerLength = UnifiedHeader.length(cidLength, seq16, hasLength);
        if (r.remaining() < headerLength - 1) {
            return null;
        }
        r.skip(cidLength + (seq16 ? 2 : 1));
        int len = hasLength ? r.u16() : r.remaining();
        if (len > r.remaining() || len > MAX_CIPHERTEXT_LENGTH) {
            return null;
        }
        byte[] header = Arrays.copyOfRange(datagram, start, start + headerLength);
        int at = r.position();
        r.skip(len);
        return Dtls13Record.Ciphertext.view(header, cidLength, datagram, at, len);
    }

    /**
     * The connection ID of the first record when it is a DTLSCiphertext with the C bit, else
     * {@code null}: what a server needs to find the association before decrypting
     * (RFC 9147 9, RFC 9146 3).
     */
    public static byte[] firstConnectionId(byte[] datagram, int offset, int length, int connectionIdLength) {
        if (connectionIdLength == 0 || length < 1 + connectionIdLength) {
            return null;
        }
        int flags = datagram[offset] & 0xff;
        if (!UnifiedHeader.isCiphertext(flags) || (flags & UnifiedHeader.CID_BIT) == 0) {
            return null;
        }
        return Arrays.copyOfRange(datagram, offset + 1, offset + 1 + connectionIdLength);
    }
}
