package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.SimulatedNetwork;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The part of the handshake where keys change, driven by a {@link ScriptedPskClient} that holds
 * real keys: Finished checks, ChangeCipherSpec injection, application data and records of the
 * wrong epoch (threats T2, T3, T4, T6, T8, T26 in docs/SECURITY.md).
 */
class EpochAndFinishedTest {

    private static long drops(DtlsEngine e, DropReason reason) {
        return e.drops().getOrDefault(reason, 0L);
    }

    private static ScriptedPskClient waitingForFinished() {
        ScriptedPskClient c = new ScriptedPskClient();
        c.hello();
        c.send(c.clientKeyExchange(), ScriptedPskClient.changeCipherSpec());
        assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
        return c;
    }

    @Test
    void scriptedClientCompletesWithTheRightVerifyData() {
        ScriptedPskClient c = waitingForFinished();
        c.send(c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status(), () -> String.valueOf(c.server.failure()));
        c.send(c.encrypted(ContentType.APPLICATION_DATA, "hello".getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), c.server.pollApplicationData());
    }

    @Test
    void finishedWithAWrongVerifyDataFailsWithDecryptError() {
        ScriptedPskClient c = waitingForFinished();
        byte[] wrong = c.correctVerifyData();
        wrong[11] ^= 1;
        c.send(c.finished(wrong));
        assertEquals(DtlsEngine.Status.FAILED, c.server.status());
        assertEquals(AlertDescription.DECRYPT_ERROR, c.server.failure().alert());
        assertNull(c.server.session());
    }

    @Test
    void emptyFinishedFailsWithDecodeError() {
        // RFC 5246 7.4.9: opaque verify_data[12], so no body at all is a malformed message
        // (7.2.2 decode_error), caught before anything is compared.
        ScriptedPskClient c = waitingForFinished();
        c.send(c.finished(new byte[0]));
        assertEquals(DtlsEngine.Status.FAILED, c.server.status());
        assertEquals(AlertDescription.DECODE_ERROR, c.server.failure().alert(), c.server.failure().getMessage());
        assertNull(c.server.session());
    }

    @ParameterizedTest(name = "Finished-VerifyDataOf-{0}-Bytes-IsADecryptError")
    @ValueSource(ints = {1, 11, 13, 36})
    void finishedOfAnotherLengthFailsWithDecryptError(int length) {
        // A non-empty verify_data is compared, length included, in constant time against the
        // expected one (Finished's javadoc): a wrong length is a mismatch like any other.
        ScriptedPskClient c = waitingForFinished();
        c.send(c.finished(new byte[length]));
        assertEquals(DtlsEngine.Status.FAILED, c.server.status());
        assertEquals(AlertDescription.DECRYPT_ERROR, c.server.failure().alert(), c.server.failure().getMessage());
        assertNull(c.server.session());
    }

    @ParameterizedTest(name = "Server-WaitFinished-Encrypted-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = "FINISHED")
    void serverWaitingForFinishedRefusesEveryOtherEncryptedMessage(HandshakeType type) {
        ScriptedPskClient c = waitingForFinished();
        c.send(c.encryptedMessage(type.code, 2, new byte[] {0, 1, 2}));
        assertEquals(DtlsEngine.Status.FAILED, c.server.status());
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, c.server.failure().alert());
    }

