package org.dtlsip.dtls.engine;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.HelloVerifyRequest;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's stateless front door (RFC 6347 4.2.1). A datagram from an address with no
 * association is either a ClientHello carrying a valid cookie, which may create an
 * association, or gets at most a HelloVerifyRequest no larger than itself, or is dropped.
 * Nothing is stored per client before the cookie checks out.
 */
public final class CookieExchange {
    private static final Logger log = LoggerFactory.getLogger(CookieExchange.class);
    /**
     * The highest message_seq of a ClientHello with a valid cookie. RFC 6347 4.2.2: the first
     * ClientHello has message_seq 0 and each one answering a HelloVerifyRequest one more, so a
     * client's message_seq is the number of HelloVerifyRequests it answered; our client answers
     * at most {@link ClientHandshake#MAX_HELLO_VERIFY_REQUESTS}, and a server keeps this small
     * because its own first message_seq repeats the ClientHello's (4.2.2).
     */
    public static final int MAX_CLIENT_HELLO_MESSAGE_SEQ = ClientHandshake.MAX_HELLO_VERIFY_REQUESTS;

    /**
     * Record sequence numbers the server's epoch 0 must keep after the ClientHello's, which it
     * repeats (RFC 6347 4.2.1) and continues from: far more than any handshake writes (a flight
     * is at most a few hundred records, resent at most a few hundred times), so only a
     * ClientHello numbered near 2^48 is refused. Sequence numbers never wrap (4.1), and an
     * honest client numbers its first records from 0.
     */
    public static final long EPOCH_ZERO_HEADROOM = 1L << 32;

    private final CookieGenerator cookies;
    private final boolean enabled;
    private final DtlsConfig config;
    /** {@link DtlsConfig#messageTrace()}, or {@code null}. */
    private final MessageTrace trace;

    /** @throws IllegalArgumentException when {@code config} was not built for a server role */
    public CookieExchange(DtlsConfig config) {
        config.requireServerCredentials();
        this.cookies = new CookieGenerator(config.random(), config.cookieSecretLifetimeMillis());
        this.enabled = config.cookieExchange();
        this.config = config;
        this.trace = config.messageTrace();
    }

    /** What to do with a datagram from an unknown address. */
    public sealed interface Verdict permits Accept, Reply, Drop {
    }

    /**
     * Create an association: the datagram holds a ClientHello with a valid cookie (or cookies
     * are off), whose message_seq and record sequence number the server's first flight continues
     * from (RFC 6347 4.2.1, 4.2.2).
     */
    public record Accept(int messageSeq, long recordSeq) implements Verdict {
    }

    /** Send this HelloVerifyRequest datagram back and forget the client. */
    public record Reply(byte[] datagram) implements Verdict {
    }

    public record Drop(DropReason reason) implements Verdict {
    }

    /**
     * @param peerId the client's address and port as bytes (what the cookie binds to)
     */
    public Verdict check(byte[] datagram, int offset, int length, byte[] peerId, long now) {
        Verdict verdict = decide(datagram, offset, length, peerId, now);
        if (trace != null) {
            trace(datagram, offset, length, verdict);
        }
        return verdict;
    }

