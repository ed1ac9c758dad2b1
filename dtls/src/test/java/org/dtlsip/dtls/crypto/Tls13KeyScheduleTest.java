package org.dtlsip.dtls.crypto;

import static org.dtlsip.dtls.util.Hex.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.vectors.Rfc8448;
import org.junit.jupiter.api.Test;

/**
 * The TLS 1.3 key schedule against RFC 8448's traces, run with the "tls13 " prefix through the
 * same code DTLS 1.3 uses with "dtls13" (RFC 9147 5.9), and HKDF against RFC 5869.
 */
class Tls13KeyScheduleTest {
    private static final Tls13Hkdf TLS = new Tls13Hkdf(PrfHash.SHA256, LabelPrefix.TLS13);

    /** RFC 5869 A.1: the basic SHA-256 case. */
    @Test
    void hkdfMatchesRfc5869TestCase1() {
        Hkdf hkdf = new Hkdf(PrfHash.SHA256);
        byte[] prk = hkdf.extract(decode("000102030405060708090a0b0c"), filled(22, 0x0b));
        assertArrayEquals(decode("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"), prk);
        assertArrayEquals(decode("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
                hkdf.expand(prk, decode("f0f1f2f3f4f5f6f7f8f9"), 42));
    }

    @Test
    void hkdfRefusesMoreThan255Blocks() {
        Hkdf hkdf = new Hkdf(PrfHash.SHA256);
        assertThrows(IllegalArgumentException.class, () -> hkdf.expand(new byte[32], new byte[0], 255 * 32 + 1));
        assertEquals(255 * 32, hkdf.expand(new byte[32], new byte[0], 255 * 32).length);
    }

    @Test
    void hkdfLabelIsTheStructureRfc8448Shows() {
        assertArrayEquals(decode(Rfc8448.C_HS_TRAFFIC_INFO),
                TLS.hkdfLabel("c hs traffic", decode(Rfc8448.HELLO_HASH), 32));
    }

    /** RFC 9147 5.9: "dtls13" has no trailing space, so the label is one byte shorter. */
    @Test
    void dtlsLabelUsesDtls13PrefixWithoutSpace() {
        byte[] info = new Tls13Hkdf(PrfHash.SHA256, LabelPrefix.DTLS13).hkdfLabel("sn", new byte[0], 16);
        assertArrayEquals(decode("0010" + "08" + "64746c73313373" + "6e" + "00"), info);
    }

    @Test
    void simpleHandshakeSecretsMatchRfc8448Section3() {
        EarlySecret early = EarlySecret.withoutPsk(TLS);
        assertArrayEquals(decode(Rfc8448.EARLY_SECRET), early.secret());

        HandshakeSecret handshake = early.handshakeSecret(decode(Rfc8448.ECDHE));
        assertArrayEquals(decode(Rfc8448.HANDSHAKE_SECRET), handshake.secret());

        Transcript13 transcript = new Transcript13();
        transcript.add(message(Rfc8448.CH));
        transcript.add(message(Rfc8448.SH));
        byte[] helloHash = transcript.hash(PrfHash.SHA256);
        assertArrayEquals(decode(Rfc8448.HELLO_HASH), helloHash);

        TrafficSecrets hs = handshake.trafficSecrets(helloHash);
        assertArrayEquals(decode(Rfc8448.C_HS_TRAFFIC), hs.client());
        assertArrayEquals(decode(Rfc8448.S_HS_TRAFFIC), hs.server());
        assertArrayEquals(decode(Rfc8448.S_HS_TRAFFIC), hs.writing(false));
        assertArrayEquals(decode(Rfc8448.S_HS_TRAFFIC), hs.reading(true));

        MasterSecret master = handshake.masterSecret();
        assertArrayEquals(decode(Rfc8448.MASTER_SECRET), master.secret());
    }

    @Test
    void trafficKeysMatchRfc8448Section3() {
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
        TrafficKeys server = TrafficKeys.derive(TLS, suite, decode(Rfc8448.S_HS_TRAFFIC));
        assertArrayEquals(decode(Rfc8448.SERVER_HS_KEY), server.key());
        assertArrayEquals(decode(Rfc8448.SERVER_HS_IV), server.iv());
        TrafficKeys client = TrafficKeys.derive(TLS, suite, decode(Rfc8448.C_HS_TRAFFIC));
        assertArrayEquals(decode(Rfc8448.CLIENT_HS_KEY), client.key());
        assertArrayEquals(decode(Rfc8448.CLIENT_HS_IV), client.iv());
        assertArrayEquals(decode(Rfc8448.SERVER_AP_KEY),
                TrafficKeys.derive(TLS, suite, decode(Rfc8448.S_AP_TRAFFIC)).key());
        assertArrayEquals(decode(Rfc8448.CLIENT_AP_IV),
                TrafficKeys.derive(TLS, suite, decode(Rfc8448.C_AP_TRAFFIC)).iv());
    }

    @Test
    void snKeyIsTheSnLabelExpansion() {
        Tls13Hkdf dtls = Tls13Hkdf.dtls13(PrfHash.SHA256);
        byte[] secret = filled(32, 7);
        TrafficKeys keys = TrafficKeys.derive(dtls, Tls13CipherSuite.TLS_CHACHA20_POLY1305_SHA256, secret);
        assertArrayEquals(dtls.expandLabel(secret, "sn", new byte[0], 32), keys.snKey());
        assertEquals(32, keys.key().length);
        assertFalse(Arrays.equals(keys.key(), keys.snKey()));
    }

    @Test
    void finishedMatchesRfc8448Section3() {
        Transcript13 transcript = new Transcript13();
        for (String m : new String[] {Rfc8448.CH, Rfc8448.SH, Rfc8448.EE, Rfc8448.CERT, Rfc8448.CV}) {
            transcript.add(message(m));
        }
        assertArrayEquals(decode(Rfc8448.SERVER_FINISHED_KEY), TLS.finishedKey(decode(Rfc8448.S_HS_TRAFFIC)));
        assertArrayEquals(decode(Rfc8448.SERVER_VERIFY_DATA),
                TLS.verifyData(decode(Rfc8448.S_HS_TRAFFIC), transcript.hash(PrfHash.SHA256)));

        transcript.add(message(Rfc8448.SERVER_FINISHED));
        byte[] serverFinishedHash = transcript.hash(PrfHash.SHA256);
        assertArrayEquals(decode(Rfc8448.SERVER_FINISHED_HASH), serverFinishedHash);
        assertArrayEquals(decode(Rfc8448.CLIENT_FINISHED_KEY), TLS.finishedKey(decode(Rfc8448.C_HS_TRAFFIC)));
        assertArrayEquals(decode(Rfc8448.CLIENT_VERIFY_DATA),
                TLS.verifyData(decode(Rfc8448.C_HS_TRAFFIC), serverFinishedHash));
    }

    @Test
    void applicationExporterAndResumptionSecretsMatchRfc8448Section3() {
        MasterSecret master = EarlySecret.withoutPsk(TLS).handshakeSecret(decode(Rfc8448.ECDHE)).masterSecret();
        byte[] serverFinishedHash = decode(Rfc8448.SERVER_FINISHED_HASH);
        TrafficSecrets ap = master.applicationTrafficSecrets(serverFinishedHash);
        assertArrayEquals(decode(Rfc8448.C_AP_TRAFFIC), ap.client());
        assertArrayEquals(decode(Rfc8448.S_AP_TRAFFIC), ap.server());
        assertArrayEquals(decode(Rfc8448.EXPORTER_MASTER), master.exporterMasterSecret(serverFinishedHash));

        Transcript13 transcript = new Transcript13();
        for (String m : new String[] {Rfc8448.CH, Rfc8448.SH, Rfc8448.EE, Rfc8448.CERT, Rfc8448.CV,
                Rfc8448.SERVER_FINISHED, Rfc8448.CLIENT_FINISHED}) {
            transcript.add(message(m));
        }
        byte[] clientFinishedHash = transcript.hash(PrfHash.SHA256);
        assertArrayEquals(decode(Rfc8448.CLIENT_FINISHED_HASH), clientFinishedHash);
        byte[] resumptionMaster = master.resumptionMasterSecret(clientFinishedHash);
        assertArrayEquals(decode(Rfc8448.RESUMPTION_MASTER), resumptionMaster);
        // The ticket in RFC 8448 section 3 carries ticket_nonce 00 00.
        assertArrayEquals(decode(Rfc8448.RESUMPTION_PSK), TLS.resumptionPsk(resumptionMaster, new byte[2]));
    }

    /** RFC 8448 4: binder_key and the binder over the ClientHello truncated before its binders. */
    @Test
    void pskBinderMatchesRfc8448Section4() {
        EarlySecret early = EarlySecret.fromPsk(TLS, decode(Rfc8448.RESUMPTION_PSK));
        assertArrayEquals(decode(Rfc8448.RESUMED_EARLY_SECRET), early.secret());
        assertArrayEquals(decode(Rfc8448.BINDER_KEY), early.binderKey(false));
        assertFalse(Arrays.equals(early.binderKey(false), early.binderKey(true)));

        // The binders list closes the ClientHello: 00 21 (list length) 20 (binder length) binder.
        HandshakeMessage clientHello = message(Rfc8448.RESUMED_CH_PREFIX + "002120" + Rfc8448.BINDER);
        byte[] truncatedHash = new Transcript13().hashWithTruncatedClientHello(PrfHash.SHA256, clientHello, 35);
        assertArrayEquals(decode(Rfc8448.BINDER_HASH), truncatedHash);
        assertArrayEquals(decode(Rfc8448.BINDER), early.binder(false, truncatedHash));
    }

    /** RFC 8448 5 / RFC 8446 4.4.1: after a HelloRetryRequest the first ClientHello is a message_hash. */
    @Test
    void helloRetryTranscriptMatchesRfc8448Section5() {
        Transcript13 transcript = new Transcript13();
        transcript.add(message(Rfc8448.HRR_CH1));
        transcript.replaceClientHelloWithMessageHash(PrfHash.SHA256);
        transcript.add(message(Rfc8448.HRR));
        transcript.add(message(Rfc8448.HRR_CH2));
        transcript.add(message(Rfc8448.HRR_SH));
        assertArrayEquals(decode(Rfc8448.HRR_HELLO_HASH), transcript.hash(PrfHash.SHA256));

        Transcript13 fromCookie = Transcript13.startingWithMessageHash(
                new Tls13Hkdf(PrfHash.SHA256, LabelPrefix.TLS13).hash(decode(Rfc8448.HRR_CH1)));
        fromCookie.add(message(Rfc8448.HRR));
        fromCookie.add(message(Rfc8448.HRR_CH2));
        fromCookie.add(message(Rfc8448.HRR_SH));
        assertArrayEquals(decode(Rfc8448.HRR_HELLO_HASH), fromCookie.hash(PrfHash.SHA256));
    }

    @Test
    void messageHashReplacesOnlyTheFirstClientHello() {
        Transcript13 transcript = new Transcript13();
        transcript.add(message(Rfc8448.CH));
        transcript.add(message(Rfc8448.SH));
        assertThrows(IllegalStateException.class, () -> transcript.replaceClientHelloWithMessageHash(PrfHash.SHA256));
    }

    /** RFC 8446 7.2: the next secret is Expand-Label(secret, "traffic upd", "", Hash.length). */
    @Test
    void keyUpdateDerivesTheNextTrafficSecret() {
        byte[] current = decode(Rfc8448.C_AP_TRAFFIC);
        byte[] next = TLS.nextTrafficSecret(current);
        assertArrayEquals(TLS.expandLabel(current, "traffic upd", new byte[0], 32), next);
        assertFalse(Arrays.equals(current, next));
        assertFalse(Arrays.equals(next, TLS.nextTrafficSecret(next)));
    }

    /**
     * RFC 8446 7.5, checked against its definition step by step with the RFC 8448 exporter
     * secret; an absent context is hashed as an empty one.
     */
    @Test
    void exporterFollowsRfc8446Section7_5() {
        byte[] exporterMaster = decode(Rfc8448.EXPORTER_MASTER);
        byte[] derived = TLS.deriveSecret(exporterMaster, "EXTRACTOR-dtls_srtp", TLS.emptyHash());
        byte[] expected = TLS.expandLabel(derived, "exporter", TLS.hash(new byte[0]), 60);
        assertArrayEquals(expected, TLS.export(exporterMaster, "EXTRACTOR-dtls_srtp", null, 60));
        assertArrayEquals(expected, TLS.export(exporterMaster, "EXTRACTOR-dtls_srtp", new byte[0], 60));
        assertFalse(Arrays.equals(expected, TLS.export(exporterMaster, "EXTRACTOR-dtls_srtp", new byte[1], 60)));
    }

    @Test
    void dtlsAndTlsLabelsGiveDifferentKeys() {
        byte[] secret = decode(Rfc8448.S_HS_TRAFFIC);
        TrafficKeys tls = TrafficKeys.derive(TLS, Tls13CipherSuite.TLS_AES_128_GCM_SHA256, secret);
        TrafficKeys dtls = TrafficKeys.derive(Tls13Hkdf.dtls13(PrfHash.SHA256),
                Tls13CipherSuite.TLS_AES_128_GCM_SHA256, secret);
        assertFalse(Arrays.equals(tls.key(), dtls.key()));
    }

    @Test
    void suiteAndScheduleHashMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> TrafficKeys.derive(TLS,
                Tls13CipherSuite.TLS_AES_256_GCM_SHA384, new byte[48]));
        TrafficKeys keys = TrafficKeys.derive(new Tls13Hkdf(PrfHash.SHA384, LabelPrefix.DTLS13),
                Tls13CipherSuite.TLS_AES_256_GCM_SHA384, new byte[48]);
        assertEquals(32, keys.key().length);
        assertEquals(12, keys.iv().length);
    }

    /** A TLS-form message (type, uint24 length, body) as a HandshakeMessage. */
    static HandshakeMessage message(String hex) {
        byte[] m = decode(hex);
        int length = (m[1] & 0xff) << 16 | (m[2] & 0xff) << 8 | (m[3] & 0xff);
        assertEquals(m.length - 4, length, "RFC 8448 message length");
        return new HandshakeMessage(HandshakeType.of(m[0] & 0xff), 0, Arrays.copyOfRange(m, 4, m.length));
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
