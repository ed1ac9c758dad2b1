package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 5: a capture of a call shows only DTLS records (content types 20-23) on the
 * DTLS port and no cleartext SIP; with the key log it decrypts to the SIP messages. Needs
 * tshark (Debian package "tshark") and permission to capture on lo; skipped otherwise.
 */
@Timeout(90)
class CaptureTest {
    @TempDir
    Path dir;

    @Test
    void captureShowsOnlyDtlsRecordsAndDecryptsToSip() throws Exception {
        assumeTrue(tsharkWorks(), "tshark is not installed or cannot run");
        Path keyLog = dir.resolve("keys.log");
        Path pcap = dir.resolve("call.pcapng");
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.KEY_LOG_FILE, keyLog.toString());
        // Debian 12's tshark 4.0 cannot decrypt DTLS 1.3 (no unified-header dissector): pin 1.2.
        p.setProperty(DtlsSipProperties.PROTOCOLS, "DTLSv1.2");
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob")) {
            java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress());
            Process capture = new ProcessBuilder("tshark", "-i", "lo", "-f",
                    "udp port " + bob.port() + " or udp port " + probe.getLocalPort(), "-a", "duration:60",
                    "-l", "-P", "-w", pcap.toString()).redirectErrorStream(true).start();
            try (probe) {
                assumeTrue(awaitCapturing(capture, probe), "tshark cannot capture on lo here");
                Dialog d = alice.call(bob, bob.advertised);
                alice.hangUp(d);
                bob.awaitRequest(Request.BYE);
                Thread.sleep(300); // let the last datagrams reach the capture buffer
            } finally {
                capture.destroy();
                capture.waitFor(10, TimeUnit.SECONDS);
            }
            String port = Integer.toString(bob.port());

            List<String> types = run("tshark", "-r", pcap.toString(), "-d", "udp.port==" + port + ",dtls",
                    "-T", "fields", "-e", "dtls.record.content_type");
            assertFalse(types.isEmpty(), "the capture holds DTLS datagrams");
            for (String line : types) {
                for (String t : line.split(",")) {
                    assertTrue(Set.of("20", "21", "22", "23").contains(t.trim()), "content type " + t + " in " + types);
                }
            }
            byte[] raw = Files.readAllBytes(pcap);
            assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains("SIP/2.0"), "no cleartext SIP in the capture");
            assertTrue(run("tshark", "-r", pcap.toString(), "-Y", "sip").isEmpty(), "nothing dissects as SIP without keys");

            // Wireshark 4.0 has no DTLS-to-SIP dissector mapping (SIP is not in the dtls.port
            // table, and there is no DTLS heuristic for it), so read the decrypted records from
            // the hex dump tshark prints with the key log, and check their SIP start lines.
            List<String> dump = run("tshark", "-r", pcap.toString(), "-o", "tls.keylog_file:" + keyLog,
                    "-d", "udp.port==" + port + ",dtls", "-x");
            List<String> startLines = decryptedStartLines(dump);
            String all = String.join("\n", startLines);
            if (System.getProperty("dtlsip.capture.keep") != null) {
                Files.copy(pcap, Path.of(System.getProperty("dtlsip.capture.keep"), "call.pcapng"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(keyLog, Path.of(System.getProperty("dtlsip.capture.keep"), "keys.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> expected = List.of("INVITE ", "SIP/2.0 100", "SIP/2.0 180", "SIP/2.0 200", "ACK ", "BYE ", "SIP/2.0 200");
            assertEquals(expected.size(), startLines.size(), "SIP messages decrypted from the capture:\n" + all);
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(startLines.get(i).startsWith(expected.get(i)), "message " + i + ": " + all);
            }
        }
    }

    /** The first line of each decrypted DTLS record that holds SIP, from tshark's "-x" output. */
    static List<String> decryptedStartLines(List<String> dump) {
        List<String> out = new ArrayList<>();
        java.io.ByteArrayOutputStream record = null;
        java.util.regex.Pattern hexLine = java.util.regex.Pattern.compile("^[0-9a-f]{4}  ((?:[0-9a-f]{2} ){1,16})");
        for (String line : dump) {
            if (line.startsWith("Decrypted DTLS")) {
                addStartLine(record, out);
                record = new java.io.ByteArrayOutputStream();
                continue;
            }
            java.util.regex.Matcher m = hexLine.matcher(line);
            if (record != null && m.find()) {
                for (String b : m.group(1).trim().split(" ")) {
                    record.write(Integer.parseInt(b, 16));
                }
            } else if (record != null) {
                addStartLine(record, out);
                record = null;
            }
        }
        addStartLine(record, out);
        return out;
    }

    private static void addStartLine(java.io.ByteArrayOutputStream record, List<String> out) {
        if (record == null) {
            return;
        }
        String text = record.toString(StandardCharsets.ISO_8859_1);
        int eol = text.indexOf("\r\n");
        if (eol > 0 && text.substring(0, eol).matches("(SIP/2\\.0 \\d{3} .*|[A-Z]+ \\S+ SIP/2\\.0)")) {
            out.add(text.substring(0, eol));
        }
    }

    /**
     * "Capturing on" is printed before the capture really sees packets; so send probes (to
     * ourselves, on a port the filter includes) until tshark prints one, or give up.
     */
    private static boolean awaitCapturing(Process capture, java.net.DatagramSocket probe)
            throws InterruptedException, IOException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("UDP")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "tshark-output");
        reader.setDaemon(true);
        reader.start();
        byte[] ping = "probe".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200; i++) {
            probe.send(new java.net.DatagramPacket(ping, ping.length, probe.getLocalSocketAddress()));
            if (ready.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tsharkWorks() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark finished");
        return lines;
    }
}