    private Verdict decide(byte[] datagram, int offset, int length, byte[] peerId, long now) {
        RecordCodec.Parsed parsed = RecordCodec.parse(datagram, offset, length);
        if (parsed.records().isEmpty()) {
            return new Drop(DropReason.MALFORMED_RECORD);
        }
        // The ClientHello must be the first record; the first flight is one message, and we
        // require it unfragmented because reassembling before the cookie would need state.
        Record record = parsed.records().get(0);
        if (record.contentType() != ContentType.HANDSHAKE.code || record.epoch() != 0
                || (record.version() != ProtocolVersion.DTLS_1_0 && record.version() != ProtocolVersion.DTLS_1_2)) {
            return new Drop(DropReason.NOT_A_CLIENT_HELLO);
        }
        HandshakeFragment fragment;
        ClientHello hello;
        try {
            fragment = HandshakeFragment.decode(new ByteReader(record.fragment()));
            if (fragment.msgType() != HandshakeType.CLIENT_HELLO.code || !fragment.isComplete()) {
                return new Drop(DropReason.NOT_A_CLIENT_HELLO);
            }
            hello = ClientHello.decode(fragment.fragment());
        } catch (DecodeException e) {
            return new Drop(DropReason.MALFORMED_HANDSHAKE);
        }
        if (record.sequenceNumber() > Record.MAX_SEQUENCE_NUMBER - EPOCH_ZERO_HEADROOM) {
            return new Drop(DropReason.SEQUENCE_NUMBER_TOO_HIGH);
        }
        int messageSeq = fragment.messageSeq();
        if (!enabled) {
            // No HelloVerifyRequest was sent, so this is the client's first message (RFC 6347 4.2.2).
            return messageSeq == 0 ? new Accept(0, record.sequenceNumber()) : new Drop(DropReason.UNEXPECTED_MESSAGE_SEQ);
        }
        try {
            if (config.dtls13() && Dtls13Cookie.offersDtls13(hello)) {
                return decide13(hello, fragment, record, length, peerId, now);
            }
        } catch (DecodeException e) {
            return new Drop(DropReason.MALFORMED_HANDSHAKE);
        }
        byte[] fields = hello.withCookie(new byte[0]).encode();
        if (hello.cookie().length > 0 && cookies.verify(hello.cookie(), peerId, fields, now)) {
            // A cookie comes only from a HelloVerifyRequest, so at least one was answered.
            return messageSeq >= 1 && messageSeq <= MAX_CLIENT_HELLO_MESSAGE_SEQ
                    ? new Accept(messageSeq, record.sequenceNumber()) : new Drop(DropReason.UNEXPECTED_MESSAGE_SEQ);
        }
        // Without a cookie this is the first ClientHello (message_seq 0); with a stale one, a
        // later one that may still be answered and then accepted.
        boolean expected = hello.cookie().length == 0 ? messageSeq == 0 : messageSeq < MAX_CLIENT_HELLO_MESSAGE_SEQ;
        if (!expected) {
            return new Drop(DropReason.UNEXPECTED_MESSAGE_SEQ);
        }
        byte[] cookie = cookies.generate(peerId, fields, now);
        byte[] reply = helloVerifyRequest(cookie, fragment.messageSeq(), record.sequenceNumber());
        if (reply.length > length) {
            // Never answer with more bytes than arrived: no amplification for spoofed sources.
            return new Drop(DropReason.NOT_A_CLIENT_HELLO);
        }
        return new Reply(reply);
    }

    /**
     * RFC 9147 5.1: a ClientHello offering DTLS 1.3 is answered with a HelloRetryRequest whose
     * cookie ({@link Dtls13Cookie}) carries what the association will need, never with a
     * HelloVerifyRequest (RFC 9147 5.3 forbids a legacy_cookie in a DTLS 1.3 hello). The second
     * ClientHello (message_seq 1) with a cookie whose MAC checks out creates the association.
     * A hello the association would refuse (no suite or group in common) is answered with the
     * fatal alert that says why, statelessly: accepting it would create per-client state for an
     * address never proven (RFC 9147 5.1), and from a peer's address supersede its pending
     * handshake. The alert (15 bytes) is smaller than any ClientHello.
     */
    private Verdict decide13(ClientHello hello, HandshakeFragment fragment, Record record, int length, byte[] peerId,
            long now) {
        int messageSeq = fragment.messageSeq();
        byte[] cookie = Dtls13Cookie.cookieOf(hello);
        if (cookie != null) {
            byte[][] parts = Dtls13Cookie.split(cookie);
            if (parts == null || !cookies.verify(parts[1], peerId, parts[0], now) || Dtls13Cookie.parse(parts[0]) == null) {
                // Stale or forged: the client retries only once (RFC 8446 4.1.4), so nothing to answer.
                return new Drop(DropReason.INVALID_COOKIE);
            }
            return messageSeq == 1 ? new Accept(1, record.sequenceNumber()) : new Drop(DropReason.UNEXPECTED_MESSAGE_SEQ);
        }
        if (messageSeq != 0) {
            return new Drop(DropReason.UNEXPECTED_MESSAGE_SEQ);
        }
        Dtls13Cookie.Choice choice;
        try {
            choice = Dtls13Cookie.choose(config, hello);
        } catch (HandshakeFailure e) {
            log.debug("DTLS 1.3 ClientHello refused before any state: {} (sent fatal alert {})", e.getMessage(),
                    e.alert.rfcName());
            return new Reply(fatalAlert(e.alert, record.sequenceNumber()));
        }
        byte[] fields = Dtls13Cookie.unauthenticated(choice,
                new HandshakeMessage(HandshakeType.CLIENT_HELLO, 0, fragment.fragment()));
        byte[] mac = cookies.generate(peerId, fields, now);
        byte[] full = java.util.Arrays.copyOf(fields, fields.length + mac.length);
        System.arraycopy(mac, 0, full, fields.length, mac.length);
        byte[] body = Dtls13Cookie.helloRetryRequest(choice.suite(), choice.retryGroup(), hello.sessionId(), full).encode();
        ByteWriter handshake = new ByteWriter(HandshakeFragment.HEADER_LENGTH + body.length);
        new HandshakeFragment(HandshakeType.SERVER_HELLO.code, body.length, 0, 0, body).encode(handshake);
        ByteWriter out = new ByteWriter(Record.HEADER_LENGTH + handshake.size());
        // RFC 9147 5.1: like a HelloVerifyRequest, it repeats the ClientHello's record number.
        RecordCodec.encode(out, ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_2, 0, record.sequenceNumber(),
                handshake.toByteArray());
        byte[] reply = out.toByteArray();
        if (reply.length > length) {
            // RFC 9147 5.1: never more bytes than arrived, so a spoofed source gains nothing.
            return new Drop(DropReason.NOT_A_CLIENT_HELLO);
        }
        return new Reply(reply);
    }

