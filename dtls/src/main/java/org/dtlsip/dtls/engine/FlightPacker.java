package org.dtlsip.dtls.engine;

import java.util.Arrays;
import java.util.function.Consumer;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordLayer;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * Packs a flight into as few datagrams as the PMTU allows: several records per datagram
 * (RFC 6347 4.1.1), and handshake messages split into fragments where they do not fit (4.2.3),
 * down to one byte of body per fragment and no further. Every datagram is at most the PMTU.
 */
final class FlightPacker {
    /** Smallest handshake fragment body worth starting in a partly filled datagram. */
    static final int MIN_FRAGMENT_BODY = 64;

    private FlightPacker() {
    }

    /**
     * Writes {@code flight} as records of the epochs its items name, with fresh sequence
     * numbers, and hands each datagram to {@code out}. Each record, and each fragment in it,
     * goes to {@code trace} if there is one, marked as a retransmission if the flight is one.
     *
     * @throws HandshakeFailure when the PMTU leaves no room for a fragment (a peer's connection
     *     ID can take up to 256 bytes of it) or an epoch's sequence numbers run out; the
     *     datagrams handed out before stay valid
     */
    static void pack(Flight flight, RecordLayer records, int pmtu, Consumer<byte[]> out, MessageTrace trace,
            boolean retransmission) {
        ByteWriter datagram = new ByteWriter(pmtu);
        for (Flight.Item item : flight.items()) {
            int epoch = item.epoch();
            int overhead = records.recordOverhead(epoch);
            if (item instanceof Flight.ChangeCipherSpecItem) {
                if (datagram.size() + overhead + 1 > pmtu) {
                    datagram = flush(datagram, pmtu, out);
                }
                int start = datagram.size();
                if (!records.write(datagram, epoch, ContentType.CHANGE_CIPHER_SPEC.code, new byte[] {1})) {
                    throw HandshakeFailure.sequenceNumbersExhausted(epoch);
                }
                if (trace != null) {
                    traceRecord(trace, records, epoch, ContentType.CHANGE_CIPHER_SPEC, datagram.size() - start, retransmission);
                }
                continue;
            }
            HandshakeMessage message = ((Flight.HandshakeItem) item).message();
            byte[] body = message.body();
            int fullRoom = fragmentRoom(pmtu, overhead);
            if (fullRoom < Math.min(1, body.length)) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "PMTU " + pmtu
                        + " leaves no room for a handshake fragment: a record of epoch " + epoch + " takes " + overhead
                        + " bytes of overhead" + (records.writesConnectionId(epoch) ? " (the peer's connection ID included)" : "")
                        + " and the fragment header " + HandshakeFragment.HEADER_LENGTH + "; raise the PMTU to at least "
                        + (overhead + HandshakeFragment.HEADER_LENGTH + 1));
            }
            int offset = 0;
            do {
                int remaining = body.length - offset;
                int room = fullRoom - datagram.size();
                if (room < Math.min(remaining, MIN_FRAGMENT_BODY) || room < 0) {
                    datagram = flush(datagram, pmtu, out);
                    room = fullRoom;
                }
                int take = Math.min(room, remaining);
                HandshakeFragment fragment = new HandshakeFragment(message.type().code, body.length,
                        message.messageSeq(), offset, Arrays.copyOfRange(body, offset, offset + take));
                ByteWriter plaintext = new ByteWriter(HandshakeFragment.HEADER_LENGTH + take);
                fragment.encode(plaintext);
                int start = datagram.size();
                if (!records.write(datagram, epoch, ContentType.HANDSHAKE.code, plaintext.toByteArray())) {
                    throw HandshakeFailure.sequenceNumbersExhausted(epoch);
                }
                if (trace != null) {
                    traceRecord(trace, records, epoch, ContentType.HANDSHAKE, datagram.size() - start, retransmission);
                    Traces.fragment(trace, MessageTrace.Direction.SENT, epoch, fragment, retransmission);
                }
                offset += take;
            } while (offset < body.length);
        }
        flush(datagram, pmtu, out);
    }

    private static void traceRecord(MessageTrace trace, RecordLayer records, int epoch, ContentType type, int bytes,
            boolean retransmission) {
        Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.SENT, epoch, records.lastSequenceNumber(epoch),
                type.code, bytes, retransmission, null));
    }

    private static ByteWriter flush(ByteWriter datagram, int pmtu, Consumer<byte[]> out) {
        if (datagram.size() > 0) {
            out.accept(datagram.toByteArray());
            return new ByteWriter(pmtu);
        }
        return datagram;
    }

    /** Handshake body bytes a record with {@code overhead} can carry within {@code pmtu}. */
    static int fragmentRoom(int pmtu, int overhead) {
        return pmtu - overhead - HandshakeFragment.HEADER_LENGTH;
    }

    /**
     * Record overhead of {@code suite} with a peer connection ID of {@code length} bytes: the ID
     * and the inner content type (RFC 9146 4); a peer that asked for none gets RFC 6347 records.
     */
    static int connectionIdOverhead(CipherSuite suite, int length) {
        int overhead = Record.HEADER_LENGTH + suite.bulkCipher.overhead();
        return length == 0 ? overhead : overhead + length + 1;
    }
}
