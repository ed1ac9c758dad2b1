package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.dtls.cli.CliRunner;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16's acceptance for {@code -msg}: {@code dtls-client -msg} against
 * {@code openssl s_server -dtls1_2}, and {@code dtls-server -msg} against
 * {@code openssl s_client -dtls1_2}, print the handshake message by message, in order, with the
 * encrypted Finished in epoch 1, and the close_notify by name.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageTraceInteropTest {
    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";
    /** A message line: direction, structure name, message_seq, epoch. */
    private static final Pattern MESSAGE = Pattern.compile(
            "(>>>|<<<)   (\\w+) message_seq (\\d+), fragment \\d+\\+\\d+ of \\d+ \\(epoch (\\d+)\\)(, retransmission)?");
    private static final Pattern CHANGE_CIPHER_SPEC = Pattern.compile(
            "(>>>|<<<) record epoch (\\d+) seq \\d+: change_cipher_spec, 14 bytes");
    private static final Pattern ALERT = Pattern.compile("(>>>|<<<)   Alert (\\w+ \\w+) \\(epoch (\\d+)\\)");

    @BeforeEach
    void requireOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    /**
     * The trace's lines reduced to "&gt;&gt;&gt; ClientHello 0 e0", "&lt;&lt;&lt; change_cipher_spec e0",
     * "&gt;&gt;&gt; Alert warning close_notify e1"; the fragments of one message count once
     * (OpenSSL 3.0 splits its Certificate into several records even on loopback, at sizes of
     * its own choosing).
     */
    private static List<String> script(String output) {
        List<String> out = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher m = MESSAGE.matcher(line);
            if (m.matches()) {
                String message = m.group(1) + " " + m.group(2) + " " + m.group(3) + " e" + m.group(4) + (m.group(5) != null ? " R" : "");
                if (out.isEmpty() || !out.get(out.size() - 1).equals(message)) {
                    out.add(message);
                }
                continue;
            }
            m = CHANGE_CIPHER_SPEC.matcher(line);
            if (m.matches()) {
                out.add(m.group(1) + " change_cipher_spec e" + m.group(2));
                continue;
            }
            m = ALERT.matcher(line);
            if (m.matches()) {
                out.add(m.group(1) + " Alert " + m.group(2) + " e" + m.group(3));
            }
        }
        return out;
    }

    /** The record line right before the first line that matches {@code message}. */
    private static String recordOf(String output, String message) {
        List<String> lines = output.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith(message)) {
                return lines.get(i - 1);
            }
        }
        throw new AssertionError("no line starting " + message + " in\n" + output);
    }

    @Test
    void dtlsClientMsgAgainstOpenSslServerPrintsTheHandshakeMessageByMessage() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        String out;
        try (OpenSslPeer server = OpenSslPeer.server(port, OpenSslPeer.serverArgs(key, "-cipher", SUITE))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = withEmptyStdin(() -> CliRunner.client(new String[] {"-connect", "127.0.0.1:" + port, "-fingerprint",
                    Fingerprint.format(Fingerprint.sha256(key.certificate())), "-msg", "-wait-ms", "200"},
                    new PrintStream(bytes, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            out = bytes.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, out + err.toString(StandardCharsets.UTF_8));
            server.awaitLine(("CIPHER is " + SUITE)::equals, WAIT);
        }
        // openssl 3.0's s_server asks for a cookie even without -listen (OpenSslPeer's notes).
        assertEquals(List.of(
                ">>> ClientHello 0 e0",
                "<<< HelloVerifyRequest 0 e0",
                ">>> ClientHello 1 e0",
                "<<< ServerHello 1 e0",
                "<<< Certificate 2 e0",
                "<<< ServerKeyExchange 3 e0",
                "<<< ServerHelloDone 4 e0",
                ">>> ClientKeyExchange 2 e0",
                ">>> change_cipher_spec e0",
                ">>> Finished 3 e1",
                "<<< change_cipher_spec e0",
                "<<< Finished 5 e1",
                ">>> Alert warning close_notify e1"), withoutAnswerToClose(script(out)), out);
        assertTrue(recordOf(out, ">>>   Finished").matches(">>> record epoch 1 seq 0: handshake, \\d+ bytes, encrypted"), out);
        assertTrue(recordOf(out, "<<<   Finished").matches("<<< record epoch 1 seq 0: handshake, \\d+ bytes, decrypted"), out);
        assertTrue(recordOf(out, ">>>   ClientHello message_seq 0").matches(">>> record epoch 0 seq 0: handshake, \\d+ bytes"), out);
        // The trace and the usual lines share the output, in the order they happened.
        List<String> lines = out.lines().toList();
        int connected = lines.indexOf(lines.stream().filter(l -> l.startsWith("CONNECTED ")).findFirst().orElseThrow());
        assertTrue(connected > lines.indexOf(lines.stream().filter(l -> l.startsWith("<<<   Finished")).findFirst().orElseThrow()),
                out);
    }

    @Test
    void dtlsServerMsgAgainstOpenSslClientPrintsTheCookieExchangeAndTheHandshake() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> withEmptyStdin(() ->
                CliRunner.server(new String[] {"-port", "0", "-naccept", "1", "-msg", "-cipher", SUITE}, out,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))));
        int port = listeningPort(bytes);
        try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port, List.of("-cipher", SUITE))) {
            client.awaitLine(l -> l.startsWith("New, TLSv1.2, Cipher is"), WAIT);
            client.closeStdin(); // s_client sends close_notify and exits
            assertEquals(0, status.get(20, TimeUnit.SECONDS), bytes.toString(StandardCharsets.UTF_8));
        }
        String trace = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(
                "<<< ClientHello 0 e0",
                ">>> HelloVerifyRequest 0 e0",
                "<<< ClientHello 1 e0",
                ">>> ServerHello 1 e0",
                ">>> Certificate 2 e0",
                ">>> ServerKeyExchange 3 e0",
                ">>> ServerHelloDone 4 e0",
                "<<< ClientKeyExchange 2 e0",
                "<<< change_cipher_spec e0",
                "<<< Finished 3 e1",
                ">>> NewSessionTicket 5 e0", // s_client offers session_ticket (RFC 5077 3.3)
                ">>> change_cipher_spec e0",
                ">>> Finished 6 e1",
                "<<< Alert warning close_notify e1",
                ">>> Alert warning close_notify e1"), script(trace), trace);
        assertTrue(recordOf(trace, "<<<   Alert warning close_notify").matches("<<< record epoch 1 seq \\d+: alert, \\d+ bytes, decrypted"),
                trace);
    }

    /**
     * The client's script without s_server's answering close_notify (RFC 5246 7.2.1), which
     * comes after the client's own and may or may not arrive before the client exits.
     */
    private static List<String> withoutAnswerToClose(List<String> script) {
        String answer = "<<< Alert warning close_notify e1";
        return script.isEmpty() || !script.get(script.size() - 1).equals(answer) ? script : script.subList(0, script.size() - 1);
    }

    private static int listeningPort(ByteArrayOutputStream out) throws InterruptedException {
        Pattern listening = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+) .*");
        for (int i = 0; i < 200; i++) {
            for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
                Matcher m = listening.matcher(line);
                if (m.matches()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("dtls-server did not start: " + out.toString(StandardCharsets.UTF_8));
    }

    private interface Main {
        int run();
    }

    /** The CLIs read stdin: give them an empty one (end of input at once). */
    private static int withEmptyStdin(Main main) {
        synchronized (System.class) {
            InputStream stdin = System.in;
            System.setIn(new ByteArrayInputStream(new byte[0]));
            try {
                return main.run();
            } finally {
                System.setIn(stdin);
            }
        }
    }
}