    /**
     * Reports what the front door answered or dropped; an accepted ClientHello is reported by
     * the association it creates, so that it appears once. Parses again: only when tracing.
     */
    private void trace(byte[] datagram, int offset, int length, Verdict verdict) {
        if (verdict instanceof Accept) {
            return;
        }
        List<Record> received = RecordCodec.parse(datagram, offset, length).records();
        if (received.isEmpty()) {
            return;
        }
        Record first = received.get(0);
        if (verdict instanceof Drop drop) {
            Traces.received(trace, first, first.contentType(), drop.reason());
            return;
        }
        Traces.received(trace, first, first.contentType(), null);
        traceFragment(MessageTrace.Direction.RECEIVED, first);
        byte[] reply = ((Reply) verdict).datagram();
        Record sent = RecordCodec.parse(reply, 0, reply.length).records().get(0);
        Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.SENT, sent.epoch(), sent.sequenceNumber(),
                sent.contentType(), sent.encodedLength(), false, null));
        if (sent.contentType() == ContentType.ALERT.code) {
            Traces.emit(trace, new MessageTrace.AlertEvent(MessageTrace.Direction.SENT, 0, sent.fragment()[0] & 0xff,
                    sent.fragment()[1] & 0xff));
            return;
        }
        traceFragment(MessageTrace.Direction.SENT, sent);
    }

    /** The handshake fragment a record of a Reply verdict holds: checked by {@link #decide}, or written by us. */
    private void traceFragment(MessageTrace.Direction direction, Record record) {
        try {
            Traces.fragment(trace, direction, record.epoch(), HandshakeFragment.decode(new ByteReader(record.fragment())), false);
        } catch (DecodeException e) {
            throw new IllegalStateException("a ClientHello answered or a HelloVerifyRequest written did not decode", e);
        }
    }

    /** A plaintext epoch-0 fatal alert repeating the ClientHello's record sequence number, as the HelloRetryRequest would. */
    private static byte[] fatalAlert(AlertDescription description, long recordSeq) {
        ByteWriter out = new ByteWriter(Record.HEADER_LENGTH + 2);
        RecordCodec.encode(out, ContentType.ALERT.code, ProtocolVersion.DTLS_1_2, 0, recordSeq,
                new byte[] {(byte) AlertLevel.FATAL.code, (byte) description.code});
        return out.toByteArray();
    }

    /**
     * RFC 6347 4.2.1: the HelloVerifyRequest repeats the ClientHello's message_seq and record
     * sequence number, and uses version DTLS 1.0 so that any client can parse it.
     */
    private static byte[] helloVerifyRequest(byte[] cookie, int messageSeq, long recordSeq) {
        byte[] body = new HelloVerifyRequest(ProtocolVersion.DTLS_1_0, cookie).encode();
        ByteWriter handshake = new ByteWriter(HandshakeFragment.HEADER_LENGTH + body.length);
        new HandshakeFragment(HandshakeType.HELLO_VERIFY_REQUEST.code, body.length, messageSeq, 0, body)
                .encode(handshake);
        ByteWriter out = new ByteWriter(Record.HEADER_LENGTH + handshake.size());
        RecordCodec.encode(out, ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_0, 0, recordSeq,
                handshake.toByteArray());
        return out.toByteArray();
    }
}
