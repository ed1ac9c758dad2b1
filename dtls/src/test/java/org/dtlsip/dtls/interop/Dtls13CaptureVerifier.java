package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.crypto.EarlySecret;
import org.dtlsip.dtls.crypto.HandshakeSecret;
import org.dtlsip.dtls.crypto.MasterSecret;
import org.dtlsip.dtls.crypto.PrfHash;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficKeys;
import org.dtlsip.dtls.crypto.TrafficSecrets;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.handshake.extension.ConnectionId;
import org.dtlsip.dtls.handshake.extension.Cookie;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.KeyShareClientHello;
import org.dtlsip.dtls.handshake.extension.OfferedPsks;
import org.dtlsip.dtls.handshake.extension.SelectedVersion;
import org.dtlsip.dtls.handshake.extension.SupportedVersions;
import org.dtlsip.dtls.handshake.message.Certificate13;
import org.dtlsip.dtls.handshake.message.CertificateRequest13;
import org.dtlsip.dtls.handshake.message.CertificateVerify;
import org.dtlsip.dtls.handshake.message.CertificateVerifyContent;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.EncryptedExtensions;
import org.dtlsip.dtls.handshake.message.HelloRetryRequest;
import org.dtlsip.dtls.handshake.message.KeyUpdate;
import org.dtlsip.dtls.handshake.message.NewSessionTicket13;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Dtls13Record;
import org.dtlsip.dtls.record.Dtls13RecordCodec;
import org.dtlsip.dtls.record.Dtls13RecordLayer;
import org.dtlsip.dtls.record.Dtls13RecordProtection;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.util.ByteReader;

/**
 * Replays a captured DTLS 1.3 association through our own stack and checks it at every layer:
 * records are parsed and opened by {@link Dtls13RecordLayer} (unified header, record number
 * decryption, sequence number reconstruction, AEAD) with keys our key schedule derives from the
 * logged traffic secrets ("dtls13" labels); handshake messages are reassembled and decoded by our
 * codecs; the transcript ({@link Transcript13}, message_hash after a HelloRetryRequest) must
 * reproduce the peer's CertificateVerify signatures and Finished MACs; with a psk_ke PSK, whose
 * key schedule needs no ECDHE secret, every logged secret must equal ours and the binder must
 * verify. Assertion failures name the step.
 */
final class Dtls13CaptureVerifier {

    /** What the replay found, for the tests' own assertions. */
    static final class Report {
        Tls13CipherSuite suite;
        boolean helloRetryRequest;
        int cookieLength;
        byte[] clientConnectionId;
        byte[] serverConnectionId;
        final Map<Side, List<HandshakeType>> messages = new EnumMap<>(Side.class);
        final Map<Side, List<String>> applicationData = new EnumMap<>(Side.class);
        final Map<Side, List<Ack>> acks = new EnumMap<>(Side.class);
        final Map<Side, List<RecordNumber>> records = new EnumMap<>(Side.class);
        final Map<Side, List<Integer>> alerts = new EnumMap<>(Side.class);
        int certificateVerifies;
        int finishedVerified;
        int newSessionTickets;
        int keyUpdates;
        boolean binderVerified;
        boolean keyScheduleRecomputed;
        final List<DropReason> drops = new ArrayList<>();

        Report() {
            for (Side s : Side.values()) {
                messages.put(s, new ArrayList<>());
                applicationData.put(s, new ArrayList<>());
                acks.put(s, new ArrayList<>());
                records.put(s, new ArrayList<>());
                alerts.put(s, new ArrayList<>());
            }
        }

        /** Highest epoch a side sent a protected record in. */
        long highestEpoch(Side side) {
            return records.get(side).stream().mapToLong(RecordNumber::epoch).max().orElse(0);
        }
    }

    /** Who sent: the client or the server. */
    enum Side { CLIENT, SERVER }

    /** The records one side sent, read the way the other side reads them. */
    private static final class Flow {
        final Side sender;
        final Dtls13RecordLayer layer = new Dtls13RecordLayer();
        final Reassembler reassembler = new Reassembler(0, Reassembler.Limits.defaults());

