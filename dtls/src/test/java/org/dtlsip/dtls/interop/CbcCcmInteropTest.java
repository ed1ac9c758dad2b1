package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CCM (RFC 6655, 7251) and CBC (RFC 5246 6.2.3.2, with or without encrypt_then_mac, RFC 7366)
 * suites both ways against openssl, application data each way. The CBC suites run twice: with
 * openssl's default (it offers/accepts encrypt_then_mac) and with {@code -no_etm}, an option
 * both s_server and s_client of OpenSSL 3.0 have ("Disable Encrypt-then-Mac extension"), so
 * MAC-then-encrypt is used.
 */

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CbcCcmInteropTest {

    static final List<String> SUITES = List.of(
            "ECDHE-ECDSA-AES128-CCM8",
            "PSK-AES128-CCM8",
            "PSK-AES128-CCM",
            "ECDHE-ECDSA-AES128-SHA256",
            "ECDHE-RSA-AES128-SHA",
            "ECDHE-PSK-AES128-CBC-SHA256");

    /** Every suite with openssl's defaults, and the CBC ones once more with {@code -no_etm}. */
    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String suite : SUITES) {
            cases.add(Arguments.of(suite, false));
            if (CipherSuite.byName(suite).bulkCipher.type == CipherSuite.CipherType.CBC) {
                cases.add(Arguments.of(suite, true));
            }
        }
        return cases.stream();
    }

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    @ParameterizedTest(name = "{0} no_etm={1}")
    @MethodSource("cases")
    void ourClientTalksToOpenSslServer(String suiteName, boolean noEtm) throws Exception {
        CipherSuite suite = CipherSuite.byName(suiteName);
        boolean psk = suite.keyExchange.usesPsk();
        List<String> args;
        DtlsConfig config;
        if (psk) {
            args = PskInteropTest.openSslPskServerArgs(suiteName);
            config = PskInteropTest.pskClient(suiteName).build();
        } else {
            TestPki.Material key = Interop.keyFor(suite);
            args = OpenSslPeer.serverArgs(key, "-cipher", suiteName);
            config = Interop.clientPinning(key).cipherSuites(suiteName).build();
        }
        if (noEtm) {
            args.add("-no_etm");
        }
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, args)) {
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port), config)) {
                assertEquals(suite, client.session().cipherSuite());
                server.awaitLine(("CIPHER is " + suiteName)::equals, WAIT);
                client.send(bytes("hello from dtlsip\n"));
                server.awaitLine("hello from dtlsip"::equals, WAIT);
                server.sendLine("hello from openssl");
                assertEquals("hello from openssl\n", text(client.receive(WAIT.toMillis())));
            }
            server.awaitLine("DONE"::equals, WAIT);
            assertEquals(0, server.awaitExit(WAIT), server.output());
        }
    }

    @ParameterizedTest(name = "{0} no_etm={1}")
    @MethodSource("cases")
    void openSslClientTalksToOurServer(String suiteName, boolean noEtm) throws Exception {
        CipherSuite suite = CipherSuite.byName(suiteName);
        boolean psk = suite.keyExchange.usesPsk();
        List<String> args;
        DtlsConfig config;
        if (psk) {
            args = PskInteropTest.openSslPskClientArgs(suiteName, "dtlsip-client");
            config = PskInteropTest.pskServer(suiteName).build();
        } else {
            TestPki.Material key = Interop.keyFor(suite);
            args = new ArrayList<>(List.of("-cipher", suiteName, "-CAfile", key.certPem().toString(),
                    "-verify_return_error", "-nocommands"));
            config = Interop.server(key).cipherSuites(suiteName).build();
        }
        if (noEtm) {
            args.add("-no_etm");
        }
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(), args)) {
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            assertEquals(suite, association.session().cipherSuite());
            // s_client names the suite's minimum version, not the negotiated one: the SHA-1 and
            // ECDHE-PSK CBC suites print "TLSv1.0" although DTLS 1.2 was negotiated.
            client.awaitLine(line -> line.matches("New, TLSv1\\.[02], Cipher is " + suiteName), WAIT);
            client.sendLine("hello from openssl");
            assertEquals("hello from openssl\n", text(events.awaitData(WAIT).bytes()));
            association.send(bytes("hello from dtlsip\n"));
            client.awaitLine("hello from dtlsip"::equals, WAIT);
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure(), "close_notify, not a failure");
            assertEquals(0, client.awaitExit(WAIT), client.output());
        }
    }
}
