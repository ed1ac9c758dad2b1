package org.dtlsip.dtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16's list of CLI errors, each through the command's entry point (what {@code main} runs,
 * less {@code System.exit}): one line that names the problem, and the exit status (2 for a bad
 * option, 1 for a command that could not run).
 */
@Timeout(60)
class CliErrorsTest {
    private record Result(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private interface Main {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    private static final class Capture {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static Result run(Main main, String... args) {
        Capture out = new Capture();
        Capture err = new Capture();
        int status = main.run(args, out.stream, err.stream);
        return new Result(status, out.text(), err.text());
    }

    @Test
    void missingCertificateKeyCaFileAndSessionFilesSayNoSuchFile() {
        Result cert = run(DtlsServerMain::run, "-cert", "/nonexistent.pem", "-key", "/nonexistent.key");
        assertEquals(1, cert.status());
        assertEquals(List.of("dtls-server: cannot read certificate file /nonexistent.pem: no such file"), cert.errLines());

        Result ca = run(DtlsServerMain::run, "-CAfile", "/nonexistent-ca.pem", "-verify", "-port", "0");
        assertEquals(1, ca.status());
        assertEquals(List.of("dtls-server: cannot read CA certificate file /nonexistent-ca.pem: no such file"), ca.errLines());

        Result session = run(DtlsClientMain::run, "-connect", "127.0.0.1:4433", "-insecure", "-sess_in", "/nonexistent.sess");
        assertEquals(1, session.status());
        assertEquals(List.of("dtls-client: cannot read session file /nonexistent.sess: no such file"), session.errLines());

        Result directory = run(DtlsClientMain::run, "-connect", "127.0.0.1:4433", "-CAfile", "/");
        assertEquals(1, directory.status());
        assertEquals(1, directory.errLines().size(), directory.err());
        assertEquals("dtls-client: cannot read CA certificate file /: it is a directory", directory.errLines().get(0));
    }

    @Test
    void anUnknownHostIsOneLineNotUnresolvedAddressException() {
        Result r = run(DtlsClientMain::run, "-connect", "nosuchhost.invalid:4433", "-insecure");
        assertEquals(1, r.status());
        assertEquals(List.of("dtls-client: cannot resolve nosuchhost.invalid (-connect nosuchhost.invalid:4433): no such host"),
                r.errLines());
    }

    @Test
    void badPortsAreUsageErrorsBeforeAnyCertificateIsGenerated() {
        for (String port : List.of("abc", "70000", "-1")) {
            Result r = run(DtlsServerMain::run, "-port", port);
            assertEquals(2, r.status(), port);
            assertEquals(List.of("dtls-server: -port takes a port number from 0 to 65535, got '" + port + "'",
                    "dtls-server: use -help for the options"), r.errLines());
            assertEquals("", r.out(), "nothing generated or printed before the port is checked");
        }
        Result c = run(DtlsClientMain::run, "-connect", "127.0.0.1:0", "-insecure");
        assertEquals(2, c.status());
        assertEquals("dtls-client: -connect takes a port number from 1 to 65535, got '0'", c.errLines().get(0));
    }

    @Test
    void anMtuOutOfRangeReportsTheValueGiven() {
        Result r = run(DtlsServerMain::run, "-mtu", "10");
        assertEquals(2, r.status());
        assertEquals("dtls-server: -mtu 10 is out of range: the link MTU must be from " + (DtlsConfig.MIN_PMTU + 28) + " to "
                + (DtlsConfig.MAX_PMTU + 28) + " (a datagram of " + DtlsConfig.MIN_PMTU + " to " + DtlsConfig.MAX_PMTU
                + " bytes after the 28 bytes of IPv4 and UDP headers)", r.errLines().get(0));
        assertEquals("", r.out());
    }

    @Test
    void aBindAddressThatIsNotOursOrDoesNotResolveSaysSo() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
        Result foreign = run(DtlsServerMain::run, "-bind", "192.0.2.1", "-port", "0");
        assertEquals(1, foreign.status());
        assertEquals(List.of("dtls-server: cannot listen on 192.0.2.1:0: Cannot assign requested address "
                + "(the address is not one of this machine's)"), foreign.errLines());
        Result unknown = run(DtlsServerMain::run, "-bind", "nosuchhost.invalid", "-port", "0");
        assertEquals(1, unknown.status());
        assertEquals(List.of("dtls-server: -bind nosuchhost.invalid: no such host or address"), unknown.errLines());
        assertEquals("", unknown.out(), "checked before generating a certificate");
    }

    @Test
    void helpStatesTheHandshakeTimeoutTheServerApplies() throws Exception {
        Result help = run(DtlsServerMain::run, "-help");
        assertTrue(help.out().contains("-handshake-timeout-ms N  give up a handshake after this long (default "
                + DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS + "); the server\n"), help.out());

        // A client that stops after its cookie-bearing ClientHello: the server ends the handshake at
        // -handshake-timeout-ms with the engine's reason, not at ServerLimits' 30 s.
        Capture out = new Capture();
        Capture err = new Capture();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> withEmptyStdin(() -> DtlsServerMain.run(
                new String[] {"-port", "0", "-naccept", "1", "-handshake-timeout-ms", "1500", "-timeout-ms", "500"},
                out.stream, err.stream)));
        int port = listeningPort(out, server);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            DtlsEngine client = DtlsEngine.client(DtlsConfig.forClient().peerVerifier(PeerVerifier.insecureAcceptAny()).build(), 0);
            byte[] hello = client.pollDatagram();
            socket.send(new DatagramPacket(hello, hello.length));
            byte[] buffer = new byte[2048];
            DatagramPacket hvr = new DatagramPacket(buffer, buffer.length);
            socket.receive(hvr);
            client.receive(Arrays.copyOf(buffer, hvr.getLength()), 1);
            byte[] withCookie = client.pollDatagram();
            socket.send(new DatagramPacket(withCookie, withCookie.length));
            assertEquals(0, server.get(30, TimeUnit.SECONDS));
            String line = "127.0.0.1:" + socket.getLocalPort() + ": handshake failed: no answer from the peer within 1500 ms";
            assertTrue(err.text().startsWith(line), err.text());
        }
    }

