package org.dtlsip.sample.uac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sip.ClientTransaction;

/**
 * The calls a UAC has in progress and where each one is, so that a stop (SIGINT, SIGTERM) can end
 * them the way RFC 3261 says: BYE for an established call (15.1.1), CANCEL for an INVITE that has
 * had a provisional response (9.1: a CANCEL SHOULD NOT be sent before one, so an INVITE without one
 * is cancelled when its first provisional response arrives). Thread-safe: calls run on the UAC's
 * worker threads, responses arrive on the SIP stack's, the stop comes from a shutdown hook.
 */
final class CallsInFlight {
    /** Where a call is. */
    enum Phase {
        INVITING("INVITE sent, no response yet"),
        RINGING("ringing (provisional response received)"),
        ESTABLISHED("established"),
        CANCELLING("CANCEL sent"),
        ENDING("BYE sent");

        private final String description;

        Phase(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final class Call {
        final int number;
        Phase phase = Phase.INVITING;
        ClientTransaction invite;

        Call(int number) {
            this.number = number;
        }
    }

    private final Map<String, Call> calls = new LinkedHashMap<>();
    private int started;
    private int ok;
    private int failed;
    private boolean stopping;

    /** A call starts (its INVITE is about to go); returns its number, 1 for the first. */
    synchronized int begin(String callId) {
        Call c = new Call(++started);
        calls.put(callId, c);
        return c.number;
    }

    /** The call's INVITE went out in {@code ct} (again, with credentials, after a 401/407). */
    synchronized void inviting(String callId, ClientTransaction ct) {
        Call c = calls.get(callId);
        if (c != null) {
            c.invite = ct;
        }
    }

    /**
     * A provisional response to the call's INVITE arrived: returns the INVITE transaction to
     * cancel now if a stop came before it (9.1), else {@code null}.
     */
    synchronized ClientTransaction provisional(String callId) {
        Call c = calls.get(callId);
        if (c == null || c.phase != Phase.INVITING) {
            return null;
        }
        if (stopping && c.invite != null) {
            c.phase = Phase.CANCELLING;
            return c.invite;
        }
        c.phase = Phase.RINGING;
        return null;
    }

    synchronized void established(String callId) {
        set(callId, Phase.ESTABLISHED);
    }

    synchronized void ending(String callId) {
        set(callId, Phase.ENDING);
    }

    private void set(String callId, Phase phase) {
        Call c = calls.get(callId);
        if (c != null) {
            c.phase = phase;
        }
    }

    /** The call is over, completed or not. */
    synchronized void end(String callId, boolean completed) {
        if (calls.remove(callId) != null) {
            if (completed) {
                ok++;
            } else {
                failed++;
            }
        }
    }

    /**
     * Stops: no call may begin any more ({@link #stopping()}), and returns the ringing INVITEs to
     * cancel now; an established call ends by itself (its hold is cut short, then its BYE).
     */
    synchronized List<ClientTransaction> stop() {
        stopping = true;
        List<ClientTransaction> cancel = new ArrayList<>();
        for (Call c : calls.values()) {
            if (c.phase == Phase.RINGING && c.invite != null) {
                c.phase = Phase.CANCELLING;
                cancel.add(c.invite);
            }
        }
        return cancel;
    }

    synchronized boolean stopping() {
        return stopping;
    }

    synchronized int started() {
        return started;
    }

    synchronized int ok() {
        return ok;
    }

    synchronized int failed() {
        return failed;
    }

    /** The calls in progress, e.g. "call 3 established, call 4 INVITE sent, no response yet"; "none" if there are none. */
    synchronized String describe() {
        if (calls.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Call c : calls.values()) {
            sb.append(sb.length() == 0 ? "" : "; ").append("call ").append(c.number).append(' ').append(c.phase);
        }
        return sb.toString();
    }

    synchronized int inProgress() {
        return calls.size();
    }
}
