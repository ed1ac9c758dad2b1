package org.dtlsip.dtls.io;

import java.util.Arrays;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsSession;

/**
 * RFC 6347 4.2.8, a new handshake from the address of an established association: the one
 * place it is decided.
 *
 * <p>The RFC lets a server take a cookie-verified ClientHello from the address of an
 * association as a peer that lost its state, but requires that the existing association is
 * not destroyed before the new handshake is complete: a ClientHello captured and replayed
 * while its cookie is valid proves only the address, not the peer. So:
 * <ul>
 *   <li>{@link #mayReplace}: which established associations a new handshake may replace;
 *       never by the ClientHello that began them ({@link #replaysHandshakeOf}).</li>
 *   <li>Until it completes, the new handshake lives next to the old association; a datagram
 *       from the address goes to the new handshake only when it is plaintext epoch 0, else to
 *       both ({@link #forNewHandshakeOnly}), each engine dropping what does not authenticate
 *       under its keys (RFC 6347 4.1.2.7).</li>
 *   <li>When the new handshake completes, it replaces the old association, which ends
 *       quietly; if it fails or stalls, the old one carries on.</li>
 *   <li>Another cookie-verified ClientHello with a different random supersedes a new
 *       handshake not yet complete ({@link #supersedes}): a peer that restarted twice, or a
 *       replay pending when the real peer restarted, cannot hold it up.</li>
 * </ul>
 * {@link DtlsChannel} serves one association per channel and never replaces it: there the
 * engine discards an epoch-0 ClientHello after the handshake (Dtls12Acceptance), and a
 * restarted peer is accepted on a new channel.
 */
final class NewHandshakeRule {
    /** DTLS 1.2 record header (RFC 6347 4.1). */
    private static final int RECORD_HEADER = 13;
    /** Record header plus handshake header (RFC 6347 4.2.2) and at least one body byte. */
    private static final int MIN_CLIENT_HELLO_RECORD = RECORD_HEADER + 13;
    /** RFC 9147 4.1's demultiplexing: a first byte from 32 to 63 starts a DTLS 1.3 unified header. */
    private static final int FIRST_UNIFIED_HEADER_BYTE = 0x20;

    private NewHandshakeRule() {
    }

    /** An epoch-0 handshake record carrying a ClientHello: the start of a new handshake, not part of the current one. */
    static boolean looksLikeInitialClientHello(byte[] d, int length) {
        return length >= MIN_CLIENT_HELLO_RECORD && d[0] == 22 && d[3] == 0 && d[4] == 0 && d[13] == 1;
    }

    /**
     * Whether a cookie-verified ClientHello from the address of an association in
     * {@code status} may start a handshake that replaces it. Never while it handshakes (the
     * ClientHello is then that handshake's). Always for an association the peer opened; for
     * one we opened as a client only when client certificates are required, because the
     * replacement then authenticates the peer as the original did; otherwise a ClientHello
     * from that address could swap a server we authenticated for a client we might not
     * (docs/SECURITY.md).
     */
    static boolean mayReplace(DtlsEngine.Status status, boolean weAreClient, DtlsConfig.ClientAuth clientAuth) {
        return status != DtlsEngine.Status.HANDSHAKING
                && (!weAreClient || clientAuth == DtlsConfig.ClientAuth.NEED);
    }

    /**
     * Whether {@code d} is the ClientHello that began {@code established}'s own handshake: its
     * random is the session's client_random. Such a datagram is a capture replayed while its
     * cookie is valid, never a restarted peer, which draws a fresh random (RFC 5246 7.4.1.2);
     * it starts no new handshake. Otherwise the replay's server flight, sent to the real peer
     * while it restarts, is taken for the answer to its own ClientHello and fails its
     * handshake: a captured datagram would hold every restart of the peer hostage.
     */
    static boolean replaysHandshakeOf(DtlsSession established, byte[] d, int length) {
        byte[] random = SimultaneousOpen.clientHelloRandom(d, length);
        return established != null && random != null && Arrays.equals(random, established.clientRandom());
    }

    /**
     * Whether a datagram from the address goes to the pending new handshake only: its first
     * record is plaintext epoch 0. Bytes 3 and 4 are the epoch only in a DTLSPlaintext header;
     * a DTLS 1.3 unified header (first byte 001xxxxx, RFC 9147 4.1) holds a connection ID, the
     * sequence number or the length there, so it always goes to the old association too.
     */
    static boolean forNewHandshakeOnly(byte[] d, int length) {
        return length >= RECORD_HEADER && (d[0] & 0xff) < FIRST_UNIFIED_HEADER_BYTE && d[3] == 0 && d[4] == 0;
    }

    /**
     * Whether {@code d} is an initial ClientHello other than the one that began a pending new
     * handshake ({@code pendingRandom}), rather than its retransmission.
     */
    static boolean supersedes(byte[] pendingRandom, byte[] d, int length) {
        if (!looksLikeInitialClientHello(d, length)) {
            return false;
        }
        byte[] random = SimultaneousOpen.clientHelloRandom(d, length);
        return random != null && !Arrays.equals(random, pendingRandom);
    }
}
