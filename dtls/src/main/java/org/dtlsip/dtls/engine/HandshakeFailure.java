package org.dtlsip.dtls.engine;

/**
 * Thrown inside the handshake state machines when the peer violated the protocol or could
 * not be authenticated; the engine answers with the fatal alert it names and fails the
 * association. Internal: callers see a {@link DtlsException}.
 */
final class HandshakeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final AlertDescription alert;

    HandshakeFailure(AlertDescription alert, String message) {
        super(message);
        this.alert = alert;
    }

    HandshakeFailure(AlertDescription alert, String message, Throwable cause) {
        super(message, cause);
        this.alert = alert;
    }

    /** RFC 6347 4.1, RFC 5246 6.1: sequence numbers never wrap, so an exhausted epoch ends the association. */
    static HandshakeFailure sequenceNumbersExhausted(int epoch) {
        return new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "the record sequence numbers of epoch " + epoch
                + " are exhausted (2^48 records; RFC 6347 4.1: they never wrap); open a new association");
    }
}
