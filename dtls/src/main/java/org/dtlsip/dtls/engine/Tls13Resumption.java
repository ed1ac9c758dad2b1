package org.dtlsip.dtls.engine;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.EarlySecret;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.OfferedPsks;
import org.dtlsip.dtls.handshake.extension.PskIdentity;
import org.dtlsip.dtls.handshake.extension.PskKeyExchangeModes;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Resumption with DTLS 1.3 tickets (RFC 8446 2.2, 4.2.11, 4.6.1): the client's pre_shared_key
 * offer with its binder, and the server's choice of an offered ticket. Only psk_dhe_ke is
 * offered and accepted, so a resumed handshake still has forward secrecy (RFC 8446 4.2.9);
 * there is no 0-RTT (docs/DTLS13.md).
 */
final class Tls13Resumption {
    /**
     * Identities a server tries at most: we offer one, and each costs an AEAD open; the rest
     * of a long list is ignored (RFC 8446 4.2.11 lets the server pick any, or none).
     */
    static final int MAX_IDENTITIES_TRIED = 4;
    /**
     * How far the client's view of a ticket's age (obfuscated_ticket_age minus ticket_age_add)
     * may differ from ours before the ticket is declined: RFC 8446 8.3 suggests a window "on the
     * order of 10 seconds" plus the round trip. Without 0-RTT a ticket outside it only costs a
     * full handshake; it catches a ticket presented by someone whose clock says it is stale.
     */
    static final long TICKET_AGE_TOLERANCE_MILLIS = 10_000;

    private Tls13Resumption() {
    }

    /**
     * The ticket a client may offer: a DTLS 1.3 one, within its lifetime, for a suite we offer,
     * made for the server name we ask for now (RFC 8446 4.6.1: the SNI must match).
     */
    static Tls13Ticket offerable(DtlsConfig config, long now) {
        ResumableSession saved = config.resumeSession();
        if (saved == null || !saved.isDtls13() || !config.dtls13()) {
            return null;
        }
        Tls13Ticket t = saved.tls13();
        boolean sameName = java.util.Objects.equals(t.state().serverName(), config.serverName());
        return t.usableAt(now) && sameName && config.tls13CipherSuites().contains(t.state().suite()) ? t : null;
    }

    /**
     * {@code hello} with psk_key_exchange_modes (psk_dhe_ke) and, last (RFC 8446 4.2.11),
     * pre_shared_key naming {@code ticket}, its binder computed over {@code transcriptBefore}
     * (empty for ClientHello1; message_hash and the HelloRetryRequest for ClientHello2) and the
     * hello truncated before the binders. Any earlier offer in {@code hello} is replaced.
     */
    static ClientHello withPskOffer(ClientHello hello, Tls13Ticket ticket, Transcript13 transcriptBefore, long now) {
        List<Extension> exts = new ArrayList<>(hello.extensions().size() + 2);
        for (Extension e : hello.extensions()) {
            if (e.type() != ExtensionType.PRE_SHARED_KEY && e.type() != ExtensionType.PSK_KEY_EXCHANGE_MODES) {
                exts.add(e);
            }
        }
        exts.add(PskKeyExchangeModes.pskDheKe().toExtension());
        Tls13CipherSuite suite = ticket.state().suite();
        OfferedPsks placeholder = OfferedPsks.withPlaceholderBinders(List.of(ticket.identity(now)), suite.hash.length);
        ClientHello unbound = replaceLast(hello, exts, placeholder.toExtension());
        HandshakeMessage truncated = new HandshakeMessage(HandshakeType.CLIENT_HELLO, 0, unbound.encode());
        byte[] binder = binder(suite, ticket.state().psk(),
                transcriptBefore.hashWithTruncatedClientHello(suite.hash, truncated, placeholder.bindersLength()));
        return replaceLast(hello, exts, placeholder.withBinders(List.of(binder)).toExtension());
    }

