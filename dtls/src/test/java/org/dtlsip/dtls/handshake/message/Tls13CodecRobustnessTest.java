package org.dtlsip.dtls.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.handshake.extension.Cookie;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.KeyShareClientHello;
import org.dtlsip.dtls.handshake.extension.KeyShareHelloRetryRequest;
import org.dtlsip.dtls.handshake.extension.KeyShareServerHello;
import org.dtlsip.dtls.handshake.extension.OfferedPsks;
import org.dtlsip.dtls.handshake.extension.PskKeyExchangeModes;
import org.dtlsip.dtls.handshake.extension.SelectedPsk;
import org.dtlsip.dtls.handshake.extension.SelectedVersion;
import org.dtlsip.dtls.handshake.extension.SupportedVersions;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.vectors.Rfc8448;
import org.dtlsip.dtls.vectors.TlsHellos;
import org.junit.jupiter.api.Test;

/**
 * Mutated RFC 8448 messages and extensions through every DTLS 1.3 codec: a decoder may only
 * throw {@link DecodeException}, and what it accepts re-encodes to the same bytes. Bounded by a
 * count with a fixed seed, so a failure reproduces.
 */
class Tls13CodecRobustnessTest {
    private static final int MUTATIONS_PER_SEED = 2_000;

    private record Codec(String name, byte[] seed, Function<byte[], byte[]> roundTrip) {
    }

    private static Codec message(String name, String hex, Function<byte[], HandshakeBody> decode) {
        return new Codec(name, TlsHellos.body(hex), b -> decode.apply(b).encode());
    }

    private static Codec extension(String name, int type, byte[] data, Function<Extension, Extension> decode) {
        return new Codec(name, data, b -> decode.apply(new Extension(type, b)).data());
    }

    private static byte[] data(List<Extension> exts, int type) {
        for (Extension e : exts) {
            if (e.type() == type) {
                return e.data();
            }
        }
        throw new AssertionError("no extension " + type);
    }

    @Test
    void mutatedInputsFailOnlyWithDecodeException() {
        List<Extension> ch = TlsHellos.clientHelloExtensions(Rfc8448.CH);
        List<Extension> hrr = TlsHellos.serverHelloExtensions(Rfc8448.HRR);
        List<Extension> resumed = TlsHellos.clientHelloExtensions(Rfc8448.RESUMED_CH_PREFIX + "002120" + Rfc8448.BINDER);
        List<Codec> codecs = List.of(
                message("EncryptedExtensions", Rfc8448.EE, EncryptedExtensions::decode),
                message("Certificate13", Rfc8448.CERT, Certificate13::decode),
                message("CertificateVerify", Rfc8448.CV, CertificateVerify::decode),
                message("NewSessionTicket13", Rfc8448.NST, NewSessionTicket13::decode),
                message("ServerHello", Rfc8448.HRR, ServerHello::decode),
                new Codec("CertificateRequest13", new CertificateRequest13(new byte[] {1}, ch.subList(0, 2)).encode(),
                        b -> CertificateRequest13.decode(b).encode()),
                new Codec("KeyUpdate", new byte[] {1}, b -> KeyUpdate.decode(b).encode()),
                new Codec("Ack", org.dtlsip.dtls.util.Hex.decode("0020" + "00".repeat(7) + "02" + "00".repeat(8)
                        + "00".repeat(7) + "03" + "00".repeat(7) + "05"), b -> Ack.decode(b).encode()),
                extension("key_share CH", ExtensionType.KEY_SHARE, data(ch, ExtensionType.KEY_SHARE),
                        e -> KeyShareClientHello.from(e).toExtension()),
                extension("key_share SH", ExtensionType.KEY_SHARE, data(TlsHellos.serverHelloExtensions(Rfc8448.SH),
                        ExtensionType.KEY_SHARE), e -> KeyShareServerHello.from(e).toExtension()),
                extension("key_share HRR", ExtensionType.KEY_SHARE, data(hrr, ExtensionType.KEY_SHARE),
                        e -> KeyShareHelloRetryRequest.from(e).toExtension()),
                extension("cookie", ExtensionType.COOKIE, data(hrr, ExtensionType.COOKIE), e -> Cookie.from(e).toExtension()),
                extension("supported_versions CH", ExtensionType.SUPPORTED_VERSIONS, data(ch, ExtensionType.SUPPORTED_VERSIONS),
                        e -> SupportedVersions.from(e).toExtension()),
                extension("supported_versions SH", ExtensionType.SUPPORTED_VERSIONS, new byte[] {(byte) 0xfe, (byte) 0xfc},
                        e -> SelectedVersion.from(e).toExtension()),
                extension("psk_key_exchange_modes", ExtensionType.PSK_KEY_EXCHANGE_MODES,
                        data(ch, ExtensionType.PSK_KEY_EXCHANGE_MODES), e -> PskKeyExchangeModes.from(e).toExtension()),
                extension("pre_shared_key CH", ExtensionType.PRE_SHARED_KEY, data(resumed, ExtensionType.PRE_SHARED_KEY),
                        e -> OfferedPsks.from(e).toExtension()),
                extension("pre_shared_key SH", ExtensionType.PRE_SHARED_KEY, new byte[] {0, 0},
                        e -> SelectedPsk.from(e).toExtension()));
        Random random = new Random(8448);
        for (Codec codec : codecs) {
            assertArrayEquals(codec.seed(), codec.roundTrip().apply(codec.seed()), codec.name() + " seed");
            for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
                byte[] input = mutate(codec.seed(), random);
                byte[] encoded;
                try {
                    encoded = codec.roundTrip().apply(input);
                } catch (DecodeException expected) {
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError(codec.name() + " threw " + e + " on "
                            + org.dtlsip.dtls.util.Hex.encode(input), e);
                }
                assertArrayEquals(input, encoded, codec.name() + " re-encodes what it accepted");
            }
        }
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        switch (random.nextInt(4)) {
            case 0 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 2 -> {
                int i = random.nextInt(b.length);
                b[i] = (byte) (b[i] + (random.nextBoolean() ? 1 : -1));
            }
            default -> {
                b = java.util.Arrays.copyOf(b, b.length + 1 + random.nextInt(4));
                b[b.length - 1] = (byte) random.nextInt(256);
            }
        }
        return b;
    }
}
