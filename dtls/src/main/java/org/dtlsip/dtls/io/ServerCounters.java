package org.dtlsip.dtls.io;

import java.util.Collection;
import java.util.EnumMap;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;

/**
 * What a {@link DtlsServer} counts, mutable and owned by its lock; {@link #snapshot} makes the
 * immutable {@link ServerStats}. Drops and retransmissions of live associations stay in their
 * engines and are added at snapshot time; an association's are folded in here when it goes
 * ({@link #retire}), so the totals never go backwards.
 */
final class ServerCounters {
    private final EnumMap<DropReason, Long> preAssociationDrops = new EnumMap<>(DropReason.class);
    private final EnumMap<DropReason, Long> retiredDrops = new EnumMap<>(DropReason.class);
    private final EnumMap<ServerStats.Eviction, Long> evictions = new EnumMap<>(ServerStats.Eviction.class);
    private long retiredRetransmissions;
    long handshakesCompleted;
    long handshakesFailed;
    long helloVerifyRequests;
    long refusedAtLimit;
    long sendErrors;
    long peerAddressChanges;
    long addressChangesRefused;
    long pathValidationsFailed;
    long connectionIdsExhausted;
    long internalErrors;
    long callbackErrors;

    /** A datagram dropped before any association took it (e.g. by the cookie exchange). */
    void dropped(DropReason reason) {
        preAssociationDrops.merge(reason, 1L, Long::sum);
    }

    void evicted(ServerStats.Eviction why) {
        evictions.merge(why, 1L, Long::sum);
    }

    /** Folds a departing association's engine counters into the totals. */
    void retire(DtlsEngine engine) {
        retiredRetransmissions += engine.retransmissions();
        engine.drops().forEach((reason, n) -> retiredDrops.merge(reason, n, Long::sum));
    }

    EnumMap<DropReason, Long> preAssociationDrops() {
        return new EnumMap<>(preAssociationDrops);
    }

    ServerStats snapshot(Collection<DtlsServer.Association> live, int handshakesInProgress) {
        EnumMap<DropReason, Long> drops = new EnumMap<>(preAssociationDrops);
        retiredDrops.forEach((reason, n) -> drops.merge(reason, n, Long::sum));
        long retransmissions = retiredRetransmissions;
        for (DtlsServer.Association a : live) {
            a.engine.drops().forEach((reason, n) -> drops.merge(reason, n, Long::sum));
            retransmissions += a.engine.retransmissions();
        }
        return new ServerStats(live.size(), handshakesInProgress, handshakesCompleted, handshakesFailed,
                helloVerifyRequests, refusedAtLimit, evictions, drops, retransmissions, sendErrors, peerAddressChanges,
                addressChangesRefused, pathValidationsFailed, connectionIdsExhausted, internalErrors, callbackErrors);
    }
}
