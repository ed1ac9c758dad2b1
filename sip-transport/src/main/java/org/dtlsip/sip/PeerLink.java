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
 *
 * <p>With domain checks on (RFC 5922), a request goes over the association only to a SIP
 * domain the peer's certificate names ({@link VerifiedDomains}).
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

    /**
     * A SIP message waiting for the handshake, the client transaction to tell if it fails, and
     * the SIP domain it is sent to ({@code null}: a response, or nothing to check).
     */
    record Pending(byte[] message, SIPClientTransaction transaction, String domain) {
    }

    /** A message that was not sent once the handshake completed, and why. */
    record Refused(Pending pending, String reason) {
    }

    private final InetSocketAddress peer;
    private final DtlsServer.Association association;
    /**
     * True for a server-role link that took over a client handshake's messages (simultaneous
     * open): before they go out, the peer must be authenticated as a server we connected to
     * would have been.
     */
    private final boolean adopted;
    private final Deque<Pending> queue = new ArrayDeque<>();
    /** The SIP domains requests may go to, with domain checks on; {@code null} with them off. */
    private final VerifiedDomains domains;
    private boolean ready;
    private IOException failure;
    /** Where sends go once this link's messages moved to another (simultaneous open). */
    private PeerLink successor;
    private volatile long lastActivityMillis;
    /** When the oldest request still without any datagram back was sent, or {@link #ANSWERED}. */
    private volatile long unansweredSinceMillis = ANSWERED;

    PeerLink(InetSocketAddress peer, DtlsServer.Association association, long now) {
        this(peer, association, now, false, null, false);
    }

    /**
     * @param checkDomains whether requests go only to SIP domains the certificate names
     * @param handshakeDomain the domain the client handshake checks, or {@code null}
     */
    PeerLink(InetSocketAddress peer, DtlsServer.Association association, long now, boolean checkDomains,
            SipDomainIdentity handshakeDomain) {
        this(peer, association, now, checkDomains, handshakeDomain, false);
    }

    private PeerLink(InetSocketAddress peer, DtlsServer.Association association, long now, boolean checkDomains,
            SipDomainIdentity handshakeDomain, boolean adopted) {
        this.peer = peer;
        this.association = association;
        this.lastActivityMillis = now;
        this.domains = checkDomains ? new VerifiedDomains(handshakeDomain) : null;
        this.adopted = adopted;
    }

    /**
     * Simultaneous open: our client handshake gave way to the peer's ({@code replacement}, server
     * role). The new link takes the waiting messages, in order; sends to this link go to it from
     * now on, so none is lost or reordered by the swap. With domain checks on, each waiting
     * request's SIP domain is checked against the certificate the peer presents as a client.
     */
    synchronized PeerLink handOver(DtlsServer.Association replacement, long now) {
        PeerLink next = new PeerLink(peer, replacement, now, domains != null, null, true);
        synchronized (next) {
            next.queue.addAll(queue);
        }
        queue.clear();
        successor = next;
        return next;
    }

    /** See {@link #handOver}: the peer must pass a client's checks before the messages go out. */
    boolean adopted() {
        return adopted;
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
    void send(byte[] message, SIPClientTransaction transaction, long now) throws IOException {
        send(message, transaction, null, now);
    }

    /**
     * As {@link #send(byte[], SIPClientTransaction, long)}, for a request to {@code domain}.
     *
     * @throws IOException also when the peer's certificate does not name {@code domain}
     */
    void send(byte[] message, SIPClientTransaction transaction, String domain, long now) throws IOException {
        PeerLink next;
        synchronized (this) {
            next = successor;
            if (next == null) {
                sendHere(message, transaction, domain, now);
                return;
            }
        }
        next.send(message, transaction, domain, now);
    }

    private synchronized void sendHere(byte[] message, SIPClientTransaction transaction, String domain, long now)
            throws IOException {
        if (failure != null) {
            throw failure;
        }
        touch(now);
        if (ready) {
            String refusal = refusal(domain);
            if (refusal != null) {
                throw new IOException(refusal);
            }
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
        queue.add(new Pending(message, transaction, domain));
    }

    /** Why a request to {@code domain} may not go over this association ({@link VerifiedDomains}), or {@code null}. */
    private String refusal(String domain) {
        if (domains == null) {
            return null;
        }
        DtlsSession session = association.session();
        return domains.refusal(domain, session == null ? List.of() : session.peerCertificates(), peer);
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
     * were not sent: to a SIP domain the certificate does not name, too large for the
     * negotiated record overhead, or the association died.
     */
    synchronized List<Refused> open() {
        List<Refused> refused = new ArrayList<>();
        Pending p;
        while ((p = queue.poll()) != null) {
            String refusal = refusal(p.domain());
            if (refusal != null) {
                refused.add(new Refused(p, refusal));
                continue;
            }
            try {
                association.send(p.message());
            } catch (IOException e) {
                refused.add(new Refused(p, "could not send a queued SIP message to " + peer + ": " + e.getMessage()));
            } catch (RuntimeException e) {
                // An engine fault on one message must not leave the rest queued and the link
                // never ready: that message is refused, the others still go.
                refused.add(new Refused(p, "could not send a queued SIP message to " + peer + ": internal error " + e));
            }
        }
        ready = true;
        return refused;
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
