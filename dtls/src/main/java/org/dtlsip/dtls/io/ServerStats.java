package org.dtlsip.dtls.io;

import java.util.Map;
import org.dtlsip.dtls.record.DropReason;

/**
 * A snapshot of a {@link DtlsServer}'s counters ({@link DtlsServer#stats()}); {@link #toString()}
 * is one log line ({@link DtlsServer#logStats()}).
 *
 * @param associations associations now in the table, new handshakes waiting to replace one included
 * @param handshakesInProgress of which still handshaking
 * @param handshakesCompleted handshakes that completed since start
 * @param handshakesFailed handshakes that ended in a fatal alert or the engine's timeout
 * @param helloVerifyRequests stateless HelloVerifyRequests sent
 * @param refusedAtLimit cookie-verified ClientHellos refused at a {@link ServerLimits} bound
 * @param evictions associations removed by the server, by why
 * @param drops records and datagrams discarded, by reason, before and within associations
 * @param retransmissions flight retransmissions over all associations
 * @param sendErrors datagrams the socket refused (send error or full send buffer)
 * @param peerAddressChanges associations whose peer moved to a new address, proven by a record
 *     under its connection ID (RFC 9146 6: NAT rebinding)
 * @param addressChangesRefused records that proved a peer at a new address which another live
 *     association holds: the peer stayed, and the other association too (RFC 9146 6)
 * @param pathValidationsFailed return routability checks of a peer's new address (RFC 9853)
 *     that got no path_response, or a path_drop: the peer stayed where it was
 * @param connectionIdsExhausted handshakes refused because every connection ID of the configured
 *     length was in use (RFC 9146 3: a short {@link org.dtlsip.dtls.config.DtlsConfig#connectionIdLength()})
 * @param internalErrors unexpected exceptions (bugs) caught at the server: each failed one
 *     association with internal_error, or cost one datagram; the loop went on
 * @param callbackErrors exceptions thrown by the application's {@link DtlsServer.Handler}; the
 *     association and the loop went on
 */
public record ServerStats(int associations, int handshakesInProgress, long handshakesCompleted,
        long handshakesFailed, long helloVerifyRequests, long refusedAtLimit, Map<Eviction, Long> evictions,
        Map<DropReason, Long> drops, long retransmissions, long sendErrors, long peerAddressChanges,
        long addressChangesRefused, long pathValidationsFailed, long connectionIdsExhausted, long internalErrors,
        long callbackErrors) {

    /** Why the server removed an association on its own. */
    public enum Eviction {
        /** Established, but idle past {@link ServerLimits#idleTimeoutMillis()}. */
        IDLE,
        /** Still handshaking at {@link ServerLimits#handshakeDeadlineMillis()}. */
        HANDSHAKE_DEADLINE,
        /**
         * The peer completed a new handshake from the same address (RFC 6347 4.2.8: it lost its
         * state, e.g. restarted); the old association ended quietly only then.
         */
        REPLACED_BY_NEW_HANDSHAKE,
        /**
         * Our client handshake crossed the peer's ClientHello and lost the tie-break
         * ({@link SimultaneousOpen}); a server-role association with the peer replaced it.
         */
        YIELDED_TO_PEER_HANDSHAKE
    }

    public ServerStats {
        evictions = Map.copyOf(evictions);
        drops = Map.copyOf(drops);
    }

    public long evictions(Eviction why) {
        return evictions.getOrDefault(why, 0L);
    }

    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }
}
