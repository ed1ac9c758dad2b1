package org.dtlsip.dtls.handshake.extension;

import static org.dtlsip.dtls.util.Hex.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.vectors.Rfc8448;
import org.dtlsip.dtls.vectors.TlsHellos;
import org.junit.jupiter.api.Test;

/** The TLS 1.3 extensions DTLS 1.3 uses, read from RFC 8448's hellos and round-tripped. */
class Tls13ExtensionsTest {

    @Test
    void clientHelloExtensionsOfRfc8448Section3() {
        List<Extension> exts = TlsHellos.clientHelloExtensions(Rfc8448.CH);
        KeyShareClientHello shares = KeyShareClientHello.from(Extensions.find(exts, ExtensionType.KEY_SHARE));
        assertEquals(1, shares.shares().size());
        KeyShareEntry x25519 = shares.shareFor(NamedGroup.X25519);
        assertArrayEquals(decode("4cfdfcd178b784bf328cae793b136f2aedce005ff183d7bb1495207236647037"), x25519.keyExchange());
        assertNull(shares.shareFor(NamedGroup.SECP256R1));
        assertFalse(shares.hasDuplicateGroups());

        SupportedVersions versions = SupportedVersions.from(Extensions.find(exts, ExtensionType.SUPPORTED_VERSIONS));
        assertEquals(List.of(0x0304), versions.versions());
        PskKeyExchangeModes modes = PskKeyExchangeModes.from(Extensions.find(exts, ExtensionType.PSK_KEY_EXCHANGE_MODES));
        assertTrue(modes.allows(PskKeyExchangeModes.PSK_DHE_KE));
        assertFalse(modes.allows(PskKeyExchangeModes.PSK_KE));
        SignatureAlgorithms algorithms = SignatureAlgorithms.from(Extensions.find(exts, ExtensionType.SIGNATURE_ALGORITHMS));
        assertTrue(algorithms.known().contains(SignatureScheme.RSA_PSS_RSAE_SHA256));

        for (Extension e : exts) {
            Extension again = switch (e.type()) {
                case ExtensionType.KEY_SHARE -> KeyShareClientHello.from(e).toExtension();
                case ExtensionType.SUPPORTED_VERSIONS -> SupportedVersions.from(e).toExtension();
                case ExtensionType.PSK_KEY_EXCHANGE_MODES -> PskKeyExchangeModes.from(e).toExtension();
                default -> e;
            };
            assertEquals(e, again, ExtensionType.name(e.type()));
        }
    }

    @Test
    void serverHelloExtensionsOfRfc8448Section3() {
        List<Extension> exts = TlsHellos.serverHelloExtensions(Rfc8448.SH);
        KeyShareServerHello share = KeyShareServerHello.from(Extensions.find(exts, ExtensionType.KEY_SHARE));
        assertEquals(NamedGroup.X25519, share.share().namedGroup());
        assertEquals(Extensions.find(exts, ExtensionType.KEY_SHARE), share.toExtension());
        SelectedVersion version = SelectedVersion.from(Extensions.find(exts, ExtensionType.SUPPORTED_VERSIONS));
        assertEquals(0x0304, version.version());
        assertEquals(Extensions.find(exts, ExtensionType.SUPPORTED_VERSIONS), version.toExtension());
    }

    /** RFC 8448 5: the HelloRetryRequest names P-256 and carries a cookie, which the retry echoes. */
    @Test
    void helloRetryRequestExtensionsOfRfc8448Section5() {
        List<Extension> exts = TlsHellos.serverHelloExtensions(Rfc8448.HRR);
        KeyShareHelloRetryRequest group = KeyShareHelloRetryRequest.from(Extensions.find(exts, ExtensionType.KEY_SHARE));
        assertEquals(NamedGroup.SECP256R1, group.namedGroup());
        assertEquals(Extensions.find(exts, ExtensionType.KEY_SHARE), KeyShareHelloRetryRequest.of(NamedGroup.SECP256R1).toExtension());
        Cookie cookie = Cookie.from(Extensions.find(exts, ExtensionType.COOKIE));
        assertEquals(0x72, cookie.cookie().length);

        List<Extension> retry = TlsHellos.clientHelloExtensions(Rfc8448.HRR_CH2);
        assertEquals(cookie, Cookie.from(Extensions.find(retry, ExtensionType.COOKIE)));
        KeyShareEntry p256 = KeyShareClientHello.from(Extensions.find(retry, ExtensionType.KEY_SHARE))
                .shareFor(NamedGroup.SECP256R1);
        assertEquals(65, p256.keyExchange().length);
    }

    /** RFC 8448 4: the resumed ClientHello's pre_shared_key, the last extension. */
    @Test
    void offeredPsksOfRfc8448Section4() {
        List<Extension> exts = TlsHellos.clientHelloExtensions(Rfc8448.RESUMED_CH_PREFIX + "002120" + Rfc8448.BINDER);
        Extension last = exts.get(exts.size() - 1);
        assertEquals(ExtensionType.PRE_SHARED_KEY, last.type());
        OfferedPsks psks = OfferedPsks.from(last);
        assertEquals(1, psks.identities().size());
        PskIdentity id = psks.identities().get(0);
        assertEquals(0xb2, id.identity().length);
        assertEquals(0x933d0937L, id.obfuscatedTicketAge());
        assertArrayEquals(decode(Rfc8448.BINDER), psks.binder(0));
        assertEquals(35, psks.bindersLength());
        assertTrue(psks.bindersMatchIdentities());
        assertEquals(last, psks.toExtension());

        OfferedPsks placeholder = OfferedPsks.withPlaceholderBinders(psks.identities(), 32);
        assertEquals(psks.toExtension().dataLength(), placeholder.toExtension().dataLength());
        assertEquals(psks, placeholder.withBinders(List.of(decode(Rfc8448.BINDER))));
        assertThrows(IllegalArgumentException.class, () -> placeholder.withBinders(List.of(new byte[48])));
    }

