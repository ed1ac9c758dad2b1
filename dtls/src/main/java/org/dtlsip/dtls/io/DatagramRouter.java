package org.dtlsip.dtls.io;

import java.net.InetSocketAddress;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.record.DropReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each datagram that reaches a {@link DtlsServer} goes:
 * <ul>
 *   <li>first record with a connection ID: to the association that receives on it, whatever
 *       the source; the peer may move there ({@link PeerAddressRule}, RFC 9146 6);</li>
 *   <li>from an address with an association: to it, unless it is a ClientHello that crosses
 *       our own ({@link SimultaneousOpen}) or starts a new handshake ({@link NewHandshakeRule},
 *       RFC 6347 4.2.8);</li>
 *   <li>otherwise through the stateless cookie exchange (RFC 6347 4.2.1): nothing is stored
 *       until a ClientHello returns a valid cookie, and then only within the
 *       {@link ServerLimits} and with a free connection ID.</li>
 * </ul>
 * Called under the server's lock.
 */
final class DatagramRouter {
    private static final Logger log = LoggerFactory.getLogger(DtlsServer.class);

    private final DtlsServer server;
    private final DtlsConfig associationConfig;
    private final CookieExchange cookieExchange;
    private final AssociationTable table;
    private final AssociationDriver driver;
    private final ServerCounters counters;
    private final DtlsServer.Handler handler;

    DatagramRouter(DtlsServer server, CookieExchange cookieExchange, DtlsConfig associationConfig,
            AssociationTable table, AssociationDriver driver, ServerCounters counters, DtlsServer.Handler handler) {
        this.server = server;
        this.associationConfig = associationConfig;
        this.cookieExchange = cookieExchange;
        this.table = table;
        this.driver = driver;
        this.counters = counters;
        this.handler = handler;
    }

    /**
     * Routes one datagram. What escapes (a bug outside any one association, e.g. while creating
     * one) costs this datagram only: it is counted in {@link ServerStats#internalErrors()} and
     * logged with its source, and the loop goes on.
     */
    void route(InetSocketAddress from, byte[] data, int length, long now) {
        try {
            dispatch(from, data, length, now);
        } catch (RuntimeException e) {
            counters.internalErrors++;
            AssociationDriver.logInternalError(counters.internalErrors, "on a datagram from " + from
                    + "; dropped, the server keeps serving", e);
        }
    }

    private void dispatch(InetSocketAddress from, byte[] data, int length, long now) {
        if (PeerAddressRule.mayArriveFromElsewhere(data, length, associationConfig.connectionIdLength())) {
            onConnectionIdDatagram(from, data, length, now);
            return;
        }
        DtlsServer.Association pending = table.replacementAt(from);
        DtlsServer.Association a = table.at(from);
        if (pending != null && !NewHandshakeRule.supersedes(pending.helloRandom, data, length)) {
            duringReplacement(a, pending, data, length, now);
            return;
        }
        boolean clientHello = NewHandshakeRule.looksLikeInitialClientHello(data, length);
        if (a != null && clientHello && a.isClient() && a.engine.status() == DtlsEngine.Status.HANDSHAKING) {
            crossedClientHello(a, from, data, length, now);
            return;
        }
        if (a != null && !(clientHello
                && NewHandshakeRule.mayReplace(a.engine.status(), a.isClient(), associationConfig.clientAuth())
                && !NewHandshakeRule.replaysHandshakeOf(a.engine.session(), data, length))) {
            driver.receive(a, data, length, now);
            return;
        }
        CookieExchange.Accept accept = cookieChecked(from, data, length, now);
        if (accept == null) {
            return;
        }
        if (pending != null) {
            // A newer ClientHello from the address supersedes a new handshake not yet complete:
            // only a restarted peer's latest can finish (RFC 6347 4.2.8).
            driver.forget(pending);
            DtlsException failure = new DtlsException("superseded by a newer handshake from " + from);
            driver.safely(() -> handler.onClosed(pending, failure));
        }
        DtlsServer.Association created = create(from, associationConfig, accept, now);
        if (created == null) {
            return;
        }
        if (a != null) {
            // RFC 6347 4.2.8: the old association stays until this handshake completes.
            created.replaces = a;
            created.helloRandom = SimultaneousOpen.clientHelloRandom(data, length);
        }
        table.add(created);
        driver.receive(created, data, length, now);
    }

