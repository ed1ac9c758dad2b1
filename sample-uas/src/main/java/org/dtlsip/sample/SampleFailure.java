package org.dtlsip.sample;

/**
 * A failure the samples report as one line, without a stack trace: a bad address, a port in
 * use, a missing certificate, a refused handshake, a timeout. The message is that line.
 */
public final class SampleFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public SampleFailure(String message) {
        super(message);
    }

    public SampleFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost message of a chain of causes, which usually names what went wrong. */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        String message = t.toString();
        while (c != null) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
            c = c.getCause() == c ? null : c.getCause();
        }
        return message;
    }
}