    @Test
    void aWrongPskIsNamedAsTheLikelyCauseOnBothSides() throws Exception {
        Capture out = new Capture();
        Capture serverErr = new Capture();
        CompletableFuture<Integer> server = CompletableFuture.supplyAsync(() -> withEmptyStdin(() -> DtlsServerMain.run(
                new String[] {"-port", "0", "-naccept", "1", "-psk", "0102030405060708", "-handshake-timeout-ms", "2000",
                    "-timeout-ms", "300"}, out.stream, serverErr.stream)));
        int port = listeningPort(out, server);
        Result client = run(DtlsClientMain::run, "-connect", "127.0.0.1:" + port, "-psk", "0a0b0c0d0e0f1011",
                "-handshake-timeout-ms", "2000", "-timeout-ms", "300");
        assertEquals(1, client.status());
        String cause = "the two sides most likely hold different pre-shared keys; check the PSK and the identity it is stored under";
        assertTrue(client.errLines().get(0).startsWith("handshake failed: the peer answered the hellos but not our Finished within 2000 ms"),
                client.err());
        assertTrue(client.errLines().get(0).endsWith(cause), client.err());
        assertEquals(0, server.get(30, TimeUnit.SECONDS));
        assertTrue(serverErr.text().contains(": handshake failed: the peer answered the hellos but not our Finished"), serverErr.text());
        assertTrue(serverErr.text().contains(cause), serverErr.text());
    }

    /**
     * Runs an in-process dtls-server with an empty stdin. It forwards stdin to its peers on a
     * thread that outlives it; reading the test JVM's real stdin, that thread took Surefire's
     * commands, and the forked JVM then waited 30 s for an exit acknowledgement it never got.
     */
    private static int withEmptyStdin(java.util.function.IntSupplier main) {
        synchronized (System.class) {
            java.io.InputStream stdin = System.in;
            System.setIn(new java.io.ByteArrayInputStream(new byte[0]));
            try {
                return main.getAsInt();
            } finally {
                System.setIn(stdin);
            }
        }
    }

    private static int listeningPort(Capture out, CompletableFuture<Integer> server) throws InterruptedException {
        Pattern listening = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+) ");
        for (int i = 0; i < 20_000 && !server.isDone(); i++) {
            Matcher m = listening.matcher(out.text());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(1);
        }
        throw new AssertionError("server did not start: " + out.text());
    }
}
