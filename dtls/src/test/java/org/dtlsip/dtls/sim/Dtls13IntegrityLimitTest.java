package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dtlsip.dtls.crypto.AeadLimits;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.junit.jupiter.api.Test;

/**
 * RFC 9147 4.5.3: a receiver counts the records that fail deprotection under each key; past the
 * AEAD's integrity limit the key must not be used any more. TLS_AES_128_CCM_8_SHA256 tolerates
 * only 2^7 forgeries (RFC 9147 B.3), so an attacker reaches it in one burst. Before it, the
 * receiver asks the peer for new keys (update_requested); the old keys are then dropped, not the
 * association. Only a peer that never answers loses the association.
 */
class Dtls13IntegrityLimitTest {
    private static final CertifiedKey KEY = TestKeys.ec();
    private static final List<Tls13CipherSuite> CCM_8 = List.of(Tls13CipherSuite.TLS_AES_128_CCM_8_SHA256);

    private static SimulatedNetwork established() {
        return Dtls13HandshakeTest.established(Dtls13HandshakeTest.client13(KEY).tls13CipherSuites(CCM_8).build(),
                Dtls13HandshakeTest.server13(KEY).tls13CipherSuites(CCM_8).build());
    }

    /** A DTLSCiphertext with 16-bit sequence number and length whose tag cannot verify, in the epoch with these low bits. */
    private static byte[] forgery(Random random, int epochBits) {
        byte[] d = new byte[5 + 24];
        random.nextBytes(d);
        d[0] = (byte) (0x2c | epochBits);
        d[3] = 0;
        d[4] = 24;
        return d;
    }

    private static void forge(SimulatedNetwork net, Random random, int epochBits, int count) {
        for (int i = 0; i < count; i++) {
            net.inject(forgery(random, epochBits), true);
        }
    }

    @Test
    void forgeriesBeyondTheIntegrityLimitRetireTheKeyNotTheAssociation() throws Exception {
        SimulatedNetwork net = established();
        Random random = new Random(4_5_3);
        long limit = AeadLimits.AES_CCM_8_FORGERIES;
        // Half the limit: the server asks the client for new keys (RFC 9147 4.5.3 SHOULD).
        forge(net, random, 3, (int) (limit / 2) + 1);
        net.runUntil(net.now() + 1_000);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
        // The attacker keeps forging epoch 3, now the client's previous epoch, past the limit.
        forge(net, random, 3, (int) limit * 2);
        net.runUntil(net.now() + 1_000);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status(), () -> String.valueOf(net.server().failure()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertTrue(net.server().drops().getOrDefault(DropReason.BAD_RECORD_MAC, 0L) <= limit,
                () -> "no more than the limit were tried against one key: " + net.server().drops());
        assertTrue(net.server().drops().getOrDefault(DropReason.UNEXPECTED_EPOCH, 0L) > 0,
                () -> "epoch 3's keys were retired: " + net.server().drops());
        byte[] data = "new keys".getBytes(StandardCharsets.UTF_8);
        net.clientSend(data);
        net.runUntil(net.now() + 100);
        assertArrayEquals(data, net.serverReceived().get(net.serverReceived().size() - 1));
    }

    @Test
    void forgeriesReachingTheIntegrityLimitOfTheCurrentKeyEndTheAssociation() {
        SimulatedNetwork net = established();
        // The client's answer to the server's request for new keys never arrives.
        AtomicBoolean cut = new AtomicBoolean(true);
        net.filter(d -> !(d.toServer() && cut.get()));
        forge(net, new Random(9147), 3, (int) AeadLimits.AES_CCM_8_FORGERIES);
        assertEquals(DtlsEngine.Status.FAILED, net.server().status());
        assertEquals(AlertDescription.BAD_RECORD_MAC, net.server().failure().alert());
        assertTrue(net.server().failure().getMessage().contains("4.5.3"), net.server().failure().getMessage());
    }
}
