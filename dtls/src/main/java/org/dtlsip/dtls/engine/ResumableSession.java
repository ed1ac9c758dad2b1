package org.dtlsip.dtls.engine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * A client's saved session: the session ID the server gave, the ticket it issued (if any), and
 * the state both need. Offer it with {@code DtlsConfig.Builder.resumeSession} to get an
 * abbreviated handshake. It holds the master secret: store it as carefully as a key.
 */
public record ResumableSession(byte[] sessionId, byte[] ticket, SessionState state) {
    private static final String PEM_BEGIN = "-----BEGIN DTLSIP SESSION-----";
    private static final String PEM_END = "-----END DTLSIP SESSION-----";

    public ResumableSession {
        sessionId = sessionId.clone();
        ticket = ticket == null ? new byte[0] : ticket.clone();
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
        return new ByteWriter(256).vector8(sessionId).vector16(ticket).vector16(state.encode()).toByteArray();
    }

    public static ResumableSession decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        byte[] id = r.vector8();
        byte[] ticket = r.vector16();
        SessionState state = SessionState.decode(r.vector16());
        r.expectEnd("saved session");
        return new ResumableSession(id, ticket, state);
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
