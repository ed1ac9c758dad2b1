package org.dtlsip.sip;

import javax.sip.IOExceptionEvent;

/**
 * The {@link IOExceptionEvent} a DTLS-UDP client transaction ends with when its request could
 * not be sent, with the reason in one line: a failed handshake and its alert, a server
 * certificate that does not name the SIP domain (RFC 5922), a refusing TLS security policy.
 * JAIN-SIP's event carries only the peer's address; check for this type to show why:
 * <pre>{@code
 * public void processIOException(IOExceptionEvent e) {
 *     String why = e instanceof DtlsIOExceptionEvent d ? d.getMessage() : "I/O error";
 * }
 * }</pre>
 */
public final class DtlsIOExceptionEvent extends IOExceptionEvent {
    private static final long serialVersionUID = 1L;

    private final String message;

    DtlsIOExceptionEvent(Object source, String host, int port, String transport, String message) {
        super(source, host, port, transport);
        this.message = message;
    }

    /** Why the request could not be sent. */
    public String getMessage() {
        return message;
    }

    @Override
    public String toString() {
        return "DtlsIOExceptionEvent[" + getHost() + ":" + getPort() + "/" + getTransport() + ": " + message + "]";
    }
}
