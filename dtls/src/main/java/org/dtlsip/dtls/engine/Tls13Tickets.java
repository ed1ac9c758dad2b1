package org.dtlsip.dtls.engine;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.message.NewSessionTicket13;

/**
 * The server's NewSessionTicket after a DTLS 1.3 handshake (RFC 8446 4.6.1, RFC 9147 5.8.4):
 * one ticket per handshake, full or resumed, sealed with the configuration's
 * {@link SessionTicketKeys}; sent in epoch 3 as a flight of its own, resent until the client
 * ACKs it. Without early_data (no 0-RTT, docs/DTLS13.md).
 */
final class Tls13Tickets {
    /**
     * One ticket per connection, so one nonce value suffices: the nonce only has to differ
     * between the tickets of one connection (RFC 8446 4.6.1).
     */
    private static final byte[] NONCE = {0};
    /** RFC 8446 4.6.1: {@code opaque ticket<1..2^16-1>}. */
    static final int MAX_TICKET_LENGTH = 65_535;

    private Tls13Tickets() {
    }

    static void issue(Dtls13Association a, Tls13Hkdf hkdf, Tls13CipherSuite suite, byte[] resumptionMasterSecret,
            String serverName, List<X509Certificate> clientChain, long authenticatedMillis, long now) {
        DtlsConfig config = a.config();
        SessionTicketKeys keys = config.sessionTicketKeys();
        if (!config.sessionTickets() || keys == null) {
            return;
        }
        // The session may live as long as our keys accept its tickets, counted from the full handshake.
        long remainingMillis = keys.ticketLifetimeMillis() - Math.max(0, now - authenticatedMillis);
        long lifetime = Math.min(NewSessionTicket13.MAX_LIFETIME_SECONDS, remainingMillis / 1000);
        if (lifetime <= 0) {
            return;
        }
        byte[] psk = hkdf.resumptionPsk(resumptionMasterSecret, NONCE);
        long ageAdd = config.random().nextInt() & 0xffff_ffffL;
        byte[] ticket = keys.sealBytes(sealed(now, ageAdd, new Tls13SessionState(suite, psk, authenticatedMillis, serverName,
                der(clientChain))), now);
        java.util.Arrays.fill(psk, (byte) 0);
        if (ticket.length > MAX_TICKET_LENGTH) {
            // A client chain too large to fit (ticket<1..2^16-1>, RFC 8446 4.6.1): no ticket, no failure.
            return;
        }
        NewSessionTicket13 nst = new NewSessionTicket13(lifetime, ageAdd, NONCE, ticket, List.of());
        HandshakeMessage message = a.newMessage(HandshakeType.NEW_SESSION_TICKET, nst.encode());
        a.sendFlight(List.of(new Dtls13Flight.Item(3, message)), false, now);
    }

    /**
     * What the ticket holds: when it was issued and its ticket_age_add, so that the server can
     * compare the client's obfuscated_ticket_age with its own view (RFC 8446 4.2.11.1, 8.3),
     * then the session state.
     */
    static byte[] sealed(long issuedMillis, long ageAdd, Tls13SessionState state) {
        byte[] encoded = state.encode();
        return new org.dtlsip.dtls.util.ByteWriter(12 + encoded.length).u48(Math.max(0, issuedMillis)).u48(ageAdd)
                .bytes(encoded).toByteArray();
    }

    private static List<byte[]> der(List<X509Certificate> chain) {
        List<byte[]> der = new ArrayList<>(chain.size());
        for (X509Certificate c : chain) {
            try {
                der.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot encode the client's certificate", e);
            }
        }
        return der;
    }
}
