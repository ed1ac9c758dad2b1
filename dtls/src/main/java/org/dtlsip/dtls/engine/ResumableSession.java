package org.dtlsip.dtls.engine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * A client's saved session: for DTLS 1.2 the session ID the server gave, the ticket it issued
 * (if any), and the state both need; for DTLS 1.3 the newest ticket of its NewSessionTicket
 * messages ({@link #tls13()}, RFC 8446 4.6.1), with {@code state} null. Offer it with
 * {@code DtlsConfig.Builder.resumeSession} to get an abbreviated handshake. It holds the master
 * secret or a resumption PSK: store it as carefully as a key.
 */
public record ResumableSession(byte[] sessionId, byte[] ticket, SessionState state, Tls13Ticket tls13) {
    private static final String PEM_BEGIN = "-----BEGIN DTLSIP SESSION-----";
    private static final String PEM_END = "-----END DTLSIP SESSION-----";

    /** Marks the optional DTLS 1.3 part after a 1.2 session's fields (older encodings end before it). */
    private static final int TLS13_PART = 0x13;

    public ResumableSession {
        sessionId = sessionId.clone();
        ticket = ticket == null ? new byte[0] : ticket.clone();
        if ((state == null) == (tls13 == null)) {
            throw new IllegalArgumentException("a saved session is either a DTLS 1.2 session or a DTLS 1.3 ticket");
        }
    }

    /** A DTLS 1.2 session. */
    public ResumableSession(byte[] sessionId, byte[] ticket, SessionState state) {
        this(sessionId, ticket, state, null);
    }

    /** A DTLS 1.3 ticket. */
    public static ResumableSession of(Tls13Ticket ticket) {
        return new ResumableSession(new byte[0], new byte[0], null, ticket);
    }

    /** Whether this is a DTLS 1.3 ticket, which only a DTLS 1.3 handshake can use (RFC 8446 2.2). */
    public boolean isDtls13() {
        return tls13 != null;
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(256).vector8(sessionId).vector16(ticket)
                .vector16(state == null ? new byte[0] : state.encode());
        if (tls13 != null) {
            w.u8(TLS13_PART).vector16(tls13.encode());
        }
        return w.toByteArray();
    }

    public static ResumableSession decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        byte[] id = r.vector8();
        byte[] ticket = r.vector16();
        byte[] stateBytes = r.vector16();
        SessionState state = stateBytes.length == 0 ? null : SessionState.decode(stateBytes);
        Tls13Ticket tls13 = null;
        if (r.hasRemaining()) {
            if (r.u8() != TLS13_PART) {
                throw new DecodeException("saved session with an unknown trailing part");
            }
            tls13 = Tls13Ticket.decode(r.vector16());
        }
        r.expectEnd("saved session");
        if ((state == null) == (tls13 == null)) {
            throw new DecodeException("saved session is neither a DTLS 1.2 session nor a DTLS 1.3 ticket");
        }
        return new ResumableSession(id, ticket, state, tls13);
    }

    /** PEM-style text for {@code -sess_out}. */
    public String toPem() {
        return PEM_BEGIN + "\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encode()) + "\n" + PEM_END + "\n";
    }

    /** @throws DecodeException when the text holds no session we wrote */
    public static ResumableSession fromPem(String text) {
        int begin = text.indexOf(PEM_BEGIN);
        int end = text.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new DecodeException("no " + PEM_BEGIN + " block");
        }
        try {
            return decode(Base64.getMimeDecoder().decode(text.substring(begin + PEM_BEGIN.length(), end)));
        } catch (IllegalArgumentException e) {
            throw new DecodeException("bad base64 in saved session");
        }
    }
}
