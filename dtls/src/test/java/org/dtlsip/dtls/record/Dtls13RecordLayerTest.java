package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.crypto.AeadLimits;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficKeys;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DTLS 1.3 records (RFC 9147 4) between two record layers sharing traffic keys. */
class Dtls13RecordLayerTest {
    private static final byte[] CLIENT_CID = {1, 2, 3, 4};
    private static final byte[] SERVER_CID = {9, 8};

    /** Client writes, server reads, one epoch of {@code suite}. */
    static final class Pair {
        final Dtls13RecordLayer writer = new Dtls13RecordLayer();
        final Dtls13RecordLayer reader = new Dtls13RecordLayer();
        final Tls13CipherSuite suite;

        Pair(Tls13CipherSuite suite, long... epochs) {
            this.suite = suite;
            for (long epoch : epochs) {
                TrafficKeys keys = keys(suite, epoch);
                writer.installWriteEpoch(epoch, Dtls13RecordProtection.forWriting(keys));
                reader.installReadEpoch(epoch, Dtls13RecordProtection.forReading(keys));
            }
        }

        /** The writer's ID for the reader is SERVER_CID; the reader receives on it. */
        Pair withConnectionIds() {
            writer.useConnectionIds(CLIENT_CID, SERVER_CID);
            reader.useConnectionIds(SERVER_CID, CLIENT_CID);
            return this;
        }

        Dtls13RecordLayer.Result deliver(byte[] datagram) {
            List<Dtls13Record> records = Dtls13RecordCodec.parse(datagram, 0, datagram.length,
                    reader.localConnectionIdLength()).records();
            assertEquals(1, records.size());
            return reader.open(records.get(0));
        }
    }

    static TrafficKeys keys(Tls13CipherSuite suite, long epoch) {
        byte[] secret = new byte[suite.hash.length];
        Arrays.fill(secret, (byte) (epoch * 7 + suite.ordinal()));
        return TrafficKeys.derive(Tls13Hkdf.dtls13(suite.hash), suite, secret);
    }

    static Dtls13RecordLayer.Opened opened(Dtls13RecordLayer.Result result) {
        return assertInstanceOf(Dtls13RecordLayer.Opened.class, result);
    }

    static DropReason dropped(Dtls13RecordLayer.Result result) {
        return assertInstanceOf(Dtls13RecordLayer.Dropped.class, result).reason();
    }

