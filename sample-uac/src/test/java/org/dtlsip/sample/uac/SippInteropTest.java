package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6 acceptance 2: SIPp (Debian package sip-tester) as a third-party peer over UDP, both
 * ways, with its built-in scenarios. Skipped when {@code sipp} is not on the PATH.
 */
@Timeout(90)
class SippInteropTest {
    static final int CALLS = 10;
    static Path dir;

    @BeforeAll
    static void needSipp() throws Exception {
        assumeTrue(onPath("sipp"), "sipp not on the PATH (apt-get install sip-tester)");
        dir = Files.createTempDirectory("sipp");
        dir.toFile().deleteOnExit();
    }

    @Test
    void sippUacCallsSampleUas() throws Exception {
        Captured out = new Captured();
        try (Uas uas = Uas.start(Credentials.of(null, null, "sample-uas", null, List.of()), "127.0.0.1",
                Map.of(Transport.UDP, 0), 0, false, out.stream)) {
            int port = uas.port(Transport.UDP);
            Process sipp = sipp("-sn", "uac", "127.0.0.1:" + port, "-p", String.valueOf(freeUdpPort()),
                    "-m", String.valueOf(CALLS), "-r", "10", "-l", "5");
            assertEquals(0, finish(sipp), "sipp -sn uac exit status; output in " + dir);
            assertEquals(CALLS, uas.completedCalls());
            assertTrue(out.text().contains("INVITE 200, ACK, BYE 200"), out.text());
        }
    }

    @Test
    void sampleUacCallsSippUas() throws Exception {
        int port = freeUdpPort();
        Process sipp = sipp("-sn", "uas", "-p", String.valueOf(port), "-m", String.valueOf(CALLS));
        try {
            Thread.sleep(500); // sipp binds its port at start; a lost first INVITE would be retransmitted anyway
            Captured out = new Captured();
            int rc = SampleUac.run(new String[] {"--target", "sip:service@127.0.0.1:" + port, "--calls", String.valueOf(CALLS),
                "--concurrency", "2", "--hold-ms", "0", "--no-progress"}, out.stream, out.stream);
            assertEquals(0, rc, out.text());
            assertTrue(out.text().contains(CALLS + " ok, 0 failed"), out.text());
            assertEquals(0, finish(sipp), "sipp -sn uas exit status (it stops after " + CALLS + " calls)");
        } finally {
            sipp.destroyForcibly();
        }
    }

    /** Runs sipp in the background, bounded, in its own directory (it writes logs to the working directory). */
    private static Process sipp(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sipp"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-i", "127.0.0.1", "-timeout", "30s", "-timeout_error", "-trace_err", "-nostdin", "-nd"));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp-" + args[1] + ".out").toFile()).start();
    }

    private static int finish(Process p) throws Exception {
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sipp did not finish");
        }
        return p.exitValue();
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, name).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