        Flow(Side sender) {
            this.sender = sender;
        }
    }

    private final Dtls13Capture capture;
    private final byte[] externalPsk;
    private final Report report = new Report();
    private final Flow fromClient = new Flow(Side.CLIENT);
    private final Flow fromServer = new Flow(Side.SERVER);
    private final Transcript13 transcript = new Transcript13();
    private byte[] clientRandom;
    private Tls13Hkdf hkdf;
    private TrafficSecrets handshakeSecrets;
    private PublicKey serverKey;
    private PublicKey clientKey;
    private HandshakeSecret pskOnlyHandshakeSecret;

    private Dtls13CaptureVerifier(Dtls13Capture capture, byte[] externalPsk) {
        this.capture = capture;
        this.externalPsk = externalPsk;
    }

    /**
     * @param externalPsk the external PSK both sides used, or null; with it the binder is checked,
     *     and with psk_ke the whole key schedule is recomputed and compared with the key log
     */
    static Report verify(Dtls13Capture capture, byte[] externalPsk) {
        Dtls13CaptureVerifier v = new Dtls13CaptureVerifier(capture, externalPsk);
        for (Dtls13Capture.Datagram d : capture.datagrams()) {
            v.datagram(d.fromClient() ? v.fromClient : v.fromServer, d.payload());
        }
        return v.report;
    }

    private void datagram(Flow flow, byte[] payload) {
        Dtls13RecordCodec.Parsed parsed = Dtls13RecordCodec.parse(payload, 0, payload.length,
                flow.layer.localConnectionIdLength());
        assertTrue(!parsed.malformedTail(), flow.sender + " sent a datagram our parser cannot delimit");
        for (Dtls13Record record : parsed.records()) {
            Dtls13RecordLayer.Result result = flow.layer.open(record);
            if (result instanceof Dtls13RecordLayer.Dropped dropped) {
                report.drops.add(dropped.reason());
                continue;
            }
            Dtls13RecordLayer.Opened opened = (Dtls13RecordLayer.Opened) result;
            report.records.get(flow.sender).add(opened.number());
            byte[] content = opened.content();
            switch (ContentType.of(opened.contentType())) {
                case HANDSHAKE -> handshake(flow, content);
                case ACK -> report.acks.get(flow.sender).add(Ack.decode(content));
                case APPLICATION_DATA -> report.applicationData.get(flow.sender)
                        .add(new String(content, StandardCharsets.UTF_8));
                case ALERT -> report.alerts.get(flow.sender).add((content[0] & 0xff) << 8 | (content[1] & 0xff));
                default -> throw new AssertionError(flow.sender + " sent content type " + opened.contentType());
            }
        }
    }

    private void handshake(Flow flow, byte[] content) {
        ByteReader r = new ByteReader(content);
        while (r.hasRemaining()) {
            flow.reassembler.offer(HandshakeFragment.decode(r));
            HandshakeMessage m;
            while ((m = flow.reassembler.poll()) != null) {
                report.messages.get(flow.sender).add(m.type());
                message(flow.sender, m);
            }
        }
    }

