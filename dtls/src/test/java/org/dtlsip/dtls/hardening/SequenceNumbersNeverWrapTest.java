package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 6347 4.1: sequence numbers never wrap. A server repeats the ClientHello's record sequence
 * number and continues from it (4.2.1), so a ClientHello numbered 2^48-2 once made the server's
 * epoch 0 run out mid-flight and throw out of the engine, killing the server thread (issue 12,
 * item 1). Now the front door refuses such a ClientHello, and an engine that runs out anyway ends
 * its own association with an alert, never an exception.
 */
class SequenceNumbersNeverWrapTest {
    private static final byte[] PEER = {127, 0, 0, 1, 0x10, 0x00};

    /** The real client's first ClientHello, renumbered. */
    private static byte[] clientHelloNumbered(long recordSeq) {
        byte[] d = DtlsEngine.client(TestKeys.clientPinning(TestKeys.ec()).build(), 0).pollDatagram();
        Record r = Wire.records(d).get(0);
        return Wire.record(r.contentType(), r.version(), 0, recordSeq, r.fragment());
    }

    @ParameterizedTest(name = "CookieExchange-{0}-RefusesRecordSeq-2^48-2")
    @ValueSource(booleans = {true, false})
    void aClientHelloNumberedNearTheEndIsRefusedAtTheFrontDoor(boolean cookies) {
        DtlsConfig config = TestKeys.server(TestKeys.ec()).cookieExchange(cookies).build();
        for (long seq : new long[] {(1L << 48) - 2, Record.MAX_SEQUENCE_NUMBER, Record.MAX_SEQUENCE_NUMBER
                - CookieExchange.EPOCH_ZERO_HEADROOM + 1}) {
            byte[] hello = clientHelloNumbered(seq);
            CookieExchange.Drop drop = assertInstanceOf(CookieExchange.Drop.class,
                    new CookieExchange(config).check(hello, 0, hello.length, PEER, 0));
            assertEquals(DropReason.SEQUENCE_NUMBER_TOO_HIGH, drop.reason());
        }
        byte[] ok = clientHelloNumbered(Record.MAX_SEQUENCE_NUMBER - CookieExchange.EPOCH_ZERO_HEADROOM);
        assertTrue(!(new CookieExchange(config).check(ok, 0, ok.length, PEER, 0) instanceof CookieExchange.Drop),
                "the headroom is exactly EPOCH_ZERO_HEADROOM numbers");
    }

    @Test
    void aServerThatRunsOutOfEpochZeroEndsItsAssociationWithAnAlertNotAnException() {
        // Past the front door (an engine made directly): the ServerHello takes 2^48-2, the next
        // record has no number left, and the last one carries the fatal alert.
        long first = (1L << 48) - 2;
        DtlsConfig config = TestKeys.server(TestKeys.ec()).cookieExchange(false).build();
        DtlsEngine server = DtlsEngine.server(config, new CookieExchange.Accept(0, first), 0);
        server.receive(clientHelloNumbered(first), 1);
        assertEquals(DtlsEngine.Status.FAILED, server.status());
        assertEquals(AlertDescription.INTERNAL_ERROR, server.failure().alert());
        assertTrue(server.failure().getMessage().contains("sequence numbers of epoch 0 are exhausted"),
                server.failure().getMessage());
        List<byte[]> sent = Drain.datagrams(server);
        assertTrue(Wire.holdsPlainAlert(sent.get(sent.size() - 1), 2, AlertDescription.INTERNAL_ERROR.code), "the peer is told");
        long highest = -1;
        for (byte[] d : sent) {
            for (Record r : Wire.records(d)) {
                assertTrue(r.sequenceNumber() > highest, "strictly increasing, never wrapped");
                highest = r.sequenceNumber();
            }
        }
        assertEquals(Record.MAX_SEQUENCE_NUMBER, highest, "the alert used the number kept for it");
        // Nothing more goes out, whatever arrives or however long we wait.
        server.receive(clientHelloNumbered(first), 2);
        server.handleTimeout(100_000);
        assertEquals(0, Drain.datagrams(server).size());
        assertNotNull(server.failure());
    }
}
