package org.dtlsip.dtls.io;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;

/**
 * A {@link DtlsServer}'s associations, indexed by the peer's address and, with connection IDs
 * (RFC 9146), by the ID each receives on; plus the new handshakes waiting to replace an
 * established association at their address (RFC 6347 4.2.8, {@link NewHandshakeRule}). It
 * decides what may be added (the {@link ServerLimits}, a free connection ID) and when a peer
 * may move ({@link PeerAddressRule}); it owns no timers, sends nothing and calls no one.
 * Accessed under the server's lock only.
 */
final class AssociationTable {
    /** Random connection IDs drawn before a short ID space is scanned or the handshake refused. */
    static final int CONNECTION_ID_ATTEMPTS = 16;
    /** ID lengths whose whole space (at most 65,536 IDs) is scanned when random draws keep colliding. */
    static final int SCANNED_CONNECTION_ID_LENGTH = 2;

    private final DtlsConfig config;
    private final ServerLimits limits;
    private final Map<InetSocketAddress, DtlsServer.Association> byAddress = new HashMap<>();
    /** The same associations by the connection ID they receive on (RFC 9146); empty without IDs. */
    private final Map<ByteBuffer, DtlsServer.Association> byConnectionId = new HashMap<>();
    /** New handshakes from the address of an established association, by that address (RFC 6347 4.2.8). */
    private final Map<InetSocketAddress, DtlsServer.Association> replacements = new HashMap<>();
    private int handshakesInProgress;

    AssociationTable(DtlsConfig config, ServerLimits limits) {
        this.config = config;
        this.limits = limits;
    }

    /** The association at {@code peer}, or {@code null} (a pending replacement is not it). */
    DtlsServer.Association at(InetSocketAddress peer) {
        return byAddress.get(peer);
    }

    /** The new handshake waiting to replace the association at {@code peer}, or {@code null}. */
    DtlsServer.Association replacementAt(InetSocketAddress peer) {
        return replacements.get(peer);
    }

    /** The association that receives on connection ID {@code cid}, or {@code null}. */
    DtlsServer.Association withConnectionId(byte[] cid) {
        return byConnectionId.get(ByteBuffer.wrap(cid));
    }

    /** Associations kept, pending replacements included: what {@link ServerLimits#maxAssociations()} bounds. */
    int size() {
        return byAddress.size() + replacements.size();
    }

    int handshakesInProgress() {
        return handshakesInProgress;
    }

    /** Whether a new handshake fits both {@link ServerLimits#maxAssociations()} and {@link ServerLimits#maxHandshakes()}. */
    boolean hasRoomForHandshake() {
        return size() < limits.maxAssociations() && handshakesInProgress < limits.maxHandshakes();
    }

    /** Every association, pending replacements included (a copy). */
    List<DtlsServer.Association> all() {
        List<DtlsServer.Association> all = new ArrayList<>(byAddress.values());
        all.addAll(replacements.values());
        return all;
    }

    /** Adds a new association; one that {@link DtlsServer.Association#replaces} another waits beside it. */
    void add(DtlsServer.Association a) {
        if (a.replaces != null) {
            replacements.put(a.peer, a);
        } else {
            byAddress.put(a.peer, a);
        }
        if (a.connectionId != null) {
            byConnectionId.put(a.connectionId, a);
        }
        handshakesInProgress++;
    }

    /** The association's handshake ended (completed, or it is going): it no longer counts as one. */
    void handshakeEnded(DtlsServer.Association a) {
        if (a.handshaking) {
            a.handshaking = false;
            handshakesInProgress--;
        }
    }

    /** Takes {@code a} out of every index; false if it was already out. */
    boolean remove(DtlsServer.Association a) {
        if (a.removed) {
            return false;
        }
        a.removed = true;
        byAddress.remove(a.peer, a);
        replacements.remove(a.peer, a);
        if (a.connectionId != null) {
            byConnectionId.remove(a.connectionId, a);
        }
        handshakeEnded(a);
        return true;
    }

    /**
     * The new handshake {@code created} completed and the association it replaced is gone
     * (RFC 6347 4.2.8): it takes the address. False, and the address is left as it is, if
     * another association holds it: which cannot be, since no peer moves ({@link #move}) and
     * nothing is opened ({@link DtlsServer#connect}) onto an address with a pending replacement.
     */
    boolean promote(DtlsServer.Association created) {
        replacements.remove(created.peer, created);
        created.replaces = null;
        created.helloRandom = null;
        DtlsServer.Association holder = byAddress.putIfAbsent(created.peer, created);
        return holder == null || holder == created;
    }