    /** The cookie exchange's verdict: a HelloVerifyRequest sent or a drop counted ({@code null}), or the accepted ClientHello. */
    private CookieExchange.Accept cookieChecked(InetSocketAddress from, byte[] data, int length, long now) {
        CookieExchange.Verdict verdict = cookieExchange.check(data, 0, length, PeerIds.of(from), now);
        if (verdict instanceof CookieExchange.Reply reply) {
            counters.helloVerifyRequests++;
            driver.sendStateless(reply.datagram(), from);
        } else if (verdict instanceof CookieExchange.Drop drop) {
            counters.dropped(drop.reason());
        } else if (verdict instanceof CookieExchange.Accept accept) {
            return accept;
        }
        return null;
    }

    /**
     * A server-role association for a cookie-verified ClientHello, not yet in the table; or
     * {@code null}, counted, when a {@link ServerLimits} bound or the connection ID space
     * refuses it.
     */
    private DtlsServer.Association create(InetSocketAddress from, DtlsConfig config, CookieExchange.Accept accept,
            long now) {
        if (!table.hasRoomForHandshake()) {
            counters.refusedAtLimit++;
            return null;
        }
        byte[] cid = table.newConnectionId();
        if (cid == null) {
            refuseForConnectionIds(from);
            return null;
        }
        return server.newAssociation(from, DtlsEngine.server(config, accept, now, cid), now, null);
    }

    /** Counts and logs (the first time at WARN) a handshake refused because every connection ID is taken. */
    void refuseForConnectionIds(InetSocketAddress peer) {
        counters.connectionIdsExhausted++;
        if (counters.connectionIdsExhausted == 1) {
            log.warn("DTLS server: no free connection ID of {} byte(s) for {} ({} associations receive on IDs); "
                    + "handshakes are refused until one ends. Configure a longer DtlsConfig.connectionIdLength",
                    associationConfig.connectionIdLength(), peer, table.withConnectionIds());
        } else {
            log.debug("no free connection ID for {}; handshake refused", peer);
        }
    }

    /**
     * A datagram from an address where an established association and the new handshake that
     * may replace it both live ({@link NewHandshakeRule}): plaintext epoch 0 to the new one
     * only; anything else to both, the old first.
     */
    private void duringReplacement(DtlsServer.Association old, DtlsServer.Association pending, byte[] data, int length,
            long now) {
        if (old != null && !NewHandshakeRule.forNewHandshakeOnly(data, length)) {
            driver.receive(old, data, length, now);
        }
        if (!pending.removed) {
            driver.receive(pending, data, length, now);
        }
    }

    /**
     * A ClientHello from a peer we are handshaking with as a client: both opened at once
     * ({@link SimultaneousOpen}). If our random wins, the peer yields when our ClientHello
     * reaches it and this one is dropped unanswered. If theirs wins, the peer must first return
     * a cookie (RFC 6347 4.2.1: so a spoofed ClientHello cannot end our handshake); then our
     * client association gives way to a server-role one that answers it and requires the peer's
     * certificate, as our client would have required the server's.
     */
    private void crossedClientHello(DtlsServer.Association ours, InetSocketAddress from, byte[] data, int length,
            long now) {
        if (!SimultaneousOpen.yields(ours.clientHelloRandom, SimultaneousOpen.clientHelloRandom(data, length))) {
            counters.dropped(DropReason.UNEXPECTED_MESSAGE);
            return;
        }
        CookieExchange.Accept accept = cookieChecked(from, data, length, now);
        if (accept == null) {
            return;
        }
        counters.evicted(ServerStats.Eviction.YIELDED_TO_PEER_HANDSHAKE);
        log.debug("simultaneous open with {}: the peer's handshake wins, ours gives way", from);
        driver.forget(ours);
        // The server-role association stands in for a client one that was to authenticate
        // this peer: it requires the peer's certificate, checked by the same verifier.
        DtlsConfig yielded = associationConfig.clientAuth() == DtlsConfig.ClientAuth.NEED ? associationConfig
                : associationConfig.toBuilder().clientAuth(DtlsConfig.ClientAuth.NEED).build();
        DtlsServer.Association created = create(from, yielded, accept, now);
        if (created == null) {
            return;
        }
        table.add(created);
        driver.safely(() -> handler.onYielded(ours, created));
        driver.receive(created, data, length, now);
    }

    /**
     * A datagram whose first record carries a connection ID (RFC 9146 4, RFC 9147 9): routed by the ID,
     * whatever its source.
     */
    private void onConnectionIdDatagram(InetSocketAddress from, byte[] data, int length, long now) {
        byte[] cid = PeerAddressRule.firstConnectionId(data, length, associationConfig.connectionIdLength());
        DtlsServer.Association a = table.withConnectionId(cid);
        if (a == null) {
            counters.dropped(DropReason.UNKNOWN_CONNECTION_ID);
            return;
        }
        driver.receiveRoutedByConnectionId(a, from, data, length, now);
    }
}
