package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.config.KeyLog;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NSS key log we write lets tshark decrypt a capture: without it the payload is nowhere
 * in the capture; with it, tshark shows the application data in clear. DTLS 1.2 is pinned:
 * Debian 12's tshark 4.0 has no DTLS 1.3 dissector for the unified header (the 1.3 key log
 * lines are checked against wolfSSL's in {@code Dtls13WolfSslInteropTest}).
 */
class KeyLogCaptureTest {
    private static final String SECRET = "dtlsip key log payload 4f2a";
    private static final Pattern HEX_LINE = Pattern.compile("^[0-9a-f]{4}  ((?:[0-9a-f]{2} ){1,16})");

    @TempDir
    Path dir;

    @Test
    void tsharkDecryptsACaptureWithOurKeyLog() throws Exception {
        assumeTrue(works("tshark", "--version"), "tshark is not installed");
        Path keyLog = dir.resolve("keys.log");
        Path pcap = dir.resolve("session.pcapng");
        TestPki.Material key = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), Interop.server(key).protocols(ProtocolVersion.DTLS_1_2).build(), events).start();
             DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int port = server.localAddress().getPort();
            Process capture = new ProcessBuilder("tshark", "-i", "lo", "-f",
                    "udp port " + port + " or udp port " + probe.getLocalPort(), "-a", "duration:60", "-l", "-P",
                    "-w", pcap.toString()).redirectErrorStream(true).start();
            try {
                assumeTrue(awaitCapturing(capture, probe), "tshark cannot capture on lo here");
                try (DtlsClient client = DtlsClient.connect(Interop.loopback(port),
                        Interop.clientPinning(key).protocols(ProtocolVersion.DTLS_1_2).keyLog(KeyLog.toFile(keyLog)).build())) {
                    client.send(bytes(SECRET));
                    assertEquals(SECRET, Interop.text(events.awaitData(WAIT).bytes()));
                }
                Thread.sleep(300); // let the last datagrams reach the capture file
            } finally {
                capture.destroy();
                capture.waitFor(10, TimeUnit.SECONDS);
            }
            List<String> keys = Files.readAllLines(keyLog);
            assertEquals(1, keys.size());
            assertTrue(keys.get(0).matches("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}"), keys.get(0));

            String raw = new String(Files.readAllBytes(pcap), StandardCharsets.ISO_8859_1);
            assertFalse(raw.contains(SECRET), "the payload is encrypted on the wire");
            String decode = "udp.port==" + port + ",dtls";
            assertFalse(decrypted(run("tshark", "-r", pcap.toString(), "-d", decode, "-x")).contains(SECRET),
                    "nothing decrypts without the key log");
            String clear = decrypted(run("tshark", "-r", pcap.toString(), "-o", "tls.keylog_file:" + keyLog,
                    "-d", decode, "-x"));
            assertTrue(clear.contains(SECRET), "tshark decrypts the application data with our key log:\n" + clear);
        }
    }

    /** The bytes of every "Decrypted DTLS" block in tshark's -x dump, as ISO-8859-1 text. */
    private static String decrypted(List<String> dump) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean inBlock = false;
        for (String line : dump) {
            if (line.startsWith("Decrypted DTLS")) {
                inBlock = true;
                out.write('|');
                continue;
            }
            Matcher m = HEX_LINE.matcher(line);
            if (inBlock && m.find()) {
                for (String b : m.group(1).trim().split(" ")) {
                    out.write(Integer.parseInt(b, 16));
                }
            } else {
                inBlock = false;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends probes to ourselves until tshark reports one: "Capturing on" comes before it really captures. */
    private static boolean awaitCapturing(Process capture, DatagramSocket probe) throws IOException, InterruptedException {
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(capture.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("UDP")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // tshark ended
            }
        }, "tshark-output");
        reader.setDaemon(true);
        reader.start();
        byte[] ping = bytes("probe");
        for (int i = 0; i < 200; i++) {
            probe.send(new DatagramPacket(ping, ping.length, probe.getLocalSocketAddress()));
            if (ready.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    private static boolean works(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
        List<String> lines = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tshark finished");
        return lines;
    }
}
