package org.dtlsip.dtls.record;

import static org.dtlsip.dtls.util.Hex.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.dtlsip.dtls.crypto.LabelPrefix;
import org.dtlsip.dtls.crypto.PrfHash;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficKeys;
import org.dtlsip.dtls.vectors.Rfc8448;
import org.junit.jupiter.api.Test;

/**
 * The AEAD part of DTLS 1.3 record protection (nonce = IV XOR sequence number, the
 * DTLSInnerPlaintext, the tag) against RFC 8448's TLS 1.3 records. TLS's additional data is the
 * 5-byte record header where DTLS uses the unified header; everything else is shared.
 */
class Tls13RecordVectorsTest {
    private static final Tls13Hkdf TLS = new Tls13Hkdf(PrfHash.SHA256, LabelPrefix.TLS13);
    private static final Tls13CipherSuite SUITE = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;

    @Test
    void serverHandshakeFlightRecord() {
        assertRecord(Rfc8448.S_HS_TRAFFIC, 0, ContentType.HANDSHAKE,
                Rfc8448.EE + Rfc8448.CERT + Rfc8448.CV + Rfc8448.SERVER_FINISHED, Rfc8448.SERVER_FLIGHT_RECORD);
    }

    @Test
    void clientFinishedRecord() {
        assertRecord(Rfc8448.C_HS_TRAFFIC, 0, ContentType.HANDSHAKE, Rfc8448.CLIENT_FINISHED,
                Rfc8448.CLIENT_FINISHED_RECORD);
    }

    @Test
    void newSessionTicketRecord() {
        assertRecord(Rfc8448.S_AP_TRAFFIC, 0, ContentType.HANDSHAKE, Rfc8448.NST, Rfc8448.NST_RECORD);
    }

    @Test
    void applicationDataRecordsInBothDirections() {
        assertRecord(Rfc8448.C_AP_TRAFFIC, 0, ContentType.APPLICATION_DATA, Rfc8448.CLIENT_APP_PAYLOAD,
                Rfc8448.CLIENT_APP_RECORD);
        // The server's first application record followed its NewSessionTicket: sequence 1.
        assertRecord(Rfc8448.S_AP_TRAFFIC, 1, ContentType.APPLICATION_DATA, Rfc8448.CLIENT_APP_PAYLOAD,
                Rfc8448.SERVER_APP_RECORD);
    }

    private static void assertRecord(String secret, long seq, ContentType type, String contentHex, String recordHex) {
        TrafficKeys keys = TrafficKeys.derive(TLS, SUITE, decode(secret));
        byte[] content = decode(contentHex);
        byte[] expected = decode(recordHex);
        byte[] header = Arrays.copyOf(expected, 5);

        byte[] buf = new byte[content.length + 1 + 16];
        System.arraycopy(content, 0, buf, 0, content.length);
        buf[content.length] = (byte) type.code;
        Dtls13RecordProtection writer = Dtls13RecordProtection.forWriting(keys);
        assertEquals(buf.length, writer.sealInPlace(seq, header, buf, 0, content.length + 1));
        assertArrayEquals(Arrays.copyOfRange(expected, 5, expected.length), buf);

        Dtls13RecordProtection reader = Dtls13RecordProtection.forReading(keys);
        byte[] inner = new byte[buf.length - 16];
        assertEquals(inner.length, reader.open(seq, header, expected, 5, expected.length - 5, inner));
        assertEquals(type.code, inner[inner.length - 1]);
        assertEquals(-1, reader.open(seq + 1, header, expected, 5, expected.length - 5, inner));
        assertEquals(1, reader.failedRecords());
    }
}
