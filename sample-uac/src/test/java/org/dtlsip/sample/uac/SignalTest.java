package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: {@code sample-uac} stopped by SIGTERM mid-run ends its calls at the UAS (BYE for an
 * established call, CANCEL for a ringing INVITE, RFC 3261 15.1.1 and 9.1), prints the summary of
 * the calls placed so far and exits 143. The UAC runs as a process of its own; the UAS in this JVM
 * counts what it received.
 */
@Timeout(180)
class SignalTest {
    /** Polls of the UAS while the UAC gets going (a cold JVM and a DTLS handshake), 50 ms apart. */
    private static final int POLLS = 1_200;

    @TempDir
    Path dir;

    private static final Credentials UAS_CREDENTIALS = credentials();

    private static Credentials credentials() {
        try {
            return Credentials.of(null, null, "sample-uas", null, List.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Uas uas(long ringMillis, Captured out) throws Exception {
        return Uas.start(UAS_CREDENTIALS, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), ringMillis, false, out.stream);
    }

    /** The count of {@code key} in one line ("requests", "responses", "calls") of the UAS's summary; 0 if absent. */
    private static long count(Uas uas, String line, String key) {
        Matcher m = Pattern.compile("uas:   " + line + " +(.*)").matcher(uas.summary());
        if (!m.find()) {
            return 0;
        }
        Matcher k = Pattern.compile("(?:^|, )" + Pattern.quote(key) + " (\\d+)").matcher(m.group(1));
        return k.find() ? Long.parseLong(k.group(1)) : 0;
    }

    private static void awaitUas(Uas uas, String line, String key, long atLeast, UacProcess uac) throws InterruptedException, IOException {
        for (int i = 0; i < POLLS && count(uas, line, key) < atLeast; i++) {
            Thread.sleep(50);
        }
        assertTrue(count(uas, line, key) >= atLeast, "UAS never had " + key + " " + atLeast + ":\n" + uas.summary() + uac.output());
    }

    @Test
    void sigtermWithCallsEstablishedSendsByeForEachAndPrintsTheSummarySoFar() throws Exception {
        Captured uasOut = new Captured();
        Uas uas = uas(0, uasOut);
        String fingerprint = UAS_CREDENTIALS.fingerprint();
        try (UacProcess uac = UacProcess.start(dir, "--target", "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP)
                + ";transport=dtls-udp", "--fingerprint", fingerprint, "--calls", "10", "--concurrency", "2",
                "--hold-ms", "4000", "--no-progress")) {
            // The first call alone, then two at a time: signal once calls 2 and 3 are up.
            awaitUas(uas, "requests", "ACK", 3, uac);
            uac.sigterm();
            int status = uac.waitFor(60);
            String text = uac.output();
            System.out.print(text);
            assertEquals(ShutdownHandler.EXIT_SIGTERM, status, text);
            assertTrue(Pattern.compile("uac: interrupted \\(SIGINT or SIGTERM\\): no more calls; ending the calls in "
                    + "progress \\(BYE, or CANCEL while ringing\\): call \\d+ established; call \\d+ established").matcher(text).find(),
                    text);
            Matcher stopped = Pattern.compile("uac: stopped after (\\d+) of 10 planned calls; the summary of those:").matcher(text);
            assertTrue(stopped.find(), text);
            int placed = Integer.parseInt(stopped.group(1));
            assertTrue(placed >= 3 && placed < 10, text);
            assertTrue(text.contains("uac: calls          " + placed + " ok, 0 failed (of " + placed + ","), text);
            assertTrue(text.contains("uac:   first call   "), "the summary table: " + text);
            // Every call the UAS answered was hung up: a BYE per ACK, none left up.
            long acks = count(uas, "requests", "ACK");
            assertEquals(acks, count(uas, "requests", "BYE"), uas.summary());
            assertEquals(acks, uas.completedCalls(), uas.summary());
            assertEquals(placed, acks, uas.summary());
        } finally {
            uas.close();
        }
    }

    @Test
    void sigtermWhileRingingCancelsTheInvite() throws Exception {
        Captured uasOut = new Captured();
        Uas uas = uas(600_000, uasOut);
        String fingerprint = UAS_CREDENTIALS.fingerprint();
        try (UacProcess uac = UacProcess.start(dir, "--target", "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP)
                + ";transport=dtls-udp", "--fingerprint", fingerprint, "--calls", "3", "--no-progress")) {
            awaitUas(uas, "responses", "180", 1, uac);
            uac.sigterm();
            int status = uac.waitFor(60);
            String text = uac.output();
            System.out.print(text);
            assertEquals(ShutdownHandler.EXIT_SIGTERM, status, text);
            // The UAS has sent its 180; the UAC cancels at once if it has it, else as it arrives (RFC 3261 9.1).
            assertTrue(Pattern.compile("ending the calls in progress \\(BYE, or CANCEL while ringing\\): call 1 "
                    + "(ringing \\(provisional response received\\)|INVITE sent, no response yet)\n").matcher(text).find(), text);
            assertTrue(text.contains("uac: stopped after 1 of 3 planned calls"), text);
            assertTrue(text.contains("uac: calls          0 ok, 1 failed (of 1,"), text);
            assertTrue(text.contains("failed    1  INVITE answered 487 Request Terminated"), text);
            assertEquals(1, count(uas, "requests", "CANCEL"), uas.summary());
            assertEquals(1, count(uas, "calls", "cancelled"), uas.summary());
            assertEquals(1, count(uas, "requests", "INVITE"), "no call after the signal: " + uas.summary());
        } finally {
            uas.close();
        }
    }

    @Test
    void sigtermWithAnInviteNobodyAnswersWaitsBoundedAndSaysWhatIsLeft() throws Exception {
        // A UDP "UAS" that takes the INVITE and never answers: no provisional response, so no CANCEL (RFC 3261 9.1).
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                UacProcess uac = UacProcess.start(dir, "--target", "sip:uas@127.0.0.1:" + silent.getLocalPort(),
                        "--calls", "2", "--timeout-ms", "600000", "--no-progress")) {
            silent.setSoTimeout(60_000);
            // The UAC's reachability probe (a CRLF, PortProbe) comes first, then the INVITE.
            String first = "";
            for (int i = 0; i < 5 && !first.startsWith("INVITE "); i++) {
                DatagramPacket d = new DatagramPacket(new byte[65_535], 65_535);
                silent.receive(d);
                first = new String(d.getData(), 0, d.getLength(), StandardCharsets.UTF_8);
            }
            assertTrue(first.startsWith("INVITE "), first);
            uac.sigterm();
            int status = uac.waitFor(60);
            String text = uac.output();
            System.out.print(text);
            assertEquals(ShutdownHandler.EXIT_SIGTERM, status, text);
            assertTrue(text.contains("ending the calls in progress (BYE, or CANCEL while ringing): call 1 INVITE sent, "
                    + "no response yet"), text);
            assertTrue(text.contains("uac: stopped; calls so far 0 ok, 0 failed, 1 in progress (of 2 planned); still in "
                    + "progress after " + ShutdownHandler.WAIT_MILLIS + " ms: call 1 INVITE sent, no response yet"), text);
        }
    }
}
