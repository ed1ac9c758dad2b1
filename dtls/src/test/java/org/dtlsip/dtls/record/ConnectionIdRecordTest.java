package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.KeyBlock;
import org.dtlsip.dtls.crypto.KeySchedule;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

/** The RFC 9146 record format, MAC/AAD input and DTLSInnerPlaintext, below the engine. */
class ConnectionIdRecordTest {
    private static final int CID_TYPE = ContentType.TLS12_CID.code;
    private static final int VERSION = ProtocolVersion.DTLS_1_2;
    private static final byte[] CID = {(byte) 0xaa, (byte) 0xbb, (byte) 0xcc};
    private static final byte[] CONTENT = {1, 2, 3, 4, 5};

    @Test
    void authenticatedHeader_Rfc9146Layout() {
        byte[] cid = {(byte) 0xaa, (byte) 0xbb};
        byte[] out = new byte[AuthenticatedHeader.length(cid)];
        AuthenticatedHeader.write(out, CID_TYPE, VERSION, 1, 0x0102030405L, cid, 0x10);
        // seq_num_placeholder, tls12_cid, cid_length, tls12_cid, version, epoch, sequence_number, cid, length
        assertEquals("ffffffffffffffff" + "19" + "02" + "19" + "fefd" + "0001" + "000102030405" + "aabb" + "0010",
                Hex.encode(out));
        byte[] plain = new byte[AuthenticatedHeader.length(new byte[0])];
        AuthenticatedHeader.write(plain, 23, VERSION, 1, 0x0102030405L, new byte[0], 0x10);
        assertEquals("0001000102030405" + "17" + "fefd" + "0010", Hex.encode(plain));
    }

    @Test
    void codec_CidRecordRoundTrip_AndUnknownLengthEndsParsing() {
        ByteWriter w = new ByteWriter(64);
        RecordCodec.encode(w, VERSION, 2, 77, CID, new byte[] {9, 9});
        RecordCodec.encode(w, 23, VERSION, 2, 78, new byte[] {8});
        byte[] d = w.toByteArray();
        RecordCodec.Parsed p = RecordCodec.parse(d, 0, d.length, CID.length);
        assertEquals(2, p.records().size());
        Record r = p.records().get(0);
        assertEquals(CID_TYPE, r.contentType());
        assertEquals(77, r.sequenceNumber());
        assertArrayEquals(CID, r.connectionId());
        assertArrayEquals(new byte[] {9, 9}, r.fragment());
        assertEquals(0, p.records().get(1).connectionId().length);
        assertArrayEquals(CID, RecordCodec.firstConnectionId(d, 0, d.length, CID.length));

        RecordCodec.Parsed without = RecordCodec.parse(d, 0, d.length, 0);
        assertTrue(without.malformedTail());
        assertTrue(without.records().isEmpty());
    }

    /** Every suite, both CBC layouts: the CID form authenticates, and is bound to the ID and to the form. */
    @Test
    void everySuite_CidRecordsAuthenticateOnlyAsSent() {
        byte[] master = filled(48, 1);
        for (CipherSuite suite : CipherSuite.values()) {
            KeyBlock keys = KeySchedule.keyBlock(suite, master, filled(32, 2), filled(32, 3));
            for (boolean etm : new boolean[] {false, true}) {
                RecordProtection w = RecordProtections.forWriting(suite, keys, true, etm, new SecureRandom());
                RecordProtection r = RecordProtections.forReading(suite, keys, false, etm);
                byte[] fragment = w.protect(CID_TYPE, VERSION, 1, 9, CID, CONTENT, 0, CONTENT.length);
                String what = suite + " etm=" + etm;
                assertArrayEquals(CONTENT, r.unprotect(new Record(CID_TYPE, VERSION, 1, 9, CID, fragment)), what);
                byte[] otherCid = CID.clone();
                otherCid[2] ^= 1;
                assertNull(r.unprotect(new Record(CID_TYPE, VERSION, 1, 9, otherCid, fragment)), what);
                assertNull(r.unprotect(new Record(23, VERSION, 1, 9, fragment)), what + ": RFC 6347 form");
            }
        }
    }

    @Test
    void recordLayer_PaddedInnerPlaintext_RealTypeFound_AllZeroDropped() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        KeyBlock keys = KeySchedule.keyBlock(suite, filled(48, 1), filled(32, 2), filled(32, 3));
        RecordProtection w = RecordProtections.forWriting(suite, keys, true, false, new SecureRandom());
        RecordLayer layer = new RecordLayer(VERSION, 0);
        layer.useConnectionIds(CID, new byte[0]);
        layer.installReadEpoch(RecordProtections.forReading(suite, keys, false, false));

        // content || real_type (application_data) || three zeros of padding (RFC 9146 4)
        byte[] inner = Arrays.copyOf(CONTENT, CONTENT.length + 4);
        inner[CONTENT.length] = 23;
        byte[] fragment = w.protect(CID_TYPE, VERSION, 1, 0, CID, inner, 0, inner.length);
        RecordLayer.Opened opened = layer.open(new Record(CID_TYPE, VERSION, 1, 0, CID, fragment));
        assertEquals(23, opened.contentType());
        assertArrayEquals(CONTENT, opened.plaintext());

        byte[] zeros = new byte[6];
        byte[] bad = w.protect(CID_TYPE, VERSION, 1, 1, CID, zeros, 0, zeros.length);
        assertEquals(DropReason.MALFORMED_RECORD, layer.open(new Record(CID_TYPE, VERSION, 1, 1, CID, bad)).drop());

        byte[] plainForm = w.protect(23, VERSION, 1, 2, CONTENT, 0, CONTENT.length);
        assertEquals(DropReason.MISSING_CONNECTION_ID, layer.open(new Record(23, VERSION, 1, 2, plainForm)).drop());
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
