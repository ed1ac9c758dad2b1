package org.dtlsip.dtls.cli;

import java.io.PrintStream;

/** The command-line peers' entry points, for tests in other packages. */
public final class CliRunner {
    private CliRunner() {
    }

    /** {@code dtls-client} with these arguments; returns its exit status. */
    public static int client(String[] args, PrintStream out, PrintStream err) {
        return DtlsClientMain.run(args, out, err);
    }

    /** {@code dtls-client} reading the lines it sends from {@code in}. */
    public static int client(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
        return DtlsClientMain.run(args, in, out, err);
    }

    /** {@code dtls-server} with these arguments; returns its exit status. */
    public static int server(String[] args, PrintStream out, PrintStream err) {
        return DtlsServerMain.run(args, out, err);
    }
}
