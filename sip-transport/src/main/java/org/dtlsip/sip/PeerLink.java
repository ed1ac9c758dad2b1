package org.dtlsip.sip;

import gov.nist.javax.sip.stack.SIPClientTransaction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.io.DtlsServer;

/**
 * The SIP side of one DTLS association: SIP messages wait here while the handshake runs and
 * go out in order once it completes and the TLS security policy (client role) accepted the
 * peer. Not "ready" until then, even if the association itself is established, so a message
 * sent meanwhile cannot overtake the queue.
 */
final class PeerLink {
    /**
     * Messages kept per peer during a handshake. SIP retransmits on its own timers (RFC 3261
     * 17.1.1.2), so a few distinct messages are all a handshake ever needs to hold; the bound
     * stops an application from piling up memory towards a peer that never answers.
     */
    static final int MAX_QUEUED_MESSAGES = 64;

    /** {@link #unansweredSinceMillis} when nothing waits for an answer. */
    private static final long ANSWERED = Long.MIN_VALUE;

    /** A SIP message waiting for the handshake, and the client transaction to tell if it fails. */
    record Pending(byte[] message, SIPClientTransaction transaction) {
    }

    private final InetSocketAddress peer;
    private final DtlsServer.Association association;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private boolean ready;
    private IOException failure;
    private volatile long lastActivityMillis;
    /** When the oldest request still without any datagram back was sent, or {@link #ANSWERED}. */
    private volatile long unansweredSinceMillis = ANSWERED;

    PeerLink(InetSocketAddress peer, DtlsServer.Association association, long now) {
        this.peer = peer;
        this.association = association;
        this.lastActivityMillis = now;
    }

    InetSocketAddress peer() {
        return peer;
    }

    DtlsServer.Association association() {
        return association;
    }

    /** The agreed session, or {@code null} while handshaking. */
    DtlsSession session() {
        return association.session();
    }

    long lastActivityMillis() {
        return lastActivityMillis;
    }

    void touch(long now) {
        lastActivityMillis = now;
    }

    /** Something arrived from the peer: it is alive and has our keys. */
    void received(long now) {
        touch(now);
        unansweredSinceMillis = ANSWERED;
    }

    /**
     * How long a request sent over the ready association has waited with nothing at all back from
     * the peer; 0 when none waits.
     */
    long unansweredMillis(long now) {
        long since = unansweredSinceMillis;
        return since == ANSWERED ? 0 : now - since;
    }

    /**
     * Whether the peer must answer this message: every request but ACK gets a response (RFC 3261
     * 17); responses start with the SIP version (RFC 3261 7.2); a CRLF keep-alive gets nothing.
     */
    static boolean expectsResponse(byte[] message) {
        return message.length > 0 && message[0] != '\r' && message[0] != '\n'
                && !startsWith(message, "SIP/") && !startsWith(message, "ACK ");
    }

    private static boolean startsWith(byte[] message, String prefix) {
        if (message.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (message[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sends now if ready, else queues. A retransmission of a message still queued is not
     * queued twice: the first copy goes out as soon as the handshake completes.
     */
    synchronized void send(byte[] message, SIPClientTransaction transaction, long now) throws IOException {
        if (failure != null) {
            throw failure;
        }
        touch(now);
        if (ready) {
            association.send(message);
            if (unansweredSinceMillis == ANSWERED && expectsResponse(message)) {
                unansweredSinceMillis = now;
            }
            return;
        }
        for (Pending p : queue) {
            if (Arrays.equals(p.message(), message)) {
                return;
            }
        }
        if (queue.size() >= MAX_QUEUED_MESSAGES) {
            throw new IOException(MAX_QUEUED_MESSAGES + " SIP messages already wait for the DTLS handshake with "
                    + peer + "; refusing more until it completes or fails");
        }
        queue.add(new Pending(message, transaction));
    }

    /** The client transaction of the oldest waiting message, for the TLS security policy. */
    synchronized SIPClientTransaction firstTransaction() {
        for (Pending p : queue) {
            if (p.transaction() != null) {
                return p.transaction();
            }
        }
        return null;
    }

    /**
     * Handshake complete and policy passed: sends the queue in order. Returns the messages that
     * could not be sent (too large for the negotiated record overhead, or the association died).
     */
    synchronized List<Pending> open() {
        List<Pending> failed = new ArrayList<>();
        Pending p;
        while ((p = queue.poll()) != null) {
            try {
                association.send(p.message());
            } catch (IOException e) {
                failed.add(p);
            }
        }
        ready = true;
        return failed;
    }

    /** The association is gone: later sends throw {@code why}; returns what was still queued. */
    synchronized List<Pending> fail(IOException why) {
        failure = why;
        ready = false;
        List<Pending> dropped = new ArrayList<>(queue);
        queue.clear();
        return dropped;
    }

    synchronized boolean isReady() {
        return ready;
    }
}
