package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.dtlsip.dtls.cli.CliRunner;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** dtls-client with -dtls1_3 and -min/-max_protocol against wolfSSL's DTLS 1.3 echo server. */
class Dtls13CliInteropTest {
    @BeforeAll
    static void wolfSslBuilt() {
        assumeTrue(WolfSslPeer.available(), () -> WolfSslPeer.unavailableReason().orElse(""));
    }

    private static String runClient(WolfSslPeer wolf, TestPki.Material key, String... versionArgs) {
        String[] base = {"-connect", "127.0.0.1:" + wolf.port(), "-fingerprint",
            Fingerprint.format(Fingerprint.sha256(key.certificate())), "-wait-ms", "500"};
        String[] args = new String[base.length + versionArgs.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(versionArgs, 0, args, base.length, versionArgs.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CliRunner.client(args, new ByteArrayInputStream("hello over 1.3\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text + err.toString(StandardCharsets.UTF_8) + "\n" + wolf.output());
        return text;
    }

    @Test
    void dtls13FlagConnectsAndEchoes() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (WolfSslPeer wolf = WolfSslPeer.server(key, null, WolfSslPeer.Options.dtls13())) {
            String out = runClient(wolf, key, "-dtls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384");
            assertTrue(out.contains("CONNECTED 127.0.0.1:" + wolf.port() + " DTLSv1.3 TLS_AES_256_GCM_SHA384 "), out);
            assertTrue(out.contains("New, DTLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"), out);
            assertTrue(out.contains("hello over 1.3"), out);
        }
    }

    @Test
    void maxProtocolDtls13NegotiatesDtls13() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (WolfSslPeer wolf = WolfSslPeer.server(key, null, WolfSslPeer.Options.dtls13())) {
            String out = runClient(wolf, key, "-min_protocol", "DTLSv1.2", "-max_protocol", "DTLSv1.3");
            assertTrue(out.contains(" DTLSv1.3 TLS_AES_128_GCM_SHA256 "), out);
        }
    }

    /**
     * dtls-server -dtls1_3 -echo through the unchanged DtlsServer: wolfSSL's client completes
     * DTLS 1.3 through our stateless cookie, gets its message echoed and closes.
     */
    @Test
    void dtlsServerDtls13EchoesWolfSslClient() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        java.util.concurrent.CompletableFuture<Integer> status = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                withEmptyStdin(() -> CliRunner.server(new String[] {"-port", "0", "-naccept", "1", "-echo", "-dtls1_3",
                    "-cert", key.certPem().toString(), "-key", key.keyPem().toString()}, out,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))));
        int port = listeningPort(bytes);
        try (WolfSslPeer wolf = WolfSslPeer.client(Interop.loopback(port), key, null, WolfSslPeer.Options.dtls13())) {
            WolfSslPeer.Handshake theirs = wolf.awaitHandshake(Interop.WAIT);
            assertEquals("DTLSv1.3", theirs.version());
            wolf.awaitLine(WolfSslPeer.CLIENT_MESSAGE, Interop.WAIT);
            assertEquals(0, wolf.awaitExit(Interop.WAIT), wolf.output());
            assertEquals(0, status.get(20, java.util.concurrent.TimeUnit.SECONDS), bytes.toString(StandardCharsets.UTF_8));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(" DTLSv1.3 TLS_AES_128_GCM_SHA256"), text);
    }

    /**
     * dtls-server forwards stdin to its clients; in the test JVM stdin is Surefire's command
     * channel, which it must not read (as in MessageTraceInteropTest).
     */
    private static int withEmptyStdin(java.util.function.IntSupplier main) {
        synchronized (System.class) {
            java.io.InputStream stdin = System.in;
            System.setIn(new ByteArrayInputStream(new byte[0]));
            try {
                return main.getAsInt();
            } finally {
                System.setIn(stdin);
            }
        }
    }

    private static int listeningPort(ByteArrayOutputStream out) throws InterruptedException {
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+) .*");
        for (int i = 0; i < 200; i++) {
            for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
                java.util.regex.Matcher m = listening.matcher(line);
                if (m.matches()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("dtls-server did not start: " + out.toString(StandardCharsets.UTF_8));
    }
}
