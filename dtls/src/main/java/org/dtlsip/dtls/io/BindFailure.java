package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.BindException;

/** Why a UDP port could not be bound, in words that say what to change. */
final class BindFailure {
    private BindFailure() {
    }

    /** The reason, with the likely cause for the two errors people meet (Linux/JDK wording). */
    static String explain(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof BindException && m.contains("in use")) {
            return m + " (is another process using the port?)";
        }
        if (e instanceof BindException && m.contains("assign requested address")) {
            return m + " (the address is not one of this machine's)";
        }
        if (e instanceof java.net.SocketException && m.contains("Permission denied")) {
            return m + " (ports below 1024 need privileges)";
        }
        return m;
    }
}
