package org.dtlsip.dtls.engine;

/**
 * Something an association reports to whoever drives it, in the order it happened.
 *
 * @param path for the path events, the caller's token of the path checked (what it passed to
 *     {@link DtlsEngine#challengePath}); {@code null} otherwise
 */
public record EngineEvent(Kind kind, DtlsSession session, DtlsException failure, AlertDescription alert, Object path) {
    public enum Kind {
        /** Both Finished messages verified; application data may flow. */
        HANDSHAKE_COMPLETE,
        /** A warning alert other than close_notify arrived (e.g. no_renegotiation); informational. */
        WARNING_ALERT,
        /** close_notify was exchanged; nothing more will be read. */
        CLOSED,
        /** The association failed; {@link #failure()} says why. */
        FAILED,
        /**
         * The peer answered a path_challenge sent to {@link #path()} with a path_response
         * (RFC 9853 5.1 step 4): the peer receives there, so the caller may move it there now.
         */
        PATH_VALIDATED,
        /**
         * The check of {@link #path()} ended without a path_response: every challenge timed out
         * (RFC 9853 5.1 step 5), or the peer answered path_drop (it does not want that path). The
         * peer stays where it was.
         */
        PATH_VALIDATION_FAILED
    }

    static EngineEvent complete(DtlsSession session) {
        return new EngineEvent(Kind.HANDSHAKE_COMPLETE, session, null, null, null);
    }

    static EngineEvent warning(AlertDescription alert) {
        return new EngineEvent(Kind.WARNING_ALERT, null, null, alert, null);
    }

    static EngineEvent closed() {
        return new EngineEvent(Kind.CLOSED, null, null, AlertDescription.CLOSE_NOTIFY, null);
    }

    static EngineEvent failed(DtlsException e) {
        return new EngineEvent(Kind.FAILED, null, e, e.alert(), null);
    }

    static EngineEvent pathValidated(Object path) {
        return new EngineEvent(Kind.PATH_VALIDATED, null, null, null, path);
    }

    static EngineEvent pathValidationFailed(Object path) {
        return new EngineEvent(Kind.PATH_VALIDATION_FAILED, null, null, null, path);
    }
}