    @Test
    void encryptedApplicationDataBeforeFinishedIsDropped() {
        // T2 (pion #128, wolfSSL #3219): epoch-1 data before the handshake is verified.
        ScriptedPskClient c = waitingForFinished();
        c.send(c.encrypted(ContentType.APPLICATION_DATA, new byte[] {42}));
        assertEquals(1, drops(c.server, DropReason.APPLICATION_DATA_BEFORE_HANDSHAKE));
        assertNull(c.server.pollApplicationData());
        c.send(c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
        assertNull(c.server.pollApplicationData(), "not delivered late either");
    }

    @Test
    void applicationDataInEpochZeroIsDroppedDuringAndAfterTheHandshake() {
        ScriptedPskClient c = new ScriptedPskClient();
        c.send(Wire.plain(ContentType.APPLICATION_DATA, new byte[] {1}));
        c.hello();
        c.send(Wire.plain(ContentType.APPLICATION_DATA, new byte[] {2}));
        c.send(c.clientKeyExchange(), ScriptedPskClient.changeCipherSpec(), c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
        c.send(Wire.plain(ContentType.APPLICATION_DATA, new byte[] {3}));
        assertEquals(3, drops(c.server, DropReason.APPLICATION_DATA_BEFORE_HANDSHAKE));
        assertNull(c.server.pollApplicationData());
    }

    @Test
    void changeCipherSpecBeforeTheKeyExchangeIsDiscardedAndTheHandshakeStillCompletes() {
        // CCS injection (CVE-2014-0224 style; T3 tinydtls #12): no keys switch early.
        ScriptedPskClient c = new ScriptedPskClient();
        c.send(ScriptedPskClient.changeCipherSpec());
        c.hello();
        c.send(ScriptedPskClient.changeCipherSpec());
        assertEquals(2, drops(c.server, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC));
        assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
        c.send(c.clientKeyExchange(), ScriptedPskClient.changeCipherSpec(), c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
    }

    @Test
    void finishedAndChangeCipherSpecWithoutAKeyExchangeNeverComplete() {
        // Finished before the key exchange: the CCS is discarded, the encrypted Finished waits
        // in the bounded next-epoch buffer and the handshake times out.
        ScriptedPskClient c = new ScriptedPskClient();
        c.hello();
        c.clientKeyExchange(); // derive keys, but never send the message
        c.send(ScriptedPskClient.changeCipherSpec(), c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
        assertEquals(1, drops(c.server, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC));
        c.server.handleTimeout(1_000_000);
        assertEquals(DtlsEngine.Status.FAILED, c.server.status());
        assertNull(c.server.session());
    }

    @Test
    void finishedBeforeItsChangeCipherSpecIsHeldThenAccepted() {
        // T4 (Scandium #186): reordering across the epoch change recovers without retransmission.
        ScriptedPskClient c = new ScriptedPskClient();
        c.hello();
        byte[] cke = c.clientKeyExchange();
        c.send(c.finished(c.correctVerifyData()), cke, ScriptedPskClient.changeCipherSpec());
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
    }

    @Test
    void plaintextHandshakeInEpochOneIsDroppedWithoutAnAlert() {
        // T6 (tinydtls #13, #79): an unencrypted record labelled epoch 1 fails authentication.
        ScriptedPskClient c = waitingForFinished();
        byte[] fakeFinished = Wire.fragment(HandshakeType.FINISHED.code, 12, 2, 0, new byte[12]);
        c.send(Wire.record(ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_2, 1, 77, fakeFinished));
        assertEquals(1, drops(c.server, DropReason.BAD_RECORD_MAC));
        assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
        assertTrue(c.server.pollDatagram() == null, "no alert for an unauthenticated record");
        c.send(c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
    }

    @Test
    void forgedNextEpochRecordWithAHugeSequenceNumberDoesNotMoveTheWindow() {
        // T8 (CVE-2016-2181): a bad-MAC record with seq 2^48-1 must not make later records stale.
        ScriptedPskClient c = waitingForFinished();
        c.send(Wire.record(ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_2, 1, (1L << 48) - 1, new byte[40]));
        assertEquals(1, drops(c.server, DropReason.BAD_RECORD_MAC));
        c.send(c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
    }

    @ParameterizedTest(name = "FutureEpoch-{0}-IsDropped")
    @ValueSource(ints = {2, 3, 100, 0xffff})
    void recordsOfAFutureEpochAreDroppedOnAnEstablishedAssociation(int epoch) {
        ScriptedPskClient c = waitingForFinished();
        c.send(c.finished(c.correctVerifyData()));
        for (ContentType type : ContentType.values()) {
            c.send(Wire.record(type.code, ProtocolVersion.DTLS_1_2, epoch, 5, new byte[32]));
        }
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
        assertEquals(0, c.server.bufferedBytes());
        assertTrue(drops(c.server, DropReason.UNEXPECTED_EPOCH) + drops(c.server, DropReason.NEXT_EPOCH_BUFFER_FULL)
                >= ContentType.values().length - 2);
        c.send(c.encrypted(ContentType.APPLICATION_DATA, new byte[] {7}));
        assertArrayEquals(new byte[] {7}, c.server.pollApplicationData());
    }

    @Test
    void aFloodOfNextEpochRecordsDuringTheHandshakeStaysWithinTheBuffer() {
        ScriptedPskClient c = new ScriptedPskClient();
        c.hello();
        for (int i = 0; i < 1_000; i++) {
            c.send(Wire.record(ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_2, 1, i, new byte[1_000]));
            assertTrue(c.server.bufferedBytes() <= DtlsEngine.MAX_BUFFERED_NEXT_EPOCH_BYTES);
        }
        assertTrue(drops(c.server, DropReason.NEXT_EPOCH_BUFFER_FULL) >= 990);
        // The genuine flight still gets through: the bogus records fail their MAC when replayed.
        c.send(c.clientKeyExchange(), ScriptedPskClient.changeCipherSpec(), c.finished(c.correctVerifyData()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status(), () -> String.valueOf(c.server.failure()));
    }

    /** ChangeCipherSpec bodies: the one valid body, and malformed ones (RFC 5246 7.1: exactly {1}). */
    static Stream<byte[]> changeCipherSpecBodies() {
        return Stream.of(new byte[] {1}, new byte[0], new byte[] {2}, new byte[] {1, 1}, new byte[300]);
    }

    @ParameterizedTest(name = "Server-Established-SpoofedChangeCipherSpec-{index}-Discarded")
    @MethodSource("changeCipherSpecBodies")
    void spoofedChangeCipherSpecOnAnEstablishedServerIsDiscardedWhateverItsBody(byte[] body) {
        // T26 (pion #138), issue 12 item 2: RFC 6347 4.1.2.7 discards an unexpected record
        // before its body is looked at, so a malformed one is not a decode_error either.
        ScriptedPskClient c = waitingForFinished();
        c.send(c.finished(c.correctVerifyData()));
        long before = drops(c.server, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC);
        List<byte[]> answers = c.send(Wire.plain(ContentType.CHANGE_CIPHER_SPEC, body));
        answers.addAll(c.send(c.encrypted(ContentType.CHANGE_CIPHER_SPEC, body)));
        assertTrue(answers.isEmpty(), "no alert");
        assertEquals(before + 2, drops(c.server, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC));
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status(), () -> String.valueOf(c.server.failure()));
        c.send(c.encrypted(ContentType.APPLICATION_DATA, new byte[] {9}));
        assertArrayEquals(new byte[] {9}, c.server.pollApplicationData());
        EngineEvent e;
        while ((e = c.server.pollEvent()) != null) {
            assertTrue(e.kind() != EngineEvent.Kind.FAILED);
        }
    }

    @ParameterizedTest(name = "Client-Established-SpoofedChangeCipherSpec-{index}-Discarded")
    @MethodSource("changeCipherSpecBodies")
    void spoofedChangeCipherSpecOnAnEstablishedClientIsDiscardedWhateverItsBody(byte[] body) throws Exception {
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).build(),
                TestKeys.server(TestKeys.ec()).build(), SimulatedNetwork.Conditions.perfect(), 12);
        assertTrue(net.runHandshake(10_000));
        DtlsEngine client = net.client();
        long before = drops(client, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC);
        int sentBefore = net.sent().size();
        net.inject(Wire.plain(ContentType.CHANGE_CIPHER_SPEC, body), false);
        assertEquals(before + 1, drops(client, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC));
        assertEquals(sentBefore, net.sent().size(), "no alert");
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status(), () -> String.valueOf(client.failure()));
        net.serverSend("still here".getBytes(StandardCharsets.US_ASCII));
        net.runUntil(net.now() + 100);
        assertArrayEquals("still here".getBytes(StandardCharsets.US_ASCII), net.clientReceived().get(0));
    }

    @ParameterizedTest(name = "Server-WaitChangeCipherSpec-MalformedChangeCipherSpec-{index}-IsADecodeError")
    @MethodSource("changeCipherSpecBodies")
    void malformedChangeCipherSpecWhenOneIsDueIsADecodeError(byte[] body) {
        // Where the state expects a ChangeCipherSpec, a wrong body is that message gone wrong
        // (RFC 5246 7.1, 7.2.2), as OpenSSL treats it.
        ScriptedPskClient c = new ScriptedPskClient();
        c.hello();
        c.send(c.clientKeyExchange(), Wire.plain(ContentType.CHANGE_CIPHER_SPEC, body));
        if (body.length == 1 && body[0] == 1) {
            assertEquals(DtlsEngine.Status.HANDSHAKING, c.server.status());
            c.send(c.finished(c.correctVerifyData()));
            assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
        } else {
            assertEquals(DtlsEngine.Status.FAILED, c.server.status());
            assertEquals(AlertDescription.DECODE_ERROR, c.server.failure().alert());
        }
    }

    @Test
    void renegotiationIsRefusedWithAWarningAndTheAssociationKept() {
        // T15: a ClientHello under the new keys asks to renegotiate; we never do (RFC 5746 4.4):
        // a no_renegotiation warning, and the association goes on.
        ScriptedPskClient c = waitingForFinished();
        c.send(c.finished(c.correctVerifyData()));
        Drain.events(c.server);
        List<byte[]> answer = c.send(c.encryptedMessage(HandshakeType.CLIENT_HELLO.code, 3, c.clientHelloBody()));
        assertEquals(1, answer.size(), "one warning alert");
        List<org.dtlsip.dtls.record.Record> records = Wire.records(answer.get(0));
        assertEquals(1, records.size());
        assertEquals(ContentType.ALERT.code, records.get(0).contentType());
        assertEquals(1, records.get(0).epoch(), "under the new keys");
        assertEquals(DtlsEngine.Status.ESTABLISHED, c.server.status());
        c.send(c.encrypted(ContentType.APPLICATION_DATA, new byte[] {5}));
        assertArrayEquals(new byte[] {5}, c.server.pollApplicationData());
    }
}
