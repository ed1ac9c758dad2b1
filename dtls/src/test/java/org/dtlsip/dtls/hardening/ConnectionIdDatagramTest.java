package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.sim.TestKeys;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * RFC 9146 6: a datagram that begins with a tls12_cid record is routed by the connection ID,
 * whatever its source, and the ID is no secret (it travels in the clear in the hellos). So in
 * such a datagram only records that authenticate under the ID may act: a plaintext epoch-0
 * record behind it is discarded, whoever sent it (issue 12, item 4). Without that, anyone who
 * saw the hellos could end a handshake with a plaintext fatal alert, with no need to spoof the
 * peer's address.
 */
class ConnectionIdDatagramTest {
    private static final int CID_LENGTH = 4;

    /** A tls12_cid record under {@code cid} that authenticates nothing, then a plaintext fatal alert. */
    private static byte[] forgedCidThenPlaintextAlert(byte[] cid) {
        ByteWriter w = new ByteWriter();
        RecordCodec.encode(w, ProtocolVersion.DTLS_1_2, 1, 9, cid, new byte[40]);
        w.bytes(Wire.plain(ContentType.ALERT, new byte[] {2, (byte) AlertDescription.HANDSHAKE_FAILURE.code}));
        return w.toByteArray();
    }

    private static DtlsConfig server() {
        return TestKeys.server(TestKeys.ec()).connectionIdLength(CID_LENGTH).cookieExchange(false).build();
    }

    private static DtlsConfig client() {
        return TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(CID_LENGTH).build();
    }

    @Test
    void serverDiscardsAPlaintextAlertBehindAConnectionIdRecord() {
        DtlsEngine client = DtlsEngine.client(client(), 0);
        DtlsEngine server = DtlsEngine.server(server(), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> flight2 = Drain.deliver(Drain.datagrams(client), server, 1);
        // The server's ID is now in its cleartext ServerHello: an observer injects from anywhere.
        List<byte[]> answer = Drain.deliver(List.of(forgedCidThenPlaintextAlert(server.localConnectionId())), server, 2);
        assertTrue(answer.isEmpty());
        assertEquals(DtlsEngine.Status.HANDSHAKING, server.status(), () -> String.valueOf(server.failure()));
        assertEquals(1L, server.drops().get(DropReason.PLAINTEXT_IN_CONNECTION_ID_DATAGRAM));
        // The genuine flights, whose plaintext records come before their tls12_cid ones, still complete it.
        List<byte[]> flight5 = Drain.deliver(flight2, client, 3);
        List<byte[]> flight6 = Drain.deliver(flight5, server, 4);
        Drain.deliver(flight6, client, 5);
        assertEquals(DtlsEngine.Status.ESTABLISHED, server.status(), () -> String.valueOf(server.failure()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status(), () -> String.valueOf(client.failure()));
        assertTrue(server.session().connectionIdNegotiated());
    }

    @Test
    void clientDiscardsAPlaintextAlertBehindAConnectionIdRecord() {
        // The client's ID is in its cleartext ClientHello; a client-role association of a
        // multi-peer server is routed by it just the same.
        DtlsEngine client = DtlsEngine.client(client(), 0);
        List<byte[]> hello = Drain.datagrams(client);
        Drain.deliver(List.of(forgedCidThenPlaintextAlert(client.localConnectionId())), client, 1);
        assertEquals(DtlsEngine.Status.HANDSHAKING, client.status(), () -> String.valueOf(client.failure()));
        assertEquals(1L, client.drops().get(DropReason.PLAINTEXT_IN_CONNECTION_ID_DATAGRAM));
        DtlsEngine server = DtlsEngine.server(server(), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> flight2 = Drain.deliver(hello, server, 2);
        Drain.deliver(List.of(forgedCidThenPlaintextAlert(client.localConnectionId())), client, 3);
        assertEquals(DtlsEngine.Status.HANDSHAKING, client.status(), "also once the hellos agreed on IDs");
        Drain.deliver(Drain.deliver(Drain.deliver(flight2, client, 4), server, 5), client, 6);
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status(), () -> String.valueOf(client.failure()));
    }

    @Test
    void thePlaintextAlertAloneIsStillRead() {
        // Routed by address (the caller's promise for a datagram without a leading tls12_cid
        // record), epoch 0 is as trustworthy as it ever is in DTLS 1.2: the rule above is about
        // the route, not about alerts.
        DtlsEngine client = DtlsEngine.client(client(), 0);
        DtlsEngine server = DtlsEngine.server(server(), new CookieExchange.Accept(0, 0), 0);
        Drain.deliver(Drain.datagrams(client), server, 1);
        server.receive(Wire.plain(ContentType.ALERT, new byte[] {2, (byte) AlertDescription.HANDSHAKE_FAILURE.code}), 2);
        assertEquals(DtlsEngine.Status.FAILED, server.status());
    }
}
