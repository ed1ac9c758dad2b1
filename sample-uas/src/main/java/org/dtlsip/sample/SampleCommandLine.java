package org.dtlsip.sample;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The picocli set-up both sample programs share: their streams, and one-line usage errors. */
public final class SampleCommandLine {
    private SampleCommandLine() {
    }

    /**
     * Runs {@code command} on {@code args}, printing to {@code out}/{@code err}; a bad option is
     * its reason and a pointer to --help (exit 2), not the whole help after the error.
     */
    public static int execute(String name, Object command, String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, badArgs) -> {
            err.println(name + ": " + e.getMessage());
            err.println(name + ": use --help for the options");
            return 2;
        });
        return cl.execute(args);
    }
}
