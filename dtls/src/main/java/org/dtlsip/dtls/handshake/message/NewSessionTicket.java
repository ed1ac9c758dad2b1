package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * NewSessionTicket (RFC 5077 3.3): {@code uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>;}.
 * An empty ticket is legal: a server that announced session_ticket but then decides not to
 * issue one sends it empty (RFC 5077 3.3).
 */
public record NewSessionTicket(long lifetimeHint, byte[] ticket) implements HandshakeBody {

    /** ticket_lifetime_hint is a uint32 count of seconds; 0 means unspecified. */
    public static final long MAX_LIFETIME_HINT = 0xffff_ffffL;
    /** {@code opaque ticket<0..2^16-1>}. */
    public static final int MAX_TICKET_LENGTH = Wire.MAX_UINT16;

    /** @throws IllegalArgumentException if the hint is not a uint32 or the ticket too long */
    public NewSessionTicket {
        if (lifetimeHint < 0 || lifetimeHint > MAX_LIFETIME_HINT) {
            throw new IllegalArgumentException("ticket_lifetime_hint out of range: " + lifetimeHint);
        }
        ticket = Wire.checkOpaque(ticket, 0, MAX_TICKET_LENGTH, "ticket");
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if truncated or bytes trail */
    public static NewSessionTicket decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        long hint = ((long) r.u16() << 16) | r.u16();
        byte[] ticket = r.vector16();
        r.expectEnd("NewSessionTicket");
        return new NewSessionTicket(hint, ticket);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(6 + ticket.length).u16((int) (lifetimeHint >>> 16)).u16((int) lifetimeHint)
                .vector16(ticket).toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.NEW_SESSION_TICKET;
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    private Object[] parts() {
        return Wire.parts(lifetimeHint, ticket);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewSessionTicket m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("NewSessionTicket", "lifetime_hint", lifetimeHint, "ticket", ticket);
    }
}
