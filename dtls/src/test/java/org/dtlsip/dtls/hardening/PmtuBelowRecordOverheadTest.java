package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 6347 4.1.1/4.2.3: a handshake message is fragmented to fit the PMTU, down to one byte of
 * body per fragment and no further. A PMTU at or below the record overhead plus the fragment
 * header (the overhead includes the peer's connection ID, up to 255 bytes, RFC 9146 4) used to
 * make the engine emit empty fragments forever (issue 12, item 7). Now: what configuration can
 * know is guaranteed by the PMTU range, and the peer's ID is checked in the hellos and before
 * every flight, failing that one association with a message naming the PMTU and the overhead.
 */
class PmtuBelowRecordOverheadTest {
    private static final int MAX_CID = DtlsConfig.MAX_CONNECTION_ID_LENGTH;

    @ParameterizedTest(name = "MinPmtuFits-{0}")
    @EnumSource(CipherSuite.class)
    void theSmallestConfigurablePmtuLeavesRoomForAFragmentInEverySuite(CipherSuite suite) {
        // Config validation is the PMTU range: without a connection ID nothing else eats the room.
        int overhead = Record.HEADER_LENGTH + suite.bulkCipher.overhead();
        assertTrue(DtlsConfig.MIN_PMTU - overhead - HandshakeFragment.HEADER_LENGTH >= 64,
                suite + " leaves " + (DtlsConfig.MIN_PMTU - overhead - HandshakeFragment.HEADER_LENGTH));
    }

    private static DtlsConfig client(int pmtu, int cidLength) {
        return TestKeys.clientPinning(TestKeys.ec()).pmtu(pmtu).connectionIdLength(cidLength).build();
    }

    private static DtlsConfig server(int pmtu, int cidLength) {
        return TestKeys.server(TestKeys.ec()).pmtu(pmtu).connectionIdLength(cidLength).cookieExchange(false).build();
    }

    @Test
    void aClientWhoseServerChoseAnIdTooLongForItsPmtuFailsNamingBoth() {
        DtlsEngine client = DtlsEngine.client(client(DtlsConfig.MIN_PMTU, 1), 0);
        DtlsEngine server = DtlsEngine.server(server(1400, MAX_CID), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> alert = Drain.deliver(Drain.deliver(Drain.datagrams(client), server, 1), client, 2);
        assertEquals(DtlsEngine.Status.FAILED, client.status());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, client.failure().alert());
        String why = client.failure().getMessage();
        assertTrue(why.contains("PMTU " + DtlsConfig.MIN_PMTU) && why.contains("connection ID of " + MAX_CID + " bytes")
                && why.contains("overhead"), why);
        assertEquals(1, alert.size(), "one alert, nothing else");
    }

    @Test
    void aServerDeclinesAClientIdTooLongForItsPmtu() {
        // RFC 9146 3: the server may decline; the handshake goes on without connection IDs.
        DtlsEngine client = DtlsEngine.client(client(1400, MAX_CID), 0);
        DtlsEngine server = DtlsEngine.server(server(DtlsConfig.MIN_PMTU, 4), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> flight2 = Drain.deliver(Drain.datagrams(client), server, 1);
        Drain.deliver(Drain.deliver(Drain.deliver(flight2, client, 2), server, 3), client, 4);
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status(), () -> String.valueOf(client.failure()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, server.status(), () -> String.valueOf(server.failure()));
        assertFalse(server.session().connectionIdNegotiated());
    }

    @Test
    void aPmtuLoweredBelowTheOverheadFailsTheAssociationInsteadOfLooping() {
        // The ID fitted when it was agreed; then the application lowers the PMTU and our flight
        // with a record under the peer's 255-byte ID must be resent.
        DtlsEngine client = DtlsEngine.client(client(1400, 1), 0);
        DtlsEngine server = DtlsEngine.server(server(1400, MAX_CID), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> flight5 = Drain.deliver(Drain.deliver(Drain.datagrams(client), server, 1), client, 2);
        assertFalse(flight5.isEmpty());
        client.setPmtu(DtlsConfig.MIN_PMTU); // flight 5 was lost; its Finished carries the server's ID
        client.handleTimeout(10_000);
        assertEquals(DtlsEngine.Status.FAILED, client.status());
        assertEquals(AlertDescription.INTERNAL_ERROR, client.failure().alert());
        int overhead = Record.HEADER_LENGTH + CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.bulkCipher.overhead() + MAX_CID + 1;
        String why = client.failure().getMessage();
        assertTrue(why.contains("PMTU " + DtlsConfig.MIN_PMTU) && why.contains(overhead + " bytes of overhead")
                && why.contains("at least " + (overhead + HandshakeFragment.HEADER_LENGTH + 1)), why);
        assertTrue(Drain.datagrams(client).size() <= 2, "a bounded output: at most a partial flight and the alert");
        client.handleTimeout(100_000);
        assertTrue(Drain.datagrams(client).isEmpty());
    }
}
