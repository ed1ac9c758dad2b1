package org.dtlsip.dtls.hardening;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/** Builds and takes apart adversarial datagrams with the project's own codecs. */
final class Wire {
    /** Record sequence numbers for injected records: far above anything a real peer used. */
    private static long nextSeq = 1_000_000;

    private Wire() {
    }

    static synchronized long freshSeq() {
        return nextSeq++;
    }

    static byte[] record(int type, int version, int epoch, long seq, byte[] payload) {
        ByteWriter w = new ByteWriter(Record.HEADER_LENGTH + payload.length);
        RecordCodec.encode(w, type, version, epoch, seq, payload);
        return w.toByteArray();
    }

    /** One plaintext epoch-0 DTLS 1.2 record of {@code type} with a fresh sequence number. */
    static byte[] plain(ContentType type, byte[] payload) {
        return record(type.code, ProtocolVersion.DTLS_1_2, 0, freshSeq(), payload);
    }

    static byte[] fragment(int msgType, int length, int messageSeq, int offset, byte[] bytes) {
        ByteWriter w = new ByteWriter(HandshakeFragment.HEADER_LENGTH + bytes.length);
        new HandshakeFragment(msgType, length, messageSeq, offset, bytes).encode(w);
        return w.toByteArray();
    }

    /** A whole handshake message as one epoch-0 record. */
    static byte[] plainMessage(int msgType, int messageSeq, byte[] body) {
        return plain(ContentType.HANDSHAKE, fragment(msgType, body.length, messageSeq, 0, body));
    }

    static byte[] concat(byte[]... parts) {
        ByteWriter w = new ByteWriter();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toByteArray();
    }

    static List<Record> records(byte[] datagram) {
        return RecordCodec.parse(datagram, 0, datagram.length).records();
    }

    static byte[] encode(Record r) {
        return record(r.contentType(), r.version(), r.epoch(), r.sequenceNumber(), r.fragment());
    }

    /** Every plaintext handshake fragment in the epoch-0 records of these datagrams. */
    static List<HandshakeFragment> plainFragments(List<byte[]> datagrams) {
        List<HandshakeFragment> out = new ArrayList<>();
        for (byte[] d : datagrams) {
            for (Record r : records(d)) {
                if (r.epoch() == 0 && r.contentType() == ContentType.HANDSHAKE.code) {
                    ByteReader reader = new ByteReader(r.fragment());
                    while (reader.hasRemaining()) {
                        out.add(HandshakeFragment.decode(reader));
                    }
                }
            }
        }
        return out;
    }

    /** Whether a datagram holds an alert record with this description (plaintext alerts only). */
    static boolean holdsPlainAlert(byte[] datagram, int level, int description) {
        for (Record r : records(datagram)) {
            byte[] f = r.fragment();
            if (r.contentType() == ContentType.ALERT.code && r.epoch() == 0 && f.length == 2
                    && f[0] == level && f[1] == description) {
                return true;
            }
        }
        return false;
    }
}