    /** {@code hello} without any PSK offer (RFC 8446 4.1.4: a retry whose suite hash does not fit the PSK). */
    static ClientHello withoutPskOffer(ClientHello hello) {
        List<Extension> exts = new ArrayList<>();
        for (Extension e : hello.extensions()) {
            if (e.type() != ExtensionType.PRE_SHARED_KEY && e.type() != ExtensionType.PSK_KEY_EXCHANGE_MODES) {
                exts.add(e);
            }
        }
        return new ClientHello(hello.clientVersion(), hello.random(), hello.sessionId(), hello.cookie(), hello.cipherSuites(),
                hello.compressionMethods(), exts);
    }

    private static ClientHello replaceLast(ClientHello hello, List<Extension> exts, Extension last) {
        List<Extension> all = new ArrayList<>(exts);
        all.add(last);
        return new ClientHello(hello.clientVersion(), hello.random(), hello.sessionId(), hello.cookie(), hello.cipherSuites(),
                hello.compressionMethods(), all);
    }

    private static byte[] binder(Tls13CipherSuite suite, byte[] psk, byte[] truncatedHash) {
        EarlySecret early = EarlySecret.fromPsk(Tls13Hkdf.dtls13(suite.hash), psk);
        try {
            return early.binder(false, truncatedHash);
        } finally {
            early.destroy();
            java.util.Arrays.fill(psk, (byte) 0);
        }
    }

    /** The ticket a server accepted: which identity, and the state sealed in it. */
    record Accepted(int index, Tls13SessionState state) {
    }

