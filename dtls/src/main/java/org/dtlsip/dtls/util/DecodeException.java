package org.dtlsip.dtls.util;

/**
 * A wire structure could not be parsed: too short, a length that overruns its container,
 * or a value the protocol forbids. The engine maps this to a {@code decode_error} alert
 * (RFC 5246 7.2.2) for handshake messages, or silently drops the record (RFC 6347 4.1.2.7).
 */
public final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }
}
