package org.dtlsip.dtls.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run the launchers record a class-data sharing archive from (bin/lib.sh, AppCDS): a
 * dtls-server and a dtls-client in this JVM, over loopback, through the CLIs' own code: a
 * generated certificate, a full handshake with the default suite, one record each way and
 * close_notify. Every class the two programs load for that is then mapped from the archive at
 * their next start instead of being read, parsed and verified again. Prints nothing; exits 0
 * when the handshake and the echo worked.
 */
public final class CdsTraining {
    /** Bound on the whole run; the loopback handshake takes well under a second. */
    private static final long TIMEOUT_SECONDS = 60;

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        CliLogging.configure();
        ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream serverPrint = new PrintStream(serverOut, true, StandardCharsets.UTF_8);
        System.setIn(new ByteArrayInputStream("warm-up\n".getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> DtlsServerMain.run(
                new String[] {"-port", "0", "-naccept", "1", "-echo"}, serverPrint, sink));
        Pattern listening = Pattern.compile("Listening on \\S+:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        Matcher m;
        while (!(m = listening.matcher(serverOut.toString(StandardCharsets.UTF_8))).find()) {
            if (server.isDone() || System.nanoTime() > deadline) {
                System.exit(1);
            }
            Thread.sleep(5);
        }
        int client = DtlsClientMain.run(new String[] {"-connect", "127.0.0.1:" + m.group(1), "-insecure", "-wait-ms", "200"},
                sink, sink);
        int served = server.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.exit(client == 0 && served == 0 ? 0 : 1);
    }
}