    /**
     * The server's choice among the offered tickets (RFC 8446 4.2.11): the first we sealed,
     * still within our ticket lifetime, for a suite with the hash of the one chosen, made for
     * the same server name, and only with psk_dhe_ke. None of them: {@code null}, a full
     * handshake. Its binder is then checked over {@code transcriptBefore} and the truncated
     * hello; a wrong binder aborts with decrypt_error (RFC 8446 4.2.11, 6.2).
     *
     * @throws HandshakeFailure illegal_parameter when pre_shared_key is not the last extension or
     *     the binders do not match the identities; decrypt_error for a wrong binder
     */
    static Accepted accept(DtlsConfig config, ClientHello hello, HandshakeMessage helloMessage,
            Transcript13 transcriptBefore, Tls13CipherSuite suite, String serverName, long now) {
        Extension offer = Extensions.find(hello.extensions(), ExtensionType.PRE_SHARED_KEY);
        if (offer == null) {
            return null;
        }
        List<Extension> exts = hello.extensions();
        if (exts.get(exts.size() - 1).type() != ExtensionType.PRE_SHARED_KEY) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    "pre_shared_key is not the last extension of the ClientHello (RFC 8446 4.2.11)");
        }
        OfferedPsks offered;
        try {
            offered = OfferedPsks.from(offer);
        } catch (DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed pre_shared_key: " + e.getMessage());
        }
        if (!offered.bindersMatchIdentities()) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    "pre_shared_key with " + offered.binders().size() + " binders for " + offered.identities().size()
                            + " identities (RFC 8446 4.2.11)");
        }
        Extension modes = Extensions.find(exts, ExtensionType.PSK_KEY_EXCHANGE_MODES);
        if (modes == null) {
            throw new HandshakeFailure(AlertDescription.MISSING_EXTENSION,
                    "pre_shared_key without psk_key_exchange_modes (RFC 8446 4.2.9)");
        }
        boolean dheAllowed;
        try {
            dheAllowed = PskKeyExchangeModes.from(modes).allows(PskKeyExchangeModes.PSK_DHE_KE);
        } catch (DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed psk_key_exchange_modes: " + e.getMessage());
        }
        SessionTicketKeys keys = config.sessionTicketKeys();
        if (!dheAllowed || keys == null) {
            return null; // psk_ke only, or we issue no tickets: a full handshake
        }
        List<PskIdentity> identities = offered.identities();
        for (int i = 0; i < Math.min(identities.size(), MAX_IDENTITIES_TRIED); i++) {
            Opened opened = open(keys, identities.get(i).identity(), now);
            Tls13SessionState state = opened == null ? null : opened.state();
            if (state == null || !ageAgrees(opened, identities.get(i), now) || state.suite().hash != suite.hash
                    || !java.util.Objects.equals(state.serverName(), serverName) || !clientStillAuthenticates(config, state)) {
                // RFC 8446 4.2.11: any reason to decline means a full handshake.
                continue;
            }
            byte[] expected = binder(state.suite(), state.psk(),
                    transcriptBefore.hashWithTruncatedClientHello(suite.hash, helloMessage, offered.bindersLength()));
            if (!MessageDigest.isEqual(expected, offered.binder(i))) {
                throw new HandshakeFailure(AlertDescription.DECRYPT_ERROR,
                        "the PSK binder of ticket " + i + " does not verify (RFC 8446 4.2.11)");
            }
            if (config.usedTickets() != null && !config.usedTickets().firstUse(identities.get(i).identity())) {
                // RFC 8446 8.1: a single-use ticket seen again (a replay, or a client reusing it);
                // checked after the binder, so that forged offers cannot use up a ticket.
                continue;
            }
            return new Accepted(i, state);
        }
        return null;
    }

    /**
     * RFC 8446 2.2, 4.6.1: a resumed handshake authenticates no more than a full one would now,
     * as in DTLS 1.2 ({@code ServerHandshake.stillAuthenticates}): a session without a client
     * certificate never stands in for one now required, and a client chain must pass today's
     * verifier (revoked, expired or no longer trusted means a full handshake, which decides).
     */
    private static boolean clientStillAuthenticates(DtlsConfig config, Tls13SessionState state) {
        if (state.peerCertificates().isEmpty()) {
            return config.clientAuth() != DtlsConfig.ClientAuth.NEED;
        }
        if (config.clientAuth() == DtlsConfig.ClientAuth.NONE) {
            return true;
        }
        if (config.peerVerifier() == null) {
            return false;
        }
        try {
            return new org.dtlsip.dtls.crypto.PeerCertificateCheck(config.peerVerifier(),
                    org.dtlsip.dtls.crypto.KeyUsagePolicy.Purpose.TLS_CLIENT, null)
                    .accepts(Tls13Client.certificates(state.peerCertificates()));
        } catch (HandshakeFailure e) {
            return false;
        }
    }

    /** A ticket we sealed, opened: when we issued it, its ticket_age_add, and the session state. */
    private record Opened(long issuedMillis, long ageAdd, Tls13SessionState state) {
    }

    private static Opened open(SessionTicketKeys keys, byte[] ticket, long now) {
        byte[] plain = keys.openBytes(ticket, now);
        if (plain == null) {
            return null;
        }
        try {
            org.dtlsip.dtls.util.ByteReader r = new org.dtlsip.dtls.util.ByteReader(plain);
            long issued = r.u48();
            long ageAdd = r.u48();
            Tls13SessionState state = Tls13SessionState.decode(r.bytes(r.remaining()));
            return now - state.createdMillis() > keys.ticketLifetimeMillis() ? null : new Opened(issued, ageAdd, state);
        } catch (DecodeException e) {
            return null;
        } finally {
            java.util.Arrays.fill(plain, (byte) 0); // it holds the PSK
        }
    }

    /** RFC 8446 4.2.11.1, 8.3: the client's view of the ticket's age is within the tolerance of ours. */
    private static boolean ageAgrees(Opened opened, PskIdentity identity, long now) {
        long ours = now - opened.issuedMillis();
        long theirs = identity.ticketAgeMillis(opened.ageAdd());
        // The client's age is modulo 2^32: read the difference as a signed 32-bit value.
        return Math.abs((long) (int) (theirs - ours)) <= TICKET_AGE_TOLERANCE_MILLIS;
    }
}
