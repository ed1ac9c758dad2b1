package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.junit.jupiter.api.Test;

/**
 * RFC 8446 5.5, RFC 9147 4.5.3: a sender updates its keys before the AEAD's confidentiality
 * limit. The engine failed the association with internal_error once a key reached its limit
 * (2^24.5 records for AES-GCM: minutes of bulk transfer) and never started a KeyUpdate itself.
 * Now it does so after {@link DtlsConfig#tls13KeyUpdateAfterRecords()} records per key (half
 * the AEAD's limit unless configured), so data keeps flowing.
 */
class Dtls13AutomaticKeyUpdateTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    @Test
    void aSenderUpdatesItsKeysBeforeTheLimitAndKeepsSending() throws Exception {
        SimulatedNetwork net = Dtls13HandshakeTest.established(
                Dtls13HandshakeTest.client13(KEY).tls13KeyUpdateAfterRecords(10).build(),
                Dtls13HandshakeTest.server13(KEY).build());
        int epochBitsChanges = 0;
        int lastBits = -1;
        for (int i = 0; i < 100; i++) {
            byte[] data = ("record " + i).getBytes(StandardCharsets.UTF_8);
            net.clientSend(data);
            net.runUntil(net.now() + 10);
            assertArrayEquals(data, net.serverReceived().get(net.serverReceived().size() - 1), "record " + i);
            int bits = net.sent().get(net.sent().size() - 1).bytes()[0] & 0x03;
            for (int j = net.sent().size() - 1; j >= 0; j--) {
                if (net.sent().get(j).toServer()) {
                    bits = net.sent().get(j).bytes()[0] & 0x03;
                    break;
                }
            }
            if (bits != lastBits) {
                epochBitsChanges++;
                lastBits = bits;
            }
        }
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
        // About one update per 10 records: the client's epoch moved several times.
        org.junit.jupiter.api.Assertions.assertTrue(epochBitsChanges >= 5, "epoch changes: " + epochBitsChanges);
    }

    @Test
    void theSettingIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.forClient().tls13KeyUpdateAfterRecords(0));
        assertEquals(0, Dtls13HandshakeTest.client13(KEY).build().tls13KeyUpdateAfterRecords(), "0: half the AEAD's limit");
    }
}
