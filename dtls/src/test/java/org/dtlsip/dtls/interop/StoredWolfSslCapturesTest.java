package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.dtls.crypto.PrfHash;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficKeys;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.record.UnifiedHeader;
import org.junit.jupiter.api.Test;

/**
 * Real DTLS 1.3 associations between wolfSSL 5.5.4's client and server, captured by
 * {@link WolfSslHarnessTest} with their key logs and kept under
 * {@code src/test/resources/org/dtlsip/dtls/interop/dtls13/}, replayed through our record layer,
 * key schedule ("dtls13" labels) and codecs on every machine, wolfSSL installed or not. The
 * strongest check of those pieces short of our own handshake: a wrong label, nonce, additional
 * data, mask, reconstruction, transcript rule or codec fails here.
 */
class StoredWolfSslCapturesTest {
    private static final Dtls13CaptureVerifier.Side CLIENT = Dtls13CaptureVerifier.Side.CLIENT;
    private static final Dtls13CaptureVerifier.Side SERVER = Dtls13CaptureVerifier.Side.SERVER;

    private static Dtls13CaptureVerifier.Report replay(String name) {
        Dtls13CaptureVerifier.Report r = Dtls13CaptureVerifier.verify(Dtls13Capture.resource(name), null);
        assertEquals(List.of(), r.drops, name + ": records our record layer refused");
        assertEquals(2, r.finishedVerified, name);
        assertEquals(List.of(WolfSslPeer.CLIENT_MESSAGE), r.applicationData.get(CLIENT).subList(0, 1));
        return r;
    }

    /**
     * HelloRetryRequest with a cookie, then each server message in its own record of epoch 2;
     * the server CertificateVerify (ECDSA P-256) and both Finished verify over our transcript,
     * which starts with message_hash (RFC 8446 4.4.1) and hashes TLS-form headers (RFC 9147 5.2).
     */
    @Test
    void defaultAssociationWithCookie() {
        Dtls13CaptureVerifier.Report r = replay("default-cookie.txt");
        assertEquals(Tls13CipherSuite.TLS_AES_128_GCM_SHA256, r.suite);
        assertTrue(r.helloRetryRequest);
        assertTrue(r.cookieLength > 0);
        assertEquals(1, r.certificateVerifies);
        assertEquals(List.of(HandshakeType.CLIENT_HELLO, HandshakeType.CLIENT_HELLO, HandshakeType.FINISHED),
                r.messages.get(CLIENT));
        assertEquals(1, r.newSessionTickets);
        assertFalse(r.acks.get(SERVER).isEmpty());
        assertFalse(r.acks.get(CLIENT).isEmpty(), "the client ACKs the NewSessionTicket (RFC 9147 7)");
        assertTrue(r.alerts.get(CLIENT).contains(0x0100));
    }

    /** SHA-384 suite: the hash of the transcript, HKDF and Finished is SHA-384 throughout. */
    @Test
    void aes256GcmSha384() {
        assertEquals(Tls13CipherSuite.TLS_AES_256_GCM_SHA384, replay("suite-TLS_AES_256_GCM_SHA384.txt").suite);
    }

    /** Record number encryption with ChaCha20 (counter little-endian, RFC 9147 4.2.3). */
    @Test
    void chacha20Poly1305() {
        assertEquals(Tls13CipherSuite.TLS_CHACHA20_POLY1305_SHA256, replay("suite-TLS_CHACHA20_POLY1305_SHA256.txt").suite);
    }

    /** Connection IDs in both directions (in the unified header and the additional data), with CCM_8. */
    @Test
    void connectionIdsWithCcm8() {
        Dtls13CaptureVerifier.Report r = replay("connection-ids-ccm8.txt");
        assertEquals(Tls13CipherSuite.TLS_AES_128_CCM_8_SHA256, r.suite);
        assertArrayEquals("cl".getBytes(), r.clientConnectionId);
        assertArrayEquals("sv".getBytes(), r.serverConnectionId);
    }

    /**
     * An external PSK with psk_ke: our key schedule, from the PSK alone, reproduces every secret
     * wolfSSL logged (handshake and application traffic, exporter) and the binder it sent.
     */
    @Test
    void pskOnlyKeyScheduleAndBinder() {
        Dtls13CaptureVerifier.Report r = Dtls13CaptureVerifier.verify(Dtls13Capture.resource("psk-ke.txt"),
                WolfSslPeer.externalPsk());
        assertEquals(List.of(), r.drops);
        assertTrue(r.binderVerified);
        assertTrue(r.keyScheduleRecomputed);
        assertEquals(0, r.certificateVerifies);
    }