    /**
     * Moves {@code a}'s peer to {@code to} if {@link PeerAddressRule} allows, given what the
     * engine reported for the datagram from there; returns the previous address, or
     * {@code null} when the peer stays.
     */
    InetSocketAddress move(DtlsServer.Association a, DtlsEngine.Received received, InetSocketAddress to) {
        if (!mayMove(a, received, to)) {
            return null;
        }
        return relocate(a, to);
    }

    /**
     * Whether {@code a} may take the address {@code to}: no other association holds it, and
     * {@code a} is not a new handshake still waiting to replace the association at its own
     * address. That one is indexed by that address ({@link #replacements}) and takes it
     * when it completes ({@link #promote}); moved before, it would stay indexed there after it
     * ended, an entry that counts against {@link ServerLimits#maxAssociations()} for ever and
     * that any client can leave behind by finishing its handshake from a second port. It
     * moves, like any association, with its next record once it has replaced the old one.
     */
    private boolean mayTakeAddress(DtlsServer.Association a, InetSocketAddress to) {
        DtlsServer.Association holder = byAddress.get(to);
        return a.replaces == null && (holder == null || holder == a) && !replacements.containsKey(to);
    }

    private InetSocketAddress relocate(DtlsServer.Association a, InetSocketAddress to) {
        InetSocketAddress previous = a.peer;
        byAddress.remove(previous, a);
        a.peer = to;
        byAddress.put(to, a);
        return previous;
    }

    /** Whether {@link PeerAddressRule} lets {@code a}'s peer move to {@code to} now. */
    boolean mayMove(DtlsServer.Association a, DtlsEngine.Received received, InetSocketAddress to) {
        return PeerAddressRule.moves(received, a.peer, to, !mayTakeAddress(a, to));
    }

    /**
     * Notes that {@code a}'s peer proved itself from {@code to} and should move there once
     * the new address is shown to receive (RFC 9146 6; RFC 9853 return routability): the
     * table keeps the peer where it is until {@link #completeValidatedMove} is called.
     */
    void moveWhenValidated(DtlsServer.Association a, InetSocketAddress to) {
        a.addressToValidate = to;
    }

    /**
     * The address {@link #moveWhenValidated} noted answered the check: the peer moves there if
     * no other association took it meanwhile. Returns the previous address, or {@code null}.
     */
    InetSocketAddress completeValidatedMove(DtlsServer.Association a) {
        InetSocketAddress to = a.addressToValidate;
        a.addressToValidate = null;
        if (to == null || a.removed) {
            return null;
        }
        if (!mayTakeAddress(a, to)) {
            return null;
        }
        return relocate(a, to);
    }

    /**
     * A connection ID of the configured length that no association receives on (empty without
     * IDs), or {@code null} when none is free. Random IDs are tried
     * {@link #CONNECTION_ID_ATTEMPTS} times; a space of at most
     * {@link #SCANNED_CONNECTION_ID_LENGTH} bytes is then scanned once, so a full space is
     * found for sure and the lock is held for a bounded time (RFC 9146 3 leaves the choice of
     * IDs to the receiver). Above that length, 16 collisions in a row mean a table far fuller
     * than {@link ServerLimits#maxAssociations()} can make it.
     */
    byte[] newConnectionId() {
        int length = config.connectionIdLength();
        if (length == 0) {
            return new byte[0];
        }
        for (int i = 0; i < CONNECTION_ID_ATTEMPTS; i++) {
            byte[] cid = DtlsEngine.randomConnectionId(config);
            if (!byConnectionId.containsKey(ByteBuffer.wrap(cid))) {
                return cid;
            }
        }
        if (length <= SCANNED_CONNECTION_ID_LENGTH) {
            int space = 1 << (8 * length);
            int start = config.random().nextInt(space);
            for (int i = 0; i < space; i++) {
                int v = (start + i) & (space - 1);
                byte[] cid = length == 1 ? new byte[] {(byte) v} : new byte[] {(byte) (v >> 8), (byte) v};
                if (!byConnectionId.containsKey(ByteBuffer.wrap(cid))) {
                    return cid;
                }
            }
        }
        return null;
    }

    /** Associations that receive on a connection ID. */
    int withConnectionIds() {
        return byConnectionId.size();
    }
}
