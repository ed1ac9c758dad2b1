package org.dtlsip.dtls.handshake.message;

import static org.dtlsip.dtls.util.Hex.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.crypto.PrfHash;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.handshake.extension.EarlyData;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.SignatureAlgorithms;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.vectors.Rfc8448;
import org.dtlsip.dtls.vectors.TlsHellos;
import org.junit.jupiter.api.Test;

/** TLS 1.3 message codecs on RFC 8448's messages, and the DTLS 1.3 helpers around them. */
class Tls13MessagesTest {

    @Test
    void encryptedExtensionsOfRfc8448() {
        byte[] body = TlsHellos.body(Rfc8448.EE);
        EncryptedExtensions ee = EncryptedExtensions.decode(body);
        assertEquals(3, ee.extensions().size());
        assertTrue(ee.extension(ExtensionType.SUPPORTED_GROUPS) != null);
        assertTrue(ee.extension(ExtensionType.RECORD_SIZE_LIMIT) != null);
        assertEquals(0, ee.extension(ExtensionType.SERVER_NAME).dataLength());
        assertArrayEquals(body, ee.encode());
        assertArrayEquals(new byte[] {0, 0}, new EncryptedExtensions(List.of()).encode());
        assertThrows(DecodeException.class, () -> EncryptedExtensions.decode(new byte[0]));
        assertThrows(DecodeException.class, () -> EncryptedExtensions.decode(decode("0008000a0000000a0000")));
    }

