package org.dtlsip.dtls.handshake.extension;

import java.util.Arrays;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * {@code struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity;}
 * (RFC 8446 4.2.11). For a ticket the identity is the ticket and the age is the client's view
 * of the ticket's age in milliseconds plus ticket_age_add, modulo 2^32; for an external PSK the
 * age is 0.
 */
public record PskIdentity(byte[] identity, long obfuscatedTicketAge) {
    public static final long MAX_UINT32 = 0xffff_ffffL;

    public PskIdentity {
        if (identity.length == 0 || identity.length > 0xffff) {
            throw new IllegalArgumentException("PSK identity of " + identity.length + " bytes");
        }
        if (obfuscatedTicketAge < 0 || obfuscatedTicketAge > MAX_UINT32) {
            throw new IllegalArgumentException("obfuscated_ticket_age out of range: " + obfuscatedTicketAge);
        }
        identity = identity.clone();
    }

    /**
     * RFC 8446 4.2.11.1: {@code obfuscated_ticket_age = (age in ms + ticket_age_add) mod 2^32}.
     */
    public static PskIdentity forTicket(byte[] ticket, long ageMillis, long ticketAgeAdd) {
        return new PskIdentity(ticket, (ageMillis + ticketAgeAdd) & MAX_UINT32);
    }

    /** The ticket age the server derives back: {@code (obfuscated - ticket_age_add) mod 2^32}. */
    public long ticketAgeMillis(long ticketAgeAdd) {
        return (obfuscatedTicketAge - ticketAgeAdd) & MAX_UINT32;
    }

    static PskIdentity read(ByteReader r) {
        byte[] identity = r.vector16();
        if (identity.length == 0) {
            throw new DecodeException("pre_shared_key: empty identity");
        }
        long age = (long) r.u16() << 16 | r.u16();
        return new PskIdentity(identity, age);
    }

    void write(ByteWriter w) {
        w.vector16(identity).u16((int) (obfuscatedTicketAge >>> 16)).u16((int) obfuscatedTicketAge);
    }

    int encodedLength() {
        return 2 + identity.length + 4;
    }

    @Override
    public byte[] identity() {
        return identity.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PskIdentity p && obfuscatedTicketAge == p.obfuscatedTicketAge
                && Arrays.equals(identity, p.identity);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identity) * 31 + Long.hashCode(obfuscatedTicketAge);
    }

    @Override
    public String toString() {
        return "PskIdentity[" + identity.length + " bytes, age " + obfuscatedTicketAge + "]";
    }
}
