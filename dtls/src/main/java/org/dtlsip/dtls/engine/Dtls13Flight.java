package org.dtlsip.dtls.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.Dtls13RecordLayer;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * One DTLS 1.3 flight we sent, as the records that carry it (RFC 9147 7): every fragment
 * remembers the record number it last went out under, so an ACK can remove exactly the
 * fragments it names and a retransmission sends only what is still unacknowledged (RFC 9147
 * 7.2: "implementations SHOULD retransmit only unacknowledged records"), each in the epoch of
 * its original (4.2.1) with a fresh record number.
 *
 * <p>Packing follows {@link FlightPacker}'s rules for DTLS 1.2: several records per datagram,
 * messages split where they do not fit the PMTU (RFC 9147 4.4), never a datagram above it.
 */
final class Dtls13Flight {
    /** Smallest handshake fragment body worth starting in a partly filled datagram (as {@link FlightPacker}). */
    static final int MIN_FRAGMENT_BODY = FlightPacker.MIN_FRAGMENT_BODY;

    /** One message of the flight and the epoch it is protected in. */
    record Item(long epoch, HandshakeMessage message) {
    }

    /** A piece of a message as it went out: its range, and the record that last carried it. */
    private static final class Piece {
        final long epoch;
        final HandshakeMessage message;
        final int offset;
        final int length;
        RecordNumber number;
        boolean acknowledged;

        Piece(long epoch, HandshakeMessage message, int offset, int length) {
            this.epoch = epoch;
            this.message = message;
            this.offset = offset;
            this.length = length;
        }
    }

    private final List<Piece> pieces = new ArrayList<>();
    private final boolean awaitsReply;
    private final int peerTriggerSeq;

    /**
     * @param awaitsReply whether the peer answers this flight with a flight of its own; the
     *     last flight of a handshake and post-handshake messages are answered by an ACK only
     * @param peerTriggerSeq message_seq of the last message of the peer's flight this answers
     *     (-1: none), whose repeat tells us this flight was lost
     */
    Dtls13Flight(List<Item> items, boolean awaitsReply, int peerTriggerSeq, int pmtu, Dtls13RecordLayer records) {
        this.awaitsReply = awaitsReply;
        this.peerTriggerSeq = peerTriggerSeq;
        for (Item item : items) {
            int room = fragmentRoom(pmtu, records, item.epoch());
            byte[] body = item.message().body();
            int offset = 0;
            do {
                int take = Math.min(room, body.length - offset);
                pieces.add(new Piece(item.epoch(), item.message(), offset, take));
                offset += take;
            } while (offset < body.length);
        }
    }

    boolean awaitsReply() {
        return awaitsReply;
    }

    int peerTriggerSeq() {
        return peerTriggerSeq;
    }

    /** Whether every record of the flight has been acknowledged. */
    boolean fullyAcknowledged() {
        for (Piece p : pieces) {
            if (!p.acknowledged) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of handshake body still unacknowledged, for tests and traces. */
    int unacknowledgedBytes() {
        int n = 0;
        for (Piece p : pieces) {
            n += p.acknowledged ? 0 : p.length;
        }
        return n;
    }

    /**
     * Marks the pieces an ACK received in {@code ackEpoch} names (RFC 9147 7); numbers of
     * records never sent, sent before the latest retransmission of their piece, or of an epoch
     * above the ACK's own, change nothing.
     *
     * @return how many pieces this ACK acknowledged for the first time
     */
    int acknowledge(Ack ack, long ackEpoch) {
        int newly = 0;
        for (RecordNumber n : ack.recordNumbers()) {
            if (n.epoch() > ackEpoch) {
                continue;
            }
            for (Piece p : pieces) {
                if (!p.acknowledged && n.equals(p.number)) {
                    p.acknowledged = true;
                    newly++;
                }
            }
        }
        return newly;
    }

    /**
     * Writes every unacknowledged piece into records with fresh numbers and hands out the
     * datagrams; the first transmission sends everything. Each record and fragment goes to
     * {@code trace} when there is one.
     *
     * @throws HandshakeFailure when the PMTU leaves no room for a fragment
     */
    void transmit(Dtls13RecordLayer records, int pmtu, Consumer<byte[]> out, MessageTrace trace, boolean retransmission) {
        ByteWriter datagram = new ByteWriter(pmtu);
        for (Piece p : pieces) {
            if (p.acknowledged) {
                continue;
            }
            int overhead = recordOverhead(records, p.epoch);
            int bodyRoom = pmtu - overhead - HandshakeFragment.HEADER_LENGTH;
            if (bodyRoom < Math.min(1, p.length)) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "PMTU " + pmtu
                        + " leaves no room for a handshake fragment in epoch " + p.epoch + " (" + overhead
                        + " bytes of record overhead); raise the PMTU");
            }
            int needed = overhead + HandshakeFragment.HEADER_LENGTH + p.length;
            if (datagram.size() > 0 && datagram.size() + needed > pmtu) {
                out.accept(datagram.toByteArray());
                datagram = new ByteWriter(pmtu);
            }
            byte[] body = p.message.body();
            HandshakeFragment fragment = new HandshakeFragment(p.message.type().code, body.length, p.message.messageSeq(),
                    p.offset, Arrays.copyOfRange(body, p.offset, p.offset + p.length));
            ByteWriter plaintext = new ByteWriter(HandshakeFragment.HEADER_LENGTH + p.length);
            fragment.encode(plaintext);
            p.number = records.nextRecordNumber(p.epoch);
            byte[] record = records.seal(p.epoch, ContentType.HANDSHAKE.code, plaintext.toByteArray());
            datagram.bytes(record);
            if (trace != null) {
                Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.SENT, p.epoch, p.number.sequenceNumber(),
                        ContentType.HANDSHAKE.code, record.length, retransmission, null));
                Traces.fragment(trace, MessageTrace.Direction.SENT, p.epoch, fragment, retransmission);
            }
        }
        if (datagram.size() > 0) {
            out.accept(datagram.toByteArray());
        }
    }

    /**
     * Bytes a record of {@code epoch} adds around its content. A handshake record never needs
     * padding for the record number mask (RFC 9147 4.2.3): its 12-byte fragment header, type
     * byte and tag already make more than the 16 bytes sampled.
     */
    private static int recordOverhead(Dtls13RecordLayer records, long epoch) {
        return records.overhead(epoch);
    }

    /** Body bytes one fragment of {@code epoch} may carry so that its record alone fits the PMTU. */
    private static int fragmentRoom(int pmtu, Dtls13RecordLayer records, long epoch) {
        int room = pmtu - recordOverhead(records, epoch) - HandshakeFragment.HEADER_LENGTH;
        if (room < 1) {
            throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "PMTU " + pmtu
                    + " leaves no room for a handshake fragment in epoch " + epoch + "; raise the PMTU");
        }
        return room;
    }
}