    /** RFC 8446 4.2.11.1: the age is hidden by adding ticket_age_add modulo 2^32. */
    @Test
    void obfuscatedTicketAgeWrapsModulo2To32() {
        PskIdentity id = PskIdentity.forTicket(new byte[] {1}, 5_000, 0xffff_f000L);
        assertEquals((5_000 + 0xffff_f000L) & 0xffff_ffffL, id.obfuscatedTicketAge());
        assertEquals(5_000, id.ticketAgeMillis(0xffff_f000L));
    }

    @Test
    void dtlsVersionsRoundTrip() {
        SupportedVersions offer = SupportedVersions.of(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
        assertArrayEquals(decode("04fefcfefd"), offer.toExtension().data());
        assertEquals(offer, SupportedVersions.from(offer.toExtension()));
        assertTrue(offer.offers(ProtocolVersion.DTLS_1_3));
        assertArrayEquals(decode("fefc"), new SelectedVersion(ProtocolVersion.DTLS_1_3).toExtension().data());
    }

    @Test
    void signatureAlgorithmsCertHasTheSameBody() {
        SignatureAlgorithms list = SignatureAlgorithms.of(SignatureScheme.ED25519, SignatureScheme.RSA_PKCS1_SHA256);
        Extension cert = list.toCertExtension();
        assertEquals(ExtensionType.SIGNATURE_ALGORITHMS_CERT, cert.type());
        assertArrayEquals(list.toExtension().data(), cert.data());
        assertEquals(list, SignatureAlgorithms.fromCert(cert));
        assertEquals(List.of(SignatureScheme.ED25519, SignatureScheme.RSA_PKCS1_SHA256), list.known());
    }

    @Test
    void earlyDataIsRecognisedInBothForms() {
        assertTrue(EarlyData.isIndication(new Extension(ExtensionType.EARLY_DATA, new byte[0])));
        assertEquals(0x400, EarlyData.maxEarlyDataSize(EarlyData.forTicket(0x400)));
        assertThrows(DecodeException.class,
                () -> EarlyData.maxEarlyDataSize(new Extension(ExtensionType.EARLY_DATA, new byte[3])));
    }

    @Test
    void malformedExtensionsAreDecodeErrors() {
        assertThrows(DecodeException.class, () -> KeyShareClientHello.from(ext(ExtensionType.KEY_SHARE, "0004001d0000")));
        assertThrows(DecodeException.class, () -> KeyShareClientHello.from(ext(ExtensionType.KEY_SHARE, "0005001d000201")));
        assertThrows(DecodeException.class, () -> KeyShareServerHello.from(ext(ExtensionType.KEY_SHARE, "001d00010102")));
        assertThrows(DecodeException.class, () -> KeyShareHelloRetryRequest.from(ext(ExtensionType.KEY_SHARE, "00")));
        assertThrows(DecodeException.class, () -> Cookie.from(ext(ExtensionType.COOKIE, "0000")));
        assertThrows(DecodeException.class, () -> Cookie.from(ext(ExtensionType.COOKIE, "000201")));
        assertThrows(DecodeException.class, () -> SupportedVersions.from(ext(ExtensionType.SUPPORTED_VERSIONS, "03fefcfe")));
        assertThrows(DecodeException.class, () -> SupportedVersions.from(ext(ExtensionType.SUPPORTED_VERSIONS, "00")));
        assertThrows(DecodeException.class, () -> SelectedVersion.from(ext(ExtensionType.SUPPORTED_VERSIONS, "fefcfe")));
        assertThrows(DecodeException.class, () -> PskKeyExchangeModes.from(ext(ExtensionType.PSK_KEY_EXCHANGE_MODES, "00")));
        // A binder of 31 bytes, and an identity list without identities.
        assertThrows(DecodeException.class, () -> OfferedPsks.from(ext(ExtensionType.PRE_SHARED_KEY,
                "0007" + "000101" + "00000000" + "0020" + "1f" + "00".repeat(31))));
        assertThrows(DecodeException.class, () -> OfferedPsks.from(ext(ExtensionType.PRE_SHARED_KEY,
                "0000" + "0021" + "20" + "00".repeat(32))));
        assertThrows(DecodeException.class, () -> SelectedPsk.from(ext(ExtensionType.PRE_SHARED_KEY, "000000")));
        assertEquals(3, SelectedPsk.from(ext(ExtensionType.PRE_SHARED_KEY, "0003")).selectedIdentity());
    }

    @Test
    void duplicateKeySharesAreReported() {
        KeyShareClientHello twice = new KeyShareClientHello(List.of(KeyShareEntry.of(NamedGroup.X25519, new byte[32]),
                KeyShareEntry.of(NamedGroup.X25519, new byte[32])));
        assertTrue(KeyShareClientHello.from(twice.toExtension()).hasDuplicateGroups());
        assertEquals(List.of(), KeyShareClientHello.from(ext(ExtensionType.KEY_SHARE, "0000")).shares());
    }

    private static Extension ext(int type, String hex) {
        return new Extension(type, decode(hex));
    }
}
