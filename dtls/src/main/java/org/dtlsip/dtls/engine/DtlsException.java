package org.dtlsip.dtls.engine;

import java.io.IOException;

/**
 * An association failed: a handshake error, a fatal alert in either direction, or a timeout.
 * The message names the cause in one line, e.g. {@code handshake failed: received fatal alert
 * handshake_failure}; {@link #alert()} and {@link #alertReceived()} say which alert, if any.
 */
public final class DtlsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final AlertDescription alert;
    private final boolean alertReceived;

    public DtlsException(String message, AlertDescription alert, boolean alertReceived, Throwable cause) {
        super(message, cause);
        this.alert = alert;
        this.alertReceived = alertReceived;
    }

    public DtlsException(String message) {
        this(message, null, false, null);
    }

    /** The alert sent or received, or {@code null} (e.g. a timeout). */
    public AlertDescription alert() {
        return alert;
    }

    /** True when the peer sent the alert, false when we did (or there was none). */
    public boolean alertReceived() {
        return alertReceived;
    }
}
