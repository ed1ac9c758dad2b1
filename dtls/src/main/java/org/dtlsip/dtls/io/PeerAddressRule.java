package org.dtlsip.dtls.io;

import java.net.InetSocketAddress;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.Dtls13RecordCodec;
import org.dtlsip.dtls.record.RecordCodec;

/**
 * RFC 9146 6, when a peer with a connection ID may be followed to a new address: the one
 * place {@link DtlsServer} and {@link DtlsChannel} decide it.
 *
 * <ul>
 *   <li>Only a datagram whose first record carries our connection ID may arrive from an
 *       address other than the peer's ({@link #mayArriveFromElsewhere}); anything else from
 *       elsewhere is not this association's.</li>
 *   <li>The peer moves only when a record in it authenticated under the ID and was newer
 *       than every record seen before ({@link DtlsEngine.Received#movesPeerAddress()}), so a
 *       forged, replayed or reordered datagram never moves it.</li>
 *   <li>It never moves onto the address of another live association: one datagram must not
 *       end an association it does not belong to ("never destroy a different live
 *       association"), and an address two peers claim is ambiguous, so both are kept and the
 *       peer stays where it was proven. It moves once that address is free.</li>
 *   <li>A new handshake waiting to replace the association at its address (RFC 6347 4.2.8,
 *       {@link NewHandshakeRule}) does not move before it has replaced it: the server
 *       ({@link AssociationTable}) counts it as holding no address of its own yet.</li>
 * </ul>
 * RFC 9146 6 also asks for a check that the new address can receive before much is sent
 * there. When both hellos agreed on RFC 9853's return routability check
 * ({@link #checksFirst}), a move the rule allows waits for it: the peer is sent a
 * path_challenge at the new address and moves when its path_response arrives
 * ({@link DtlsEngine#challengePath}, {@link AssociationTable#moveWhenValidated}); until then
 * everything goes to the address it was proven at. Without it the peer moves at once.
 */
final class PeerAddressRule {
    private PeerAddressRule() {
    }

    /** Whether {@code datagram} may come from an address other than the peer's: its first record carries a connection ID. */
    static boolean mayArriveFromElsewhere(byte[] datagram, int length, int connectionIdLength) {
        return firstConnectionId(datagram, length, connectionIdLength) != null;
    }

    /**
     * The connection ID in the first record of {@code datagram}, or {@code null} when it has
     * none: a DTLS 1.2 tls12_cid record (RFC 9146 4) or a DTLS 1.3 unified header with the C
     * bit (RFC 9147 4, 9). The first bytes tell them apart: 25 against 001xxxxx.
     */
    static byte[] firstConnectionId(byte[] datagram, int length, int connectionIdLength) {
        byte[] cid = RecordCodec.firstConnectionId(datagram, 0, length, connectionIdLength);
        return cid != null ? cid : Dtls13RecordCodec.firstConnectionId(datagram, 0, length, connectionIdLength);
    }

    /**
     * Whether the peer now at {@code current} moves to {@code from}, the source of a datagram
     * the engine reported as {@code received}.
     *
     * @param fromHeldByAnother whether another live association has the address {@code from}
     *     (or, for a pending new handshake, whether it may hold no address but its own yet)
     */
    static boolean moves(DtlsEngine.Received received, InetSocketAddress current, InetSocketAddress from,
            boolean fromHeldByAnother) {
        return received.movesPeerAddress() && !from.equals(current) && !fromHeldByAnother;
    }

    /**
     * Whether an association in {@code statusBefore} (its status before the datagram) may be
     * moved at all: only once its handshake is complete. In DTLS 1.3 every record from epoch 2
     * on carries the connection ID, so the client's Certificate flight arrives under it before
     * its Finished; a copy of one raced from another address must not move the peer before the
     * return routability check can run (RFC 9853 5.1, RFC 9146 6). A peer that really moved
     * mid-handshake moves with its next record.
     */
    static boolean settled(DtlsEngine.Status statusBefore) {
        return statusBefore == DtlsEngine.Status.ESTABLISHED;
    }

    /** Whether a move must wait for the return routability check (RFC 9853 3: both hellos carried rrc). */
    static boolean checksFirst(DtlsEngine engine) {
        return engine.validatesPaths();
    }
}