    /**
     * Records are decrypted into one reused buffer: a short record after a long one yields only
     * its own content, and a forged maximum-size record does not leave 16 KB behind.
     */
    @ParameterizedTest
    @EnumSource(Tls13CipherSuite.class)
    void theReusedDecryptionBufferLeaksNothingAndStaysBounded(Tls13CipherSuite suite) {
        Pair p = new Pair(suite, 3);
        byte[] longContent = new byte[1_500];
        Arrays.fill(longContent, (byte) 0x77);
        assertArrayEquals(longContent, opened(p.deliver(p.writer.seal(3, ContentType.APPLICATION_DATA.code, longContent)))
                .content());
        byte[] shortContent = {1, 2, 0, 0};
        assertArrayEquals(shortContent, opened(p.deliver(p.writer.seal(3, ContentType.APPLICATION_DATA.code, shortContent)))
                .content(), "only the second record's bytes, trailing zeros of the content kept");
        int reused = p.reader.reusedOpenBufferLength();
        assertTrue(reused >= longContent.length && reused <= Dtls13RecordLayer.REUSED_OPEN_BUFFER_LENGTH);

        byte[] forged = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[Record.MAX_PLAINTEXT_LENGTH]);
        forged[forged.length - 1] ^= 1;
        assertEquals(DropReason.BAD_RECORD_MAC, dropped(p.deliver(forged)));
        byte[] big = new byte[Record.MAX_PLAINTEXT_LENGTH];
        Arrays.fill(big, (byte) 0x33);
        assertArrayEquals(big, opened(p.deliver(p.writer.seal(3, ContentType.APPLICATION_DATA.code, big))).content());
        assertEquals(reused, p.reader.reusedOpenBufferLength(), "records over the bound are decrypted elsewhere");
    }

    @ParameterizedTest
    @EnumSource(Tls13CipherSuite.class)
    void recordsRoundTripInEverySuite(Tls13CipherSuite suite) {
        Pair p = new Pair(suite, 2, 3);
        for (int len : new int[] {0, 1, 15, 100, 1 << 14}) {
            byte[] content = new byte[len];
            Arrays.fill(content, (byte) 0x5a);
            Dtls13RecordLayer.Opened o = opened(p.deliver(p.writer.seal(3, ContentType.APPLICATION_DATA.code, content)));
            assertEquals(ContentType.APPLICATION_DATA.code, o.contentType());
            assertArrayEquals(content, o.content());
        }
        Dtls13RecordLayer.Opened hs = opened(p.deliver(p.writer.seal(2, ContentType.HANDSHAKE.code, new byte[] {20})));
        assertEquals(new RecordNumber(2, 0), hs.number());
        assertEquals(ContentType.HANDSHAKE.code, hs.contentType());
    }

    /** The form wolfSSL sends too: 001 0 1 1 EE, 16-bit sequence number, length. */
    @Test
    void headerHasFixedBitsSixteenBitSequenceLengthAndEpochBits() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 2, 3);
        byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[10]);
        assertEquals(0x2f, r[0] & 0xff);
        assertEquals(r.length - 5, (r[3] & 0xff) << 8 | (r[4] & 0xff));
        assertEquals(5 + 10 + 1 + 16, r.length);
        assertEquals(0x2e, p.writer.seal(2, ContentType.HANDSHAKE.code, new byte[10])[0] & 0xff);
        assertEquals(5 + 1 + 16, p.writer.overhead(3));
    }

    /** RFC 9147 4.2.3: the sequence number on the wire is masked; unmasked it is the real one. */
    @Test
    void sequenceNumbersAreEncrypted() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        int clear = 0;
        for (int seq = 0; seq < 64; seq++) {
            byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {(byte) seq});
            if (r[1] == 0 && r[2] == seq) {
                clear++;
            }
            assertEquals(new RecordNumber(3, seq), opened(p.deliver(r)).number());
        }
        assertTrue(clear < 3, clear + " of 64 sequence numbers went out in the clear");
    }

    @ParameterizedTest
    @EnumSource(Tls13CipherSuite.class)
    void connectionIdsTravelInTheHeaderAndAreChecked(Tls13CipherSuite suite) {
        Pair p = new Pair(suite, 3).withConnectionIds();
        byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {1, 2});
        assertEquals(0x3f, r[0] & 0xff);
        assertArrayEquals(SERVER_CID, Arrays.copyOfRange(r, 1, 3));
        assertArrayEquals(SERVER_CID, Dtls13RecordCodec.firstConnectionId(r, 0, r.length, 2));
        assertArrayEquals(new byte[] {1, 2}, opened(p.deliver(r)).content());

        byte[] other = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {3});
        other[2] ^= 1;
        assertEquals(DropReason.UNKNOWN_CONNECTION_ID, dropped(p.deliver(other)));
    }

    @Test
    void aRecordWithoutTheConnectionIdWeAskedForIsDropped() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {1});
        p.reader.useConnectionIds(SERVER_CID, new byte[0]);
        assertEquals(DropReason.MISSING_CONNECTION_ID, dropped(p.reader.open(
                Dtls13RecordCodec.parse(r, 0, r.length, 2).records().get(0))));
    }

    @Test
    void aRecordWithAConnectionIdWeNeverAskedForIsDropped() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3).withConnectionIds();
        byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {1});
        Dtls13RecordLayer plain = new Dtls13RecordLayer();
        plain.installReadEpoch(3, Dtls13RecordProtection.forReading(keys(p.suite, 3)));
        // Parsed by someone who does receive on 2-byte IDs, opened by a layer that has none.
        assertEquals(DropReason.UNEXPECTED_CONNECTION_ID,
                dropped(plain.open(Dtls13RecordCodec.parse(r, 0, r.length, 2).records().get(0))));
        // Without a known ID length the record cannot even be delimited.
        assertTrue(Dtls13RecordCodec.parse(r, 0, r.length, 0).malformedTail());
    }

    /** RFC 9147 4: the whole header is additional data, so any change to it fails authentication. */
    @Test
    void everyHeaderBitIsAuthenticated() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[20]);
        for (int bit : new int[] {3, 8, 15, 17}) { // S bit, seq bits, length is checked by the parser
            byte[] bad = r.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            List<Dtls13Record> records = Dtls13RecordCodec.parse(bad, 0, bad.length, 0).records();
            if (!records.isEmpty()) {
                assertEquals(DropReason.BAD_RECORD_MAC, dropped(p.reader.open(records.get(0))), "bit " + bit);
            }
        }
        byte[] body = r.clone();
        body[10] ^= 1;
        assertEquals(DropReason.BAD_RECORD_MAC, dropped(p.deliver(body)));
        assertEquals(1 + 0, p.reader.readProtection(3).failedRecords() > 0 ? 1 : 0);
        assertArrayEquals(new byte[20], opened(p.deliver(r)).content());
    }

    /** RFC 9147 4.5.1: a replay is refused, and a forgery does not move the window. */
    @Test
    void replaysAreDroppedAfterDeprotection() {
        Pair p = new Pair(Tls13CipherSuite.TLS_CHACHA20_POLY1305_SHA256, 3);
        byte[] first = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {1});
        opened(p.deliver(first));
        assertEquals(DropReason.REPLAY, dropped(p.deliver(first)));
        assertEquals(0, p.reader.readProtection(3).failedRecords());
    }

    @Test
    void reorderedRecordsWithinTheWindowAreAccepted() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_256_GCM_SHA384, 3);
        byte[][] records = new byte[50][];
        for (int i = 0; i < records.length; i++) {
            records[i] = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {(byte) i});
        }
        for (int i = records.length - 1; i >= 0; i -= 2) {
            assertEquals(new RecordNumber(3, i), opened(p.deliver(records[i])).number());
        }
        for (int i = 0; i < records.length; i += 2) {
            assertEquals(new RecordNumber(3, i), opened(p.deliver(records[i])).number());
        }
    }

    /** The 16 low bits wrap every 65,536 records; the receiver follows (RFC 9147 4.2.2). */
    @Test
    void sequenceNumbersReconstructAcrossTheSixteenBitWrap() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        byte[] content = {1};
        for (int i = 0; i < 65_530; i++) {
            p.writer.seal(3, ContentType.APPLICATION_DATA.code, content);
        }
        for (long seq = 65_530; seq < 65_545; seq++) {
            assertEquals(new RecordNumber(3, seq),
                    opened(p.deliver(p.writer.seal(3, ContentType.APPLICATION_DATA.code, content))).number());
        }
    }

    /** RFC 9147 4.2.3: CCM_8's 8-byte tag needs padding so that 16 bytes of ciphertext exist. */
    @Test
    void shortRecordsArePaddedToTheMaskSample() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_CCM_8_SHA256, 3);
        byte[] r = p.writer.seal(3, ContentType.ACK.code, new byte[0]);
        assertEquals(5 + 16, r.length);
        Dtls13RecordLayer.Opened o = opened(p.deliver(r));
        assertEquals(ContentType.ACK.code, o.contentType());
        assertEquals(0, o.contentLength());
    }

    @Test
    void recordsShorterThanTheMaskSampleFailDeprotection() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        byte[] r = {0x2f, 0, 0, 0, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        assertEquals(DropReason.BAD_RECORD_MAC, dropped(p.deliver(r)));
        byte[] empty = {0x23, 0};
        assertEquals(DropReason.BAD_RECORD_MAC, dropped(p.deliver(empty)));
    }

    @Test
    void paddingIsStrippedAndAnAllZeroInnerPlaintextIsMalformed() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        byte[] padded = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {0, 7, 0}, 0, 3, 100);
        assertEquals(5 + 3 + 1 + 100 + 16, padded.length);
        assertArrayEquals(new byte[] {0, 7, 0}, opened(p.deliver(padded)).content());

        // Seal a DTLSInnerPlaintext of zeros only, by hand, with sequence number 1.
        Dtls13RecordProtection w = p.writer.writeProtection(3);
        byte[] record = new byte[5 + 8 + 16];
        record[0] = 0x2f;
        record[2] = 1;
        record[4] = (byte) (8 + 16);
        w.sealInPlace(1, Arrays.copyOf(record, 5), record, 5, 8);
        w.maskSequenceNumber(record, 5, record, 1, 2);
        assertEquals(DropReason.MALFORMED_RECORD, dropped(p.deliver(record)));
    }

    /** RFC 9147 4.2.2: the epoch bits pick the most recent installed epoch with those bits. */
    @Test
    void epochBitsSelectAmongInstalledEpochs() {
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
        Pair p = new Pair(suite, 2, 3, 4, 5);
        // The writer keeps three epochs (3, 4, 5); an old writer still has epoch 2.
        byte[] late2 = new Pair(suite, 2).writer.seal(2, ContentType.HANDSHAKE.code, new byte[] {1});
        opened(p.deliver(new Pair(suite, 2).writer.seal(2, ContentType.HANDSHAKE.code, new byte[] {2})));
        for (long epoch = 3; epoch <= 5; epoch++) {
            assertEquals(epoch, opened(p.deliver(p.writer.seal(epoch, ContentType.APPLICATION_DATA.code,
                    new byte[] {1}))).number().epoch());
        }
        // Epoch 6 replaces epoch 2 (same low bits); a late epoch-2 record now fails under epoch 6's key.
        p.reader.installReadEpoch(6, Dtls13RecordProtection.forReading(keys(suite, 6)));
        assertFalse(p.reader.canRead(2));
        assertTrue(p.reader.canRead(6));
        assertEquals(DropReason.BAD_RECORD_MAC, dropped(p.deliver(late2)));
        assertThrows(IllegalArgumentException.class,
                () -> p.reader.installReadEpoch(6, Dtls13RecordProtection.forReading(keys(suite, 6))));
    }

    @Test
    void recordsOfAnEpochWithoutKeysAreDropped() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 2, 3);
        byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[] {1});
        p.reader.retireReadEpoch(3);
        assertEquals(DropReason.UNEXPECTED_EPOCH, dropped(p.deliver(r)));
    }

    @Test
    void writeEpochsAreKeptForRetransmissionUntilRetired() {
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
        Pair p = new Pair(suite, 2, 3);
        assertEquals(3, p.writer.highestWriteEpoch());
        assertTrue(p.writer.canWrite(2));
        p.writer.retireWriteEpoch(2);
        assertFalse(p.writer.canWrite(2));
        assertThrows(IllegalStateException.class, () -> p.writer.seal(2, ContentType.HANDSHAKE.code, new byte[1]));
        assertThrows(IllegalArgumentException.class,
                () -> p.writer.installWriteEpoch(3, Dtls13RecordProtection.forWriting(keys(suite, 3))));
        for (long epoch = 4; epoch <= 6; epoch++) {
            p.writer.installWriteEpoch(epoch, Dtls13RecordProtection.forWriting(keys(suite, epoch)));
        }
        // Three slots: the oldest (3) made way for 6.
        assertFalse(p.writer.canWrite(3));
        assertTrue(p.writer.canWrite(4) && p.writer.canWrite(5) && p.writer.canWrite(6));
        assertThrows(IllegalArgumentException.class, () -> p.writer.installWriteEpoch(
                Dtls13RecordLayer.MAX_WRITE_EPOCH + 1, Dtls13RecordProtection.forWriting(keys(suite, 7))));
    }

    @Test
    void epochZeroIsDtlsPlaintext() {
        Dtls13RecordLayer a = new Dtls13RecordLayer();
        Dtls13RecordLayer b = new Dtls13RecordLayer();
        byte[] r0 = a.seal(0, ContentType.HANDSHAKE.code, new byte[] {1, 0, 0, 0});
        byte[] r1 = a.seal(0, ContentType.ALERT.code, new byte[] {2, 40});
        assertArrayEquals(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4},
                Arrays.copyOf(r0, 13));
        ByteWriter w = new ByteWriter();
        w.bytes(r0).bytes(r1);
        byte[] datagram = w.toByteArray();
        List<Dtls13Record> records = Dtls13RecordCodec.parse(datagram, 0, datagram.length, 0).records();
        assertEquals(2, records.size());
        Dtls13RecordLayer.Opened second = opened(b.open(records.get(1)));
        assertEquals(new RecordNumber(0, 1), second.number());
        assertArrayEquals(new byte[] {2, 40}, second.content());
        b.retireReadEpoch(0);
        assertEquals(DropReason.UNEXPECTED_EPOCH, dropped(b.open(records.get(0))));
    }

    @Test
    void plaintextRecordsClaimingAProtectedEpochAreDropped() {
        byte[] r = {22, (byte) 0xfe, (byte) 0xfd, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 9};
        Dtls13Record record = Dtls13RecordCodec.parse(r, 0, r.length, 0).records().get(0);
        assertEquals(DropReason.UNEXPECTED_EPOCH, dropped(new Dtls13RecordLayer().open(record)));
    }

    @Test
    void aeadLimitsAreCountedAndEnforced() {
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
        Dtls13RecordLayer writer = new Dtls13RecordLayer();
        Dtls13RecordProtection small = Dtls13RecordProtection.withLimits(keys(suite, 3), true, new AeadLimits(4, 4));
        writer.installWriteEpoch(3, small);
        writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[1]);
        assertFalse(small.keyUpdateDue());
        writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[1]);
        assertTrue(small.keyUpdateDue());
        writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[1]);
        writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[1]);
        assertTrue(small.exhausted());
        assertThrows(IllegalStateException.class, () -> writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[1]));

        Dtls13RecordLayer reader = new Dtls13RecordLayer();
        Dtls13RecordProtection forgeries = Dtls13RecordProtection.withLimits(keys(suite, 3), false, new AeadLimits(4, 4));
        reader.installReadEpoch(3, forgeries);
        Pair p = new Pair(suite, 3);
        for (int i = 0; i < 4; i++) {
            byte[] r = p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[4]);
            r[r.length - 1] ^= 1;
            assertEquals(DropReason.BAD_RECORD_MAC,
                    dropped(reader.open(Dtls13RecordCodec.parse(r, 0, r.length, 0).records().get(0))));
        }
        assertTrue(forgeries.forgeryLimitReached());
        assertNull(reader.readProtection(2));
    }

    @Test
    void contentLargerThanARecordIsRefused() {
        Pair p = new Pair(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, 3);
        assertThrows(IllegalArgumentException.class,
                () -> p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[(1 << 14) + 1]));
        assertThrows(IllegalArgumentException.class,
                () -> p.writer.seal(3, ContentType.APPLICATION_DATA.code, new byte[1 << 14], 0, 1 << 14, 1));
    }
}