    /** KeyUpdate in both directions; epoch 4 opens with "traffic upd" secrets we derive. */
    @Test
    void keyUpdates() {
        Dtls13CaptureVerifier.Report r = replay("key-update.txt");
        assertEquals(2, r.keyUpdates);
        assertEquals(4, r.highestEpoch(CLIENT));
        assertEquals(4, r.highestEpoch(SERVER));
    }

    /**
     * CertificateRequest, then the client's Certificate and CertificateVerify (P-384) verify. The
     * server's ACK of the client's three epoch-2 records lists them in decreasing order, although
     * RFC 9147 7 asks for increasing (wolfSSL issue 8666): receivers must not rely on the order.
     */
    @Test
    void clientAuthentication() {
        Dtls13CaptureVerifier.Report r = replay("client-auth.txt");
        assertEquals(2, r.certificateVerifies);
        assertTrue(r.messages.get(CLIENT).contains(HandshakeType.CERTIFICATE_VERIFY));
        assertEquals(List.of(new RecordNumber(2, 2), new RecordNumber(2, 1), new RecordNumber(2, 0)),
                r.acks.get(SERVER).get(0).recordNumbers());
    }

    /** An RSA-4096 Certificate fragmented into 576-byte datagrams, reassembled, RSA-PSS verified. */
    @Test
    void fragmentedRsa4096Certificate() {
        Dtls13Capture capture = Dtls13Capture.resource("server-mtu-576-rsa4096.txt");
        assertTrue(capture.datagrams().stream().filter(d -> !d.fromClient()).allMatch(d -> d.payload().length <= 576));
        Dtls13CaptureVerifier.Report r = replay("server-mtu-576-rsa4096.txt");
        assertEquals(1, r.certificateVerifies);
    }

    /**
     * Debian's wolfSSL 5.5.4 as shipped reads the ChaCha20 mask counter big-endian (glibc defines
     * BIG_ENDIAN everywhere; fixed upstream in 5.6.4, PR 6641). None of its protected records
     * open with the RFC's little-endian counter, and the byte-swapped counter explains exactly
     * why: it yields the mask that turns the first epoch-2 record's sequence bits into 0.
     * .ci/build-wolfssl.sh therefore applies the upstream fix.
     */
    @Test
    void unpatchedWolfSslUsesAByteSwappedChachaCounter() throws Exception {
        Dtls13Capture capture = Dtls13Capture.resource("unpatched-5.5.4-chacha20.txt");
        Dtls13CaptureVerifier.Report r = Dtls13CaptureVerifier.verify(capture, null);
        assertEquals(Tls13CipherSuite.TLS_CHACHA20_POLY1305_SHA256, r.suite);
        assertFalse(r.drops.isEmpty());
        assertTrue(r.drops.stream().allMatch(d -> d == DropReason.BAD_RECORD_MAC));

        byte[] first = capture.datagrams().stream().filter(d -> !d.fromClient())
                .map(Dtls13Capture.Datagram::payload).filter(p -> UnifiedHeader.isCiphertext(p[0] & 0xff))
                .findFirst().orElseThrow();
        byte[] clientRandom = Arrays.copyOfRange(capture.datagrams().get(0).payload(), 13 + 12 + 2, 13 + 12 + 2 + 32);
        TrafficKeys keys = TrafficKeys.derive(Tls13Hkdf.dtls13(PrfHash.SHA256), Tls13CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                capture.secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", clientRandom));
        byte[] sample = Arrays.copyOfRange(first, 5, 5 + 16);
        int bigEndian = (sample[0] & 0xff) << 24 | (sample[1] & 0xff) << 16 | (sample[2] & 0xff) << 8 | (sample[3] & 0xff);
        Cipher chacha = Cipher.getInstance("ChaCha20");
        chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.snKey(), "ChaCha20"),
                new ChaCha20ParameterSpec(Arrays.copyOfRange(sample, 4, 16), bigEndian));
        byte[] mask = chacha.doFinal(new byte[16]);
        // Sequence number 0 of epoch 2, masked: the wire bits are the mask itself.
        assertArrayEquals(Arrays.copyOfRange(first, 1, 3), Arrays.copyOf(mask, 2));
    }
}
