package org.dtlsip.dtls.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.EcPointFormats;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.RenegotiationInfo;
import org.dtlsip.dtls.handshake.extension.SignatureAlgorithms;
import org.dtlsip.dtls.handshake.extension.SupportedGroups;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    /** One valid message, its decoder, and the proper-prefix lengths that are themselves valid. */
    private record Sample(HandshakeBody message, Function<byte[], HandshakeBody> decoder, Set<Integer> validPrefixes) {
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static final List<Extension> HELLO_EXTS = List.of(
            SupportedGroups.of(NamedGroup.X25519, NamedGroup.SECP256R1).toExtension(),
            EcPointFormats.uncompressedOnly().toExtension(),
            SignatureAlgorithms.of(SignatureScheme.ECDSA_SECP256R1_SHA256).toExtension(),
            Extensions.extendedMasterSecret(),
            RenegotiationInfo.initial().toExtension());

    static ClientHello clientHello(List<Extension> exts) {
        return new ClientHello(ProtocolVersion.DTLS_1_2, bytes(32, 1), bytes(32, 2), bytes(20, 3),
                List.of(0xc02b, 0xc02f, 0x00ff), List.of(0), exts);
    }

    static ServerHello serverHello(List<Extension> exts) {
        return new ServerHello(ProtocolVersion.DTLS_1_2, bytes(32, 4), bytes(16, 5), 0xc02b, 0, exts);
    }

    private static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        ClientHello ch = clientHello(HELLO_EXTS);
        s.add(new Sample(ch, ClientHello::decode, Set.of(clientHello(List.of()).encode().length)));
        s.add(new Sample(clientHello(List.of()).withCookie(new byte[0]), ClientHello::decode, Set.of()));
        ServerHello sh = serverHello(List.of(Extensions.extendedMasterSecret()));
        s.add(new Sample(sh, ServerHello::decode, Set.of(serverHello(List.of()).encode().length)));
        s.add(new Sample(serverHello(List.of()), ServerHello::decode, Set.of()));
        s.add(new Sample(new HelloVerifyRequest(ProtocolVersion.DTLS_1_0, bytes(32, 6)), HelloVerifyRequest::decode, Set.of()));
        s.add(new Sample(new CertificateMessage(List.of(bytes(300, 7), bytes(200, 8))), CertificateMessage::decode, Set.of()));
        s.add(new Sample(new CertificateMessage(List.of()), CertificateMessage::decode, Set.of()));
        s.add(new Sample(new ServerKeyExchangeEcdhe(NamedGroup.SECP256R1.code, bytes(65, 9),
                SignatureScheme.ECDSA_SECP256R1_SHA256.code, bytes(71, 10)), ServerKeyExchangeEcdhe::decode, Set.of()));
        s.add(new Sample(new CertificateRequest(List.of(CertificateRequest.ECDSA_SIGN, CertificateRequest.RSA_SIGN),
                List.of(0x0403, 0x0804), List.of(bytes(40, 11), bytes(3, 12))), CertificateRequest::decode, Set.of()));
        s.add(new Sample(new CertificateRequest(List.of(CertificateRequest.ECDSA_SIGN), List.of(0x0403), List.of()),
                CertificateRequest::decode, Set.of()));
        s.add(new Sample(new ServerHelloDone(), ServerHelloDone::decode, Set.of()));
        s.add(new Sample(new HelloRequest(), HelloRequest::decode, Set.of()));
        s.add(new Sample(new ClientKeyExchangeEcdhe(bytes(32, 13)), ClientKeyExchangeEcdhe::decode, Set.of()));
        s.add(new Sample(new CertificateVerify(0x0804, bytes(256, 14)), CertificateVerify::decode, Set.of()));
        s.add(new Sample(new Finished(bytes(12, 15)), Finished::decode, Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
        s.add(new Sample(new NewSessionTicket(0xfffffffeL, bytes(100, 16)), NewSessionTicket::decode, Set.of()));
        s.add(new Sample(new NewSessionTicket(0, new byte[0]), NewSessionTicket::decode, Set.of()));
        return s;
    }

    @Test
    void everyMessageRoundTrips() {
        for (Sample s : samples()) {
            byte[] wire = s.message().encode();
            HandshakeBody back = s.decoder().apply(wire);
            assertEquals(s.message(), back, s.message().toString());
            assertEquals(s.message().hashCode(), back.hashCode());
            assertArrayEquals(wire, back.encode());
            assertEquals(s.message().type(), back.type());
            assertEquals(back.type(), back.toMessage(3).type());
            assertArrayEquals(wire, back.toMessage(3).body());
        }
    }

    @Test
    void everyProperPrefixIsADecodeError() {
        for (Sample s : samples()) {
            byte[] wire = s.message().encode();
            for (int n = 0; n < wire.length; n++) {
                byte[] prefix = Arrays.copyOf(wire, n);
                if (s.validPrefixes().contains(n)) {
                    assertNotNull(s.decoder().apply(prefix));
                    continue;
                }
                try {
                    s.decoder().apply(prefix);
                    fail(s.message() + ": prefix of " + n + "/" + wire.length + " decoded");
                } catch (DecodeException expected) {
                    // the only exception a decoder may throw on bad input
                }
            }
        }
    }

    @Test
    void trailingBytesAreADecodeError() {
        for (Sample s : samples()) {
            if (s.message() instanceof Finished) {
                continue; // the whole body is verify_data
            }
            byte[] wire = s.message().encode();
            byte[] longer = Arrays.copyOf(wire, wire.length + 1);
            assertThrows(DecodeException.class, () -> s.decoder().apply(longer), s.message().toString());
        }
    }

    @Test
    void mutatedInputOnlyEverThrowsDecodeException() {
        Random rnd = new Random(42);
        for (Sample s : samples()) {
            byte[] wire = s.message().encode();
            for (int i = 0; i < 3000; i++) {
                byte[] m = mutate(wire, rnd);
                HandshakeBody decoded;
                try {
                    decoded = s.decoder().apply(m);
                } catch (DecodeException expected) {
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError(s.message() + " on " + Hex.encode(m), e);
                }
                assertEquals(decoded, s.decoder().apply(decoded.encode()));
            }
        }
    }

    private static byte[] mutate(byte[] wire, Random rnd) {
        byte[] m = wire.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                if (m.length > 0) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
            }
            case 1 -> {
                if (m.length > 0) {
                    m[rnd.nextInt(m.length)] = (byte) (rnd.nextBoolean() ? 0xff : 0x00);
                }
            }
            case 2 -> m = Arrays.copyOf(m, rnd.nextInt(m.length + 8));
            default -> {
                for (int k = 0; k < 3 && m.length > 0; k++) {
                    m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
        }
        return m;
    }

    @Test
    void decodesARealOpenSslClientHello() {
        byte[] body = Hex.decode(OpenSslCapture.CLIENT_HELLO_BODY);
        ClientHello ch = ClientHello.decode(body);
        assertEquals(ProtocolVersion.DTLS_1_2, ch.clientVersion());
        assertEquals(0, ch.sessionId().length);
        assertEquals(0, ch.cookie().length);
        assertEquals(28, ch.cipherSuites().size());
        assertTrue(ch.cipherSuites().contains(0xc02b));
        assertEquals(List.of(0), ch.compressionMethods());
        assertTrue(EcPointFormats.from(ch.extension(ExtensionType.EC_POINT_FORMATS)).supportsUncompressed());
        assertEquals(List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1),
                SupportedGroups.from(ch.extension(ExtensionType.SUPPORTED_GROUPS)).known());
        assertTrue(Extensions.isEmpty(ch.extension(ExtensionType.EXTENDED_MASTER_SECRET)));
        assertTrue(SignatureAlgorithms.from(ch.extension(ExtensionType.SIGNATURE_ALGORITHMS)).known()
                .contains(SignatureScheme.ECDSA_SECP256R1_SHA256));
        assertArrayEquals(body, ch.encode());
        // the second ClientHello differs only by its cookie
        ClientHello second = ch.withCookie(bytes(32, 99));
        assertEquals(body.length + 32, second.encode().length);
        assertEquals(ch.extensions(), second.extensions());
    }

    @Test
    void clientHelloBoundsAreDecodeErrors() {
        ClientHello ch = clientHello(List.of());
        byte[] wire = ch.encode();
        int sidAt = 2 + 32;
        byte[] longSid = wire.clone();
        longSid[sidAt] = 33;
        assertThrows(DecodeException.class, () -> ClientHello.decode(longSid));
        // no null compression
        ClientHello plain = new ClientHello(ProtocolVersion.DTLS_1_2, bytes(32, 1), new byte[0], new byte[0],
                List.of(0xc02b), List.of(0), List.of());
        byte[] p = plain.encode();
        assertEquals("0100", Hex.encode(Arrays.copyOfRange(p, p.length - 2, p.length)));
        p[p.length - 1] = 1;
        assertThrows(DecodeException.class, () -> ClientHello.decode(p));
        // empty cipher suite list
        byte[] empty = Hex.decode("fefd" + Hex.encode(bytes(32, 1)) + "00" + "00" + "0000" + "0100");
        assertThrows(DecodeException.class, () -> ClientHello.decode(empty));
        // odd cipher suite list
        byte[] odd = Hex.decode("fefd" + Hex.encode(bytes(32, 1)) + "00" + "00" + "0003c02b00" + "0100");
        assertThrows(DecodeException.class, () -> ClientHello.decode(odd));
    }

    @Test
    void serverKeyExchangeRejectsExplicitCurvesAndSignsRandomsThenParams() {
        ServerKeyExchangeEcdhe ske = new ServerKeyExchangeEcdhe(29, bytes(32, 1), 0x0403, bytes(70, 2));
        byte[] params = ske.paramsBytes();
        assertEquals("03001d20", Hex.encode(Arrays.copyOf(params, 4)));
        byte[] wire = ske.encode();
        assertArrayEquals(params, Arrays.copyOf(wire, params.length));
        wire[0] = 1; // explicit_prime
        assertThrows(DecodeException.class, () -> ServerKeyExchangeEcdhe.decode(wire));
        byte[] signed = ServerKeyExchangeEcdhe.signedData(bytes(32, 3), bytes(32, 4), params);
        assertEquals(64 + params.length, signed.length);
        assertArrayEquals(bytes(32, 4), Arrays.copyOfRange(signed, 32, 64));
        assertThrows(DecodeException.class, () -> ServerKeyExchangeEcdhe.decode(Hex.decode("03001d00" + "0403" + "0000")));
    }

    @Test
    void certificateListRejectsEmptyEntries() {
        assertThrows(DecodeException.class, () -> CertificateMessage.decode(Hex.decode("000003" + "000000")));
        assertThrows(DecodeException.class, () -> CertificateMessage.decode(Hex.decode("000004" + "00000201")));
        assertTrue(CertificateMessage.decode(Hex.decode("000000")).isEmpty());
    }

    @Test
    void certificateRequestRejectsEmptyTypesAndSchemes() {
        assertThrows(DecodeException.class, () -> CertificateRequest.decode(Hex.decode("00" + "00020403" + "0000")));
        assertThrows(DecodeException.class, () -> CertificateRequest.decode(Hex.decode("0140" + "0000" + "0000")));
        assertThrows(DecodeException.class, () -> CertificateRequest.decode(Hex.decode("0140" + "00020403" + "00020000")));
    }

    @Test
    void emptyMessagesRejectABody() {
        assertThrows(DecodeException.class, () -> ServerHelloDone.decode(new byte[1]));
        assertThrows(DecodeException.class, () -> HelloRequest.decode(new byte[1]));
        assertEquals(HandshakeType.SERVER_HELLO_DONE, ServerHelloDone.decode(new byte[0]).type());
    }

    @Test
    void finishedAcceptsAnyNonEmptyLength() {
        assertThrows(DecodeException.class, () -> Finished.decode(new byte[0]));
        assertEquals(13, Finished.decode(new byte[13]).verifyData().length);
    }

    @Test
    void newSessionTicketCarriesAUint32Hint() {
        NewSessionTicket t = new NewSessionTicket(0x80000001L, new byte[] {7});
        assertEquals("80000001" + "0001" + "07", Hex.encode(t.encode()));
        assertEquals(0x80000001L, NewSessionTicket.decode(t.encode()).lifetimeHint());
    }

    @Test
    void valuesAreDefensivelyCopied() {
        byte[] cookie = {1, 2, 3};
        HelloVerifyRequest hvr = new HelloVerifyRequest(ProtocolVersion.DTLS_1_2, cookie);
        cookie[0] = 9;
        hvr.cookie()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, hvr.cookie());
        List<byte[]> certs = new ArrayList<>(List.of(new byte[] {1}));
        CertificateMessage cm = new CertificateMessage(certs);
        certs.get(0)[0] = 5;
        cm.certificates().get(0)[0] = 5;
        assertArrayEquals(new byte[] {1}, cm.certificates().get(0));
        assertFalse(cm.isEmpty());
    }

    @Test
    void constructorsRejectOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, new byte[31],
                new byte[0], new byte[0], List.of(1), List.of(0), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, new byte[32],
                new byte[0], new byte[256], List.of(1), List.of(0), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, new byte[32],
                new byte[0], new byte[0], List.of(1), List.of(1), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ClientKeyExchangeEcdhe(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new NewSessionTicket(-1, new byte[0]));
    }
}
