package org.dtlsip.dtls.engine;

import org.dtlsip.dtls.handshake.extension.PskIdentity;
import org.dtlsip.dtls.handshake.message.NewSessionTicket13;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * A client's DTLS 1.3 ticket (RFC 8446 4.6.1): the opaque ticket to offer as a PSK identity,
 * ticket_age_add to obfuscate its age with, its lifetime, and the session state whose PSK it
 * names ({@code state.createdMillis()} is when the ticket arrived, on the engine's clock).
 */
public record Tls13Ticket(byte[] ticket, long ageAdd, long lifetimeSeconds, Tls13SessionState state) {
    public Tls13Ticket {
        ticket = ticket.clone();
    }

    @Override
    public byte[] ticket() {
        return ticket.clone();
    }

    /**
     * RFC 8446 4.6.1: never used past its lifetime, and never past 7 days whatever the server
     * said; a clock that went backwards (a ticket from another process) counts as age 0.
     */
    public boolean usableAt(long now) {
        long lifetimeMillis = Math.min(lifetimeSeconds, NewSessionTicket13.MAX_LIFETIME_SECONDS) * 1000;
        return ageMillis(now) < lifetimeMillis;
    }

    long ageMillis(long now) {
        return Math.max(0, now - state.createdMillis());
    }

    /** The PSK identity for a ClientHello at {@code now} (RFC 8446 4.2.11: obfuscated_ticket_age). */
    public PskIdentity identity(long now) {
        return PskIdentity.forTicket(ticket, ageMillis(now), ageAdd);
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(ticket.length + 128);
        w.vector16(ticket).u48(ageAdd).u48(lifetimeSeconds).vector16(state.encode());
        return w.toByteArray();
    }

    /** @throws DecodeException when the bytes are not a ticket we wrote */
    public static Tls13Ticket decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        byte[] ticket = r.vector16();
        long ageAdd = r.u48();
        long lifetime = r.u48();
        Tls13SessionState state = Tls13SessionState.decode(r.vector16());
        r.expectEnd("DTLS 1.3 ticket");
        if (ticket.length == 0 || ageAdd > PskIdentity.MAX_UINT32 || lifetime > PskIdentity.MAX_UINT32) {
            throw new DecodeException("malformed DTLS 1.3 ticket");
        }
        return new Tls13Ticket(ticket, ageAdd, lifetime, state);
    }
}