    private void message(Side sender, HandshakeMessage m) {
        byte[] body = m.body();
        switch (m.type()) {
            case CLIENT_HELLO -> clientHello(m);
            case SERVER_HELLO -> serverHello(m);
            case ENCRYPTED_EXTENSIONS -> {
                EncryptedExtensions ee = EncryptedExtensions.decode(body);
                serverConnectionId(ee.extension(ExtensionType.CONNECTION_ID));
                transcript.add(m);
            }
            case CERTIFICATE_REQUEST -> {
                CertificateRequest13.decode(body);
                transcript.add(m);
            }
            case CERTIFICATE -> {
                Certificate13 certificate = Certificate13.decode(body);
                PublicKey key = certificate.isEmpty() ? null : parse(certificate.certificates().get(0)).getPublicKey();
                if (sender == Side.SERVER) {
                    serverKey = key;
                } else {
                    clientKey = key;
                }
                transcript.add(m);
            }
            case CERTIFICATE_VERIFY -> {
                CertificateVerify cv = CertificateVerify.decode(body);
                SignatureScheme scheme = SignatureScheme.of(cv.signatureScheme());
                PublicKey key = sender == Side.SERVER ? serverKey : clientKey;
                assertNotNull(scheme, "CertificateVerify scheme " + cv.signatureScheme());
                assertTrue(Signatures.fitsTls13(scheme, key), scheme + " does not fit the certificate key");
                byte[] signed = CertificateVerifyContent.of(sender == Side.SERVER, transcript.hash(hkdf.hash()));
                assertTrue(Signatures.verify(scheme, key, signed, cv.signature()),
                        sender + " CertificateVerify does not verify over our transcript");
                report.certificateVerifies++;
                transcript.add(m);
            }
            case FINISHED -> finished(sender, m);
            case NEW_SESSION_TICKET -> {
                NewSessionTicket13 ticket = NewSessionTicket13.decode(body);
                assertTrue(ticket.lifetime() <= NewSessionTicket13.MAX_LIFETIME_SECONDS);
                report.newSessionTickets++;
            }
            case KEY_UPDATE -> {
                assertTrue(KeyUpdate.decode(body).isValid());
                report.keyUpdates++;
            }
            default -> throw new AssertionError(sender + " sent " + m.type());
        }
    }

    private void clientHello(HandshakeMessage m) {
        ClientHello hello = ClientHello.decode(m.body());
        assertEquals(ProtocolVersion.DTLS_1_2, hello.clientVersion(), "DTLS 1.3 ClientHello legacy_version");
        assertEquals(0, hello.cookie().length, "RFC 9147 5.3: legacy_cookie is empty");
        assertTrue(SupportedVersions.from(hello.extension(ExtensionType.SUPPORTED_VERSIONS)).offers(ProtocolVersion.DTLS_1_3));
        if (hello.extension(ExtensionType.KEY_SHARE) != null) {
            KeyShareClientHello.from(hello.extension(ExtensionType.KEY_SHARE));
        }
        Extension cid = hello.extension(ExtensionType.CONNECTION_ID);
        if (cid != null) {
            report.clientConnectionId = ConnectionId.from(cid).cid();
            fromServer.layer.useConnectionIds(report.clientConnectionId, new byte[0]);
        }
        if (clientRandom == null) {
            clientRandom = hello.random();
        } else {
            assertArrayEquals(clientRandom, hello.random(), "RFC 8446 4.1.2: the second ClientHello keeps the random");
            Extension cookie = hello.extension(ExtensionType.COOKIE);
            assertEquals(report.cookieLength, cookie == null ? 0 : Cookie.from(cookie).cookie().length,
                    "RFC 8446 4.2.2: the retry echoes the cookie");
        }
        Extension psk = hello.extension(ExtensionType.PRE_SHARED_KEY);
        if (psk != null && externalPsk != null) {
            binder(m, OfferedPsks.from(psk));
        }
        transcript.add(m);
    }

    /**
     * RFC 8446 4.2.11.2: the binder over the transcript up to the truncated ClientHello. wolfSSL's
     * external PSK is for TLS_AES_128_GCM_SHA256, so SHA-256, known before the server answers.
     */
    private void binder(HandshakeMessage clientHello, OfferedPsks offered) {
        Tls13Hkdf pskHkdf = Tls13Hkdf.dtls13(PrfHash.SHA256);
        byte[] truncated = transcript.hashWithTruncatedClientHello(PrfHash.SHA256, clientHello, offered.bindersLength());
        assertArrayEquals(EarlySecret.fromPsk(pskHkdf, externalPsk).binder(true, truncated), offered.binder(0),
                "PSK binder (\"ext binder\", truncated ClientHello)");
        report.binderVerified = true;
    }

