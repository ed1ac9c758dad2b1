package org.dtlsip.dtls.engine;

/** Something an association reports to whoever drives it, in the order it happened. */
public record EngineEvent(Kind kind, DtlsSession session, DtlsException failure, AlertDescription alert) {
    public enum Kind {
        /** Both Finished messages verified; application data may flow. */
        HANDSHAKE_COMPLETE,
        /** A warning alert other than close_notify arrived (e.g. no_renegotiation); informational. */
        WARNING_ALERT,
        /** close_notify was exchanged; nothing more will be read. */
        CLOSED,
        /** The association failed; {@link #failure()} says why. */
        FAILED
    }

    static EngineEvent complete(DtlsSession session) {
        return new EngineEvent(Kind.HANDSHAKE_COMPLETE, session, null, null);
    }

    static EngineEvent warning(AlertDescription alert) {
        return new EngineEvent(Kind.WARNING_ALERT, null, null, alert);
    }

    static EngineEvent closed() {
        return new EngineEvent(Kind.CLOSED, null, null, AlertDescription.CLOSE_NOTIFY);
    }

    static EngineEvent failed(DtlsException e) {
        return new EngineEvent(Kind.FAILED, null, e, e.alert());
    }
}
