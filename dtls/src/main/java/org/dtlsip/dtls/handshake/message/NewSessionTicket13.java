package org.dtlsip.dtls.handshake.message;

import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * NewSessionTicket in TLS 1.3 form (RFC 8446 4.6.1), a post-handshake message in epoch 3:
 *
 * <pre>
 * struct {
 *     uint32 ticket_lifetime;
 *     uint32 ticket_age_add;
 *     opaque ticket_nonce&lt;0..255&gt;;
 *     opaque ticket&lt;1..2^16-1&gt;;
 *     Extension extensions&lt;0..2^16-2&gt;;
 * } NewSessionTicket;
 * </pre>
 *
 * The ticket's PSK is {@code HKDF-Expand-Label(resumption_master_secret, "resumption",
 * ticket_nonce, Hash.length)} ({@link org.dtlsip.dtls.crypto.Tls13Hkdf#resumptionPsk}).
 */
public record NewSessionTicket13(long lifetime, long ageAdd, byte[] nonce, byte[] ticket,
        List<Extension> extensions) implements HandshakeBody {
    /** RFC 8446 4.6.1: servers MUST NOT use a lifetime above 7 days, and clients never keep one longer. */
    public static final long MAX_LIFETIME_SECONDS = 604_800;
    private static final long MAX_UINT32 = 0xffff_ffffL;

    public NewSessionTicket13 {
        if (lifetime < 0 || lifetime > MAX_UINT32 || ageAdd < 0 || ageAdd > MAX_UINT32) {
            throw new IllegalArgumentException("ticket_lifetime or ticket_age_add out of range");
        }
        nonce = Wire.checkOpaque(nonce, 0, Wire.MAX_UINT8, "ticket_nonce");
        ticket = Wire.checkOpaque(ticket, 1, Wire.MAX_UINT16, "ticket");
        extensions = Extensions.copyOf(extensions);
    }

    /** @throws DecodeException if truncated, the ticket is empty, or bytes trail */
    public static NewSessionTicket13 decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        long lifetime = (long) r.u16() << 16 | r.u16();
        long ageAdd = (long) r.u16() << 16 | r.u16();
        byte[] nonce = r.vector8();
        byte[] ticket = r.vector16();
        if (ticket.length == 0) {
            throw new DecodeException("NewSessionTicket: empty ticket");
        }
        List<Extension> extensions = Extensions13.read(r);
        r.expectEnd("NewSessionTicket");
        return new NewSessionTicket13(lifetime, ageAdd, nonce, ticket, extensions);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(16 + nonce.length + ticket.length);
        w.u16((int) (lifetime >>> 16)).u16((int) lifetime).u16((int) (ageAdd >>> 16)).u16((int) ageAdd);
        w.vector8(nonce).vector16(ticket);
        Extensions13.write(w, extensions);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.NEW_SESSION_TICKET;
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    /** The extension of {@code type}, or {@code null}. */
    public Extension extension(int type) {
        return Extensions.find(extensions, type);
    }

    private Object[] parts() {
        return Wire.parts(lifetime, ageAdd, nonce, ticket, extensions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewSessionTicket13 m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("NewSessionTicket13", "lifetime", lifetime, "nonce", nonce, "ticket", ticket,
                "extensions", extensions);
    }
}
