package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.EngineEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the server's associations: hands an engine a datagram or a due timer, sends what it
 * produced, turns its events into table changes and {@link DtlsServer.Handler} calls, and
 * schedules its next wake. Every call into an engine goes through {@link #guarded}: an
 * unexpected exception (a bug) fails that association only. Called under the server's lock.
 */
final class AssociationDriver {
    private static final Logger log = LoggerFactory.getLogger(DtlsServer.class);

    private final AssociationTable table;
    private final TimerQueue timers;
    private final ServerCounters counters;
    private final ServerLimits limits;
    private final DtlsServer.Handler handler;
    private final DtlsServer.Transport transport;

    AssociationDriver(AssociationTable table, TimerQueue timers, ServerCounters counters, ServerLimits limits,
            DtlsServer.Handler handler, DtlsServer.Transport transport) {
        this.table = table;
        this.timers = timers;
        this.counters = counters;
        this.limits = limits;
        this.handler = handler;
        this.transport = transport;
    }

    /** Hands {@code a} one datagram from its peer's address and acts on the result. */
    void receive(DtlsServer.Association a, byte[] data, int length, long now) {
        guarded(a, () -> {
            a.engine.receive(data, 0, length, now);
            afterActivity(a, now);
        });
    }

    /**
     * Hands {@code a} a datagram routed by its connection ID from {@code from}, which may be a
     * new address of the peer ({@link PeerAddressRule}, RFC 9146 6). With the return
     * routability check agreed (RFC 9853) the peer is challenged there and moves only when it
     * answers ({@link #afterActivity}); what the datagram provokes meanwhile goes to its
     * current address. Without it the peer moves at once, so that what the datagram provokes
     * already goes to the new address.
     */
    void receiveRoutedByConnectionId(DtlsServer.Association a, InetSocketAddress from, byte[] data, int length,
            long now) {
        guarded(a, () -> {
            boolean settled = PeerAddressRule.settled(a.engine.status());
            DtlsEngine.Received received = a.engine.receive(data, 0, length, from, now);
            if (settled && received.movesPeerAddress() && !from.equals(a.peer)) {
                if (PeerAddressRule.checksFirst(a.engine)) {
                    challenge(a, received, from, now);
                } else {
                    move(a, received, from);
                }
            }
            afterActivity(a, now);
        });
    }

    /** RFC 9853 5.1: a path_challenge to {@code from}, if the peer could move there at all. */
    private void challenge(DtlsServer.Association a, DtlsEngine.Received received, InetSocketAddress from, long now) {
        if (!table.mayMove(a, received, from)) {
            counters.addressChangesRefused++;
            log.debug("{} proved itself from {}, which another association holds: not even checked (RFC 9146 6)",
                    a.peer, from);
            return;
        }
        DtlsEngine.PathCheck check = a.engine.challengePath(from, now);
        if (check == DtlsEngine.PathCheck.SENT) {
            table.moveWhenValidated(a, from);
            log.debug("{} proved itself from {}: checking that it receives there (RFC 9853)", a.peer, from);
        } else if (check != DtlsEngine.PathCheck.PENDING && check != DtlsEngine.PathCheck.VALIDATED) {
            log.debug("{} proved itself from {}; no check now: {}", a.peer, from, check);
        }
    }

    /** RFC 9853 5.1 step 4: the address being checked answered; the peer moves there if it still may. */
    private void pathValidated(DtlsServer.Association a, Object path) {
        if (!path.equals(a.addressToValidate)) {
            return; // a check the application started, not a move
        }
        InetSocketAddress previous = table.completeValidatedMove(a);
        if (previous == null) {
            counters.addressChangesRefused++;
            log.debug("{} answered from {}, which another association took meanwhile: it stays", a.peer, path);
            return;
        }
        counters.peerAddressChanges++;
        log.debug("peer moved from {} to {} (RFC 9146 connection ID, RFC 9853 path validated)", previous, a.peer);
        safely(() -> handler.onPeerAddressChanged(a, previous));
    }

    /** RFC 9853 5.1 step 5: no answer (or path_drop) from the address being checked; the peer stays. */
    private void pathValidationFailed(DtlsServer.Association a, Object path) {
        if (path.equals(a.addressToValidate)) {
            a.addressToValidate = null;
        }
        counters.pathValidationsFailed++;
        log.debug("{} did not answer from {}: it stays (RFC 9853 5.1)", a.peer, path);
    }

    private void move(DtlsServer.Association a, DtlsEngine.Received received, InetSocketAddress from) {
        InetSocketAddress previous = table.move(a, received, from);
        if (previous == null) {
            counters.addressChangesRefused++;
            log.debug("{} proved itself from {}, which another association holds: it stays (RFC 9146 6)", a.peer, from);
            return;
        }
        counters.peerAddressChanges++;
        log.debug("peer moved from {} to {} (RFC 9146 connection ID)", previous, from);
        safely(() -> handler.onPeerAddressChanged(a, previous));
    }

    /** A wake of {@code a} is due: its handshake deadline, its idle timeout, or its engine's timer. */
    void onWake(DtlsServer.Association a, long now) {
        guarded(a, () -> {
            if (a.handshaking && now >= handshakeDeadline(a)) {
                evict(a, ServerStats.Eviction.HANDSHAKE_DEADLINE,
                        "handshake not complete within " + limits.handshakeDeadlineMillis() + " ms");
                return;
            }
            if (!a.handshaking && a.engine.status() == DtlsEngine.Status.ESTABLISHED && now >= idleDeadline(a)) {
                evict(a, ServerStats.Eviction.IDLE, "idle for " + limits.idleTimeoutMillis() + " ms");
                return;
            }
            if (a.engine.nextDeadline() <= now) {
                a.engine.handleTimeout(now);
            }
            afterActivity(a, now);
        });
    }

    /**
     * Runs {@code step} on {@code a}. An unexpected exception from its engine fails that
     * association only, with an internal_error alert if one can still be sent (RFC 5246
     * 7.2.2); it is counted in {@link ServerStats#internalErrors()} and logged once with the peer.
     */
    void guarded(DtlsServer.Association a, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failInternally(a, e);
        }
    }

    /** See {@link #guarded}; also for a fault on an application thread ({@link DtlsServer.Association#send}). */
    void failInternally(DtlsServer.Association a, RuntimeException e) {
        counters.internalErrors++;
        logInternalError(counters.internalErrors, "in the association with " + a.peer
                + "; it fails with internal_error, the others go on", e);
        if (a.removed) {
            return;
        }
        try {
            a.engine.abort(AlertDescription.INTERNAL_ERROR, "internal error: " + e);
            flush(a);
        } catch (RuntimeException | IOException again) {
            log.debug("internal_error alert to {} not sent: {}", a.peer, again.toString());
        }
        if (a.handshaking) {
            counters.handshakesFailed++;
        }
        forget(a);
        DtlsException failure = new DtlsException("internal error: " + e, AlertDescription.INTERNAL_ERROR, false, e);
        safely(() -> handler.onClosed(a, failure));
    }

    /**
     * Logs an internal error once: the first of the server's life with its stack at ERROR, the
     * rest in one line at WARN (the stack at DEBUG), so that a bug every datagram can reach
     * cannot flood the log.
     */
    static void logInternalError(long count, String where, RuntimeException e) {
        if (count == 1) {
            log.error("DTLS server: internal error {} (unexpected: a bug, or a failing provider)", where, e);
        } else {
            log.warn("DTLS server: internal error {}: {} ({} so far)", where, e.toString(), count);
            log.debug("internal error", e);
        }
    }

    /** Delivers what the engine has for the application and the handler, sends its datagrams, schedules its wake. */
    void afterActivity(DtlsServer.Association a, long now) {
        flushReporting(a);
        EngineEvent event;
        while ((event = a.engine.pollEvent()) != null) {
            a.lastActivity = now;
            switch (event.kind()) {
                case HANDSHAKE_COMPLETE -> {
                    counters.handshakesCompleted++;
                    table.handshakeEnded(a);
                    if (a.replaces != null) {
                        completeReplacement(a);
                    }
                    if (!a.removed) {
                        safely(() -> handler.onHandshakeComplete(a));
                    }
                }
                case FAILED -> {
                    if (a.engine.session() == null) {
                        counters.handshakesFailed++;
                    }
                    log.debug("association with {} failed: {}", a.peer, event.failure().getMessage());
                    flushReporting(a);
                    forget(a);
                    DtlsException failure = event.failure();
                    safely(() -> handler.onClosed(a, failure));
                }
                case CLOSED -> {
                    flushReporting(a);
                    forget(a);
                    safely(() -> handler.onClosed(a, null));
                }
                case WARNING_ALERT -> log.debug("warning alert {} from {}", event.alert(), a.peer);
                case PATH_VALIDATED -> pathValidated(a, event.path());
                case PATH_VALIDATION_FAILED -> pathValidationFailed(a, event.path());
            }
        }
        byte[] data;
        while ((data = a.engine.pollApplicationData()) != null) {
            a.lastActivity = now;
            byte[] d = data;
            safely(() -> handler.onData(a, d));
        }
        flushReporting(a);
        schedule(a);
    }

    /**
     * The new handshake {@code created} completed (RFC 6347 4.2.8): the peer proved it is the
     * peer, so the association it replaces ends, quietly: the peer has lost it, and a
     * close_notify under its keys would only reach the new association's peer. Unless that
     * association's peer has meanwhile moved away under its connection ID (RFC 9146 6): then
     * the handshake completed at an address the peer left (a NAT may give the port to anyone)
     * and proves nothing about it, so both stay.
     */
    private void completeReplacement(DtlsServer.Association created) {
        DtlsServer.Association old = created.replaces;
        if (!old.removed && old.peer.equals(created.peer)) {
            counters.evicted(ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE);
            log.debug("{}: a new handshake completed; it replaces the established association", created.peer);
            forget(old);
            DtlsException failure = new DtlsException("replaced: the peer at " + created.peer
                    + " completed a new handshake (RFC 6347 4.2.8)");
            safely(() -> handler.onClosed(old, failure));
        }
        if (!table.promote(created)) {
            // Unreachable: no peer moves, and connect() opens nothing, onto an address with a pending replacement.
            failInternally(created, new IllegalStateException("the address " + created.peer
                    + " is held by another association"));
        }
    }

    /** Removes {@code a} on the server's own decision: close_notify if established, then the handler hears why. */
    void evict(DtlsServer.Association a, ServerStats.Eviction why, String reason) {
        counters.evicted(why);
        log.debug("evicting {}: {}", a.peer, reason);
        if (a.engine.status() == DtlsEngine.Status.ESTABLISHED) {
            a.engine.close();
            flushReporting(a);
        }
        forget(a);
        DtlsException failure = new DtlsException("evicted: " + reason);
        safely(() -> handler.onClosed(a, failure));
    }

    /** Takes {@code a} out of the table and folds its engine's counters into the totals; no callback. */
    void forget(DtlsServer.Association a) {
        if (table.remove(a)) {
            timers.forget(a);
            counters.retire(a.engine);
        }
    }

    /** Runs an application callback; what it throws is counted and logged, and changes nothing else. */
    void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            counters.callbackErrors++;
            log.warn("DTLS server handler threw; the server keeps serving", e);
        }
    }

    void schedule(DtlsServer.Association a) {
        if (a.removed) {
            return;
        }
        long wake = a.engine.nextDeadline();
        if (a.handshaking) {
            wake = Math.min(wake, handshakeDeadline(a));
        } else if (a.engine.status() == DtlsEngine.Status.ESTABLISHED) {
            wake = Math.min(wake, idleDeadline(a));
        }
        timers.schedule(a, wake);
    }

    private long handshakeDeadline(DtlsServer.Association a) {
        return later(a.createdAt, limits.handshakeDeadlineMillis());
    }

    private long idleDeadline(DtlsServer.Association a) {
        return later(a.lastActivity, limits.idleTimeoutMillis());
    }

    /**
     * {@code time + millis} ({@code millis} is positive, {@link ServerLimits}), or
     * {@link Long#MAX_VALUE} where the sum would overflow: a limit of {@code Long.MAX_VALUE}
     * means never, not a deadline in the past that evicts every association at once.
     */
    static long later(long time, long millis) {
        long sum = time + millis;
        return sum < time ? Long.MAX_VALUE : sum;
    }

    /** Sends the association's queued datagrams; a socket error goes to the counters, the log and the handler. */
    void flushReporting(DtlsServer.Association a) {
        try {
            flush(a);
        } catch (IOException e) {
            log.warn("DTLS datagram to {} not sent: {}", a.peer, e.toString());
            safely(() -> handler.onSendError(a, e));
        }
    }

    /**
     * Sends the association's queued datagrams: to its peer, and a path_challenge or
     * path_response to the path the engine names (RFC 9853); throws the first socket error
     * after trying them all.
     */
    void flush(DtlsServer.Association a) throws IOException {
        byte[] datagram;
        IOException first = null;
        while ((datagram = a.engine.pollDatagram()) != null) {
            if (a.clientHelloRandom == null && a.isClient()) {
                a.clientHelloRandom = SimultaneousOpen.clientHelloRandom(datagram, datagram.length);
            }
            first = send(datagram, a.peer, first);
        }
        DtlsEngine.PathDatagram p;
        while ((p = a.engine.pollPathDatagram()) != null) {
            first = send(p.datagram(), (InetSocketAddress) p.path(), first);
        }
        if (first != null) {
            throw first;
        }
    }

    /** One datagram; returns the first socket error so far. */
    private IOException send(byte[] datagram, InetSocketAddress to, IOException first) {
        try {
            if (!transport.send(ByteBuffer.wrap(datagram), to)) {
                counters.sendErrors++;
                log.debug("send buffer full: datagram to {} dropped", to);
            }
        } catch (IOException e) {
            counters.sendErrors++;
            return first == null ? e : first;
        }
        return first;
    }

    /** Sends a datagram that belongs to no association (a HelloVerifyRequest). */
    void sendStateless(byte[] datagram, InetSocketAddress to) {
        try {
            if (!transport.send(ByteBuffer.wrap(datagram), to)) {
                counters.sendErrors++;
            }
        } catch (IOException e) {
            counters.sendErrors++;
            log.debug("HelloVerifyRequest to {} not sent: {}", to, e.toString());
        }
    }
}