    /**
     * RFC 8448 3: the Certificate decodes, and the server's CertificateVerify verifies with the
     * certificate's key over 64 spaces, the context string, 0 and the transcript hash.
     */
    @Test
    void certificateAndCertificateVerifyOfRfc8448() throws Exception {
        byte[] certBody = TlsHellos.body(Rfc8448.CERT);
        Certificate13 certificate = Certificate13.decode(certBody);
        assertEquals(0, certificate.requestContext().length);
        assertEquals(1, certificate.entries().size());
        assertEquals(List.of(), certificate.entries().get(0).extensions());
        assertArrayEquals(certBody, certificate.encode());
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.certificates().get(0)));
        assertEquals("CN=rsa", x509.getSubjectX500Principal().getName());

        CertificateVerify cv = CertificateVerify.decode(TlsHellos.body(Rfc8448.CV));
        assertEquals(SignatureScheme.RSA_PSS_RSAE_SHA256, SignatureScheme.of(cv.signatureScheme()));
        Transcript13 transcript = new Transcript13();
        for (String m : new String[] {Rfc8448.CH, Rfc8448.SH, Rfc8448.EE, Rfc8448.CERT}) {
            transcript.add(message(m));
        }
        byte[] hash = transcript.hash(PrfHash.SHA256);
        assertTrue(Signatures.fitsTls13(SignatureScheme.RSA_PSS_RSAE_SHA256, x509.getPublicKey()));
        assertTrue(Signatures.verify(SignatureScheme.RSA_PSS_RSAE_SHA256, x509.getPublicKey(),
                CertificateVerifyContent.of(true, hash), cv.signature()));
        assertFalse(Signatures.verify(SignatureScheme.RSA_PSS_RSAE_SHA256, x509.getPublicKey(),
                CertificateVerifyContent.of(false, hash), cv.signature()));
    }

    @Test
    void certificateVerifyContentLayout() {
        byte[] content = CertificateVerifyContent.of(false, new byte[] {1, 2});
        assertEquals(64 + 33 + 1 + 2, content.length);
        assertEquals(0x20, content[63]);
        assertEquals("TLS 1.3, client CertificateVerify", new String(content, 64, 33, java.nio.charset.StandardCharsets.US_ASCII));
        assertArrayEquals(new byte[] {0, 1, 2}, Arrays.copyOfRange(content, 97, 100));
    }

    @Test
    void certificateEntriesCarryExtensionsAndAnEmptyListIsLegal() {
        Certificate13 withContext = new Certificate13(new byte[] {7},
                List.of(new CertificateEntry(new byte[] {0x30, 0}, List.of(new Extension(ExtensionType.STATUS_REQUEST, new byte[] {1})))));
        assertEquals(withContext, Certificate13.decode(withContext.encode()));
        Certificate13 empty = Certificate13.of(List.of());
        assertArrayEquals(new byte[] {0, 0, 0, 0}, empty.encode());
        assertTrue(Certificate13.decode(empty.encode()).isEmpty());
        assertThrows(DecodeException.class, () -> Certificate13.decode(decode("00000005000000" + "0000")));
        assertThrows(DecodeException.class, () -> Certificate13.decode(decode("0000000400000130")));
    }

    @Test
    void newSessionTicketOfRfc8448() {
        byte[] body = TlsHellos.body(Rfc8448.NST);
        NewSessionTicket13 ticket = NewSessionTicket13.decode(body);
        assertEquals(30, ticket.lifetime());
        assertArrayEquals(new byte[2], ticket.nonce());
        assertEquals(0xb2, ticket.ticket().length);
        assertEquals(0x400, EarlyData.maxEarlyDataSize(ticket.extension(ExtensionType.EARLY_DATA)));
        assertArrayEquals(body, ticket.encode());
        assertEquals(HandshakeType.NEW_SESSION_TICKET, ticket.type());
        assertThrows(DecodeException.class, () -> NewSessionTicket13.decode(decode("0000001e" + "00000001" + "00" + "0000" + "0000")));
    }

    @Test
    void certificateRequestRoundTrips() {
        CertificateRequest13 request = new CertificateRequest13(new byte[0],
                List.of(SignatureAlgorithms.of(SignatureScheme.ECDSA_SECP256R1_SHA256, SignatureScheme.ED25519).toExtension()));
        CertificateRequest13 decoded = CertificateRequest13.decode(request.encode());
        assertEquals(request, decoded);
        assertEquals(2, SignatureAlgorithms.from(decoded.extension(ExtensionType.SIGNATURE_ALGORITHMS)).known().size());
        assertThrows(DecodeException.class, () -> CertificateRequest13.decode(decode("00")));
    }

    @Test
    void keyUpdateKeepsUnknownValuesForIllegalParameter() {
        assertTrue(KeyUpdate.decode(new byte[] {1}).updateRequested());
        assertFalse(KeyUpdate.decode(new byte[] {0}).updateRequested());
        assertFalse(KeyUpdate.decode(new byte[] {2}).isValid());
        assertArrayEquals(new byte[] {1}, KeyUpdate.requested(true).encode());
        assertThrows(DecodeException.class, () -> KeyUpdate.decode(new byte[] {0, 0}));
        assertThrows(DecodeException.class, () -> KeyUpdate.decode(new byte[0]));
    }

    /** RFC 8446 4.1.3: a HelloRetryRequest is a ServerHello with SHA-256("HelloRetryRequest") as random. */
    @Test
    void helloRetryRequestIsRecognisedByItsRandom() {
        ServerHello hrr = ServerHello.decode(TlsHellos.body(Rfc8448.HRR));
        assertTrue(HelloRetryRequest.isHelloRetryRequest(hrr));
        assertFalse(HelloRetryRequest.isHelloRetryRequest(ServerHello.decode(TlsHellos.body(Rfc8448.HRR_SH))));
        ServerHello ours = HelloRetryRequest.create(0x1301, new byte[0], List.of());
        assertTrue(HelloRetryRequest.isHelloRetryRequest(ServerHello.decode(ours.encode())));
        assertEquals(ProtocolVersion.DTLS_1_2, ours.serverVersion());
    }

    @Test
    void downgradeSentinels() {
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 0x44);
        assertNull(DowngradeSentinel.find(random));
        DowngradeSentinel.forNegotiated(ProtocolVersion.DTLS_1_2).writeInto(random);
        assertArrayEquals(decode("444f574e47524401"), Arrays.copyOfRange(random, 24, 32));
        assertEquals(DowngradeSentinel.DTLS_1_2, DowngradeSentinel.find(random));
        assertNull(DowngradeSentinel.forNegotiated(ProtocolVersion.DTLS_1_3));
        assertEquals(DowngradeSentinel.DTLS_1_0, DowngradeSentinel.forNegotiated(ProtocolVersion.DTLS_1_0));
    }

    private static HandshakeMessage message(String hex) {
        byte[] m = decode(hex);
        return new HandshakeMessage(HandshakeType.of(m[0] & 0xff), 0, Arrays.copyOfRange(m, 4, m.length));
    }
}