    private void serverHello(HandshakeMessage m) {
        ServerHello hello = ServerHello.decode(m.body());
        assertEquals(ProtocolVersion.DTLS_1_2, hello.serverVersion());
        assertEquals(ProtocolVersion.DTLS_1_3, SelectedVersion.from(hello.extension(ExtensionType.SUPPORTED_VERSIONS)).version());
        assertEquals(0, hello.sessionId().length, "RFC 9147 5: no legacy_session_id echo");
        report.suite = Tls13CipherSuite.of(hello.cipherSuite());
        assertNotNull(report.suite, "suite " + hello.cipherSuite());
        hkdf = Tls13Hkdf.dtls13(report.suite.hash);
        if (HelloRetryRequest.isHelloRetryRequest(hello)) {
            report.helloRetryRequest = true;
            Extension cookie = hello.extension(ExtensionType.COOKIE);
            report.cookieLength = cookie == null ? 0 : Cookie.from(cookie).cookie().length;
            transcript.replaceClientHelloWithMessageHash(report.suite.hash);
            transcript.add(m);
            return;
        }
        serverConnectionId(hello.extension(ExtensionType.CONNECTION_ID));
        transcript.add(m);
        byte[] helloHash = transcript.hash(report.suite.hash);
        handshakeSecrets = new TrafficSecrets(capture.secret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientRandom),
                capture.secret("SERVER_HANDSHAKE_TRAFFIC_SECRET", clientRandom));
        if (externalPsk != null && hello.extension(ExtensionType.KEY_SHARE) == null) {
            // psk_ke: no ECDHE, so the whole schedule follows from the PSK (RFC 8446 7.1).
            pskOnlyHandshakeSecret = EarlySecret.fromPsk(hkdf, externalPsk).handshakeSecret(null);
            assertEquals(handshakeSecrets, pskOnlyHandshakeSecret.trafficSecrets(helloHash),
                    "our handshake traffic secrets against wolfSSL's key log");
        }
        byte[] clientAp = capture.secret("CLIENT_TRAFFIC_SECRET_0", clientRandom);
        byte[] serverAp = capture.secret("SERVER_TRAFFIC_SECRET_0", clientRandom);
        install(fromClient, 2, handshakeSecrets.client());
        install(fromServer, 2, handshakeSecrets.server());
        install(fromClient, 3, clientAp);
        install(fromServer, 3, serverAp);
        // A KeyUpdate moves to epoch 4 with the next secret (RFC 8446 7.2, RFC 9147 8).
        install(fromClient, 4, hkdf.nextTrafficSecret(clientAp));
        install(fromServer, 4, hkdf.nextTrafficSecret(serverAp));
    }

    private void install(Flow flow, long epoch, byte[] secret) {
        flow.layer.installReadEpoch(epoch, Dtls13RecordProtection.forReading(TrafficKeys.derive(hkdf, report.suite, secret)));
    }

    private void serverConnectionId(Extension e) {
        if (e != null) {
            report.serverConnectionId = ConnectionId.from(e).cid();
            fromClient.layer.useConnectionIds(report.serverConnectionId, new byte[0]);
        }
    }

    private void finished(Side sender, HandshakeMessage m) {
        byte[] base = sender == Side.SERVER ? handshakeSecrets.server() : handshakeSecrets.client();
        assertArrayEquals(hkdf.verifyData(base, transcript.hash(hkdf.hash())), m.body(),
                sender + " Finished against our transcript and finished_key");
        report.finishedVerified++;
        transcript.add(m);
        if (sender == Side.SERVER && pskOnlyHandshakeSecret != null) {
            byte[] serverFinishedHash = transcript.hash(hkdf.hash());
            MasterSecret master = pskOnlyHandshakeSecret.masterSecret();
            assertEquals(new TrafficSecrets(capture.secret("CLIENT_TRAFFIC_SECRET_0", clientRandom),
                    capture.secret("SERVER_TRAFFIC_SECRET_0", clientRandom)),
                    master.applicationTrafficSecrets(serverFinishedHash), "application traffic secrets");
            assertArrayEquals(capture.secret("EXPORTER_SECRET", clientRandom),
                    master.exporterMasterSecret(serverFinishedHash), "exporter master secret");
            report.keyScheduleRecomputed = true;
        }
    }

    private static X509Certificate parse(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("certificate does not parse", e);
        }
    }
}
