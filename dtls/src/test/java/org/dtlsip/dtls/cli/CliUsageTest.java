package org.dtlsip.dtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad usage is the reason plus a pointer to -help (exit 2); -help prints the options (exit 0). */
class CliUsageTest {
    private record Result(int status, String out, String err) { }

    private static Result run(TriFunction main, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = main.apply(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private interface TriFunction {
        int apply(String[] args, PrintStream out, PrintStream err);
    }

    @Test
    void unknownOptionIsTwoLinesAndExitTwo() {
        Result c = run(DtlsClientMain::run, "-connect", "127.0.0.1:4433", "-bogus");
        assertEquals(2, c.status());
        assertEquals("dtls-client: unknown option -bogus\ndtls-client: use -help for the options\n", c.err());
        Result s = run(DtlsServerMain::run, "-port");
        assertEquals(2, s.status());
        assertEquals("dtls-server: -port needs a value\ndtls-server: use -help for the options\n", s.err());
    }

    @Test
    void helpPrintsTheOptionsOnStandardOutput() {
        Result c = run(DtlsClientMain::run, "-help");
        assertEquals(0, c.status());
        assertTrue(c.out().startsWith("usage: dtls-client -connect HOST:PORT"), c.out());
        assertTrue(c.out().contains("-mtu"), c.out());
        Result s = run(DtlsServerMain::run, "-help");
        assertEquals(0, s.status());
        assertTrue(s.out().startsWith("usage: dtls-server"), s.out());
    }

    @Test
    void anOptionForTheOtherRoleIsAUsageError() {
        // A setting the role never uses is refused, not silently ignored (issue 12).
        Result c = run(DtlsClientMain::run, "-connect", "127.0.0.1:4433", "-psk", "00112233", "-psk_hint", "h");
        assertEquals(2, c.status());
        assertEquals("dtls-client: -psk_hint is a server option (the hint the server sends)\n"
                + "dtls-client: use -help for the options\n", c.err());
        Result s = run(DtlsServerMain::run, "-port", "0", "-servername", "example.org");
        assertEquals(2, s.status());
        assertEquals("dtls-server: -servername is a client option (the server_name it sends)\n"
                + "dtls-server: use -help for the options\n", s.err());
    }
}
