package org.dtlsip.dtls.engine;

import static org.dtlsip.dtls.engine.Dtls13Acceptance.Phase.ESTABLISHED;
import static org.dtlsip.dtls.engine.Dtls13Acceptance.Phase.HANDSHAKE;
import static org.dtlsip.dtls.engine.Dtls13Acceptance.Phase.HELLO;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.EarlySecret;
import org.dtlsip.dtls.crypto.EphemeralKeyPair;
import org.dtlsip.dtls.crypto.HandshakeSecret;
import org.dtlsip.dtls.crypto.KeyUsagePolicy;
import org.dtlsip.dtls.crypto.MasterSecret;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerCertificateCheck;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficSecrets;
import org.dtlsip.dtls.crypto.VerificationKeyCache;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.handshake.extension.ApplicationLayerProtocols;
import org.dtlsip.dtls.handshake.extension.Cookie;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.KeyShareClientHello;
import org.dtlsip.dtls.handshake.extension.KeyShareEntry;
import org.dtlsip.dtls.handshake.extension.KeyShareHelloRetryRequest;
import org.dtlsip.dtls.handshake.extension.KeyShareServerHello;
import org.dtlsip.dtls.handshake.extension.SelectedPsk;
import org.dtlsip.dtls.handshake.extension.SelectedVersion;
import org.dtlsip.dtls.handshake.extension.SignatureAlgorithms;
import org.dtlsip.dtls.handshake.extension.Tls13ExtensionRules;
import org.dtlsip.dtls.handshake.message.Certificate13;
import org.dtlsip.dtls.handshake.message.CertificateMessage;
import org.dtlsip.dtls.handshake.message.CertificateRequest13;
import org.dtlsip.dtls.handshake.message.CertificateVerify;
import org.dtlsip.dtls.handshake.message.CertificateVerifyContent;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.EncryptedExtensions;
import org.dtlsip.dtls.handshake.message.HelloRetryRequest;
import org.dtlsip.dtls.handshake.message.NewSessionTicket13;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The client side of a full DTLS 1.3 handshake (RFC 8446 2 with RFC 9147 5), one typed state
 * per expected message, each holding only what it needs:
 * <pre>
 *   ClientHello (from the DTLS 1.2 client, which offered both) -&gt;
 *                          &lt;-  [HelloRetryRequest]           ExpectServerHello (once)
 *   [ClientHello + cookie/key share] -&gt;
 *                          &lt;-  ServerHello                   ExpectServerHello
 *                          &lt;-  {EncryptedExtensions}         ExpectEncryptedExtensions
 *                          &lt;-  {[CertificateRequest]}        ExpectCertificateOrRequest
 *                          &lt;-  {Certificate}                 ExpectCertificate
 *                          &lt;-  {CertificateVerify}           ExpectCertificateVerify
 *                          &lt;-  {Finished}                    ExpectFinished
 *   {[Certificate, CertificateVerify]}, {Finished} -&gt;         (until ACKed, RFC 9147 5.8.4)
 *                          &lt;-  [NewSessionTicket]            Connected
 * </pre>
 * {@code {}} are epoch 2 (handshake traffic keys), application data is epoch 3. The server's
 * identity is checked with the same {@link PeerCertificateCheck} as in DTLS 1.2.
 */
final class Tls13Client {
    private Tls13Client() {
    }

    /**
     * The state after our ClientHello: {@code shares} are the key shares it carried (one, of the
     * first configured group).
     */
    static Dtls13Association.State expectServerHello(Dtls13Association a, ClientHello hello, HandshakeMessage helloMessage,
            EphemeralKeyPair share) {
        return new ExpectServerHello(a, hello, helloMessage, share, null, null);
    }

    /** Every state's tables by state name, for the conformance tests. */
    static java.util.Map<String, Acceptance> tables() {
        java.util.Map<String, Acceptance> t = new java.util.LinkedHashMap<>();
        t.put("EXPECT_SERVER_HELLO", ExpectServerHello.FIRST);
        t.put("EXPECT_ENCRYPTED_EXTENSIONS", ExpectEncryptedExtensions.TABLE);
        t.put("EXPECT_CERTIFICATE_OR_REQUEST", ExpectCertificateOrRequest.TABLE);
        t.put("EXPECT_CERTIFICATE", ExpectCertificate.TABLE);
        t.put("EXPECT_CERTIFICATE_VERIFY", ExpectCertificateVerify.TABLE);
        t.put("EXPECT_FINISHED", ExpectFinished.TABLE);
        t.put("CONNECTED", Connected.TABLE);
        t.put("CONNECTED_UPDATED", Connected.UPDATED);
        return t;
    }

    /** What every state after the ServerHello shares: the negotiated suite and the key schedule so far. */
    private record Negotiated(Dtls13Association a, Tls13CipherSuite suite, Tls13Hkdf hkdf, NamedGroup group,
            HandshakeSecret handshakeSecret, TrafficSecrets handshakeTraffic, Transcript13 transcript, ClientHello hello,
            byte[] serverRandom, List<String> keyLog, Tls13Ticket resumedWith) {
        DtlsConfig config() {
            return a.config();
        }

        byte[] hash() {
            return transcript.hash(suite.hash);
        }
    }

    private static HandshakeFailure illegal(String why) {
        return new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, why);
    }

    /**
     * The server took up the connection ID our ClientHello offered (RFC 9147 9, RFC 9146 3):
     * its value is the ID our records to it carry from epoch 2 on, and ours is in its records.
     * Only once, and only if it leaves room for a handshake fragment in our PMTU (the server
     * chooses it, up to 255 bytes).
     */
    private static void agreeConnectionId(Dtls13Association a, Extension e, Tls13CipherSuite suite) {
        if (e == null) {
            return;
        }
        if (a.agreedPeerConnectionId() != null) {
            throw illegal("connection_id in both the ServerHello and EncryptedExtensions (RFC 8446 4.2)");
        }
        byte[] serverCid;
        try {
            serverCid = org.dtlsip.dtls.handshake.extension.ConnectionId.from(e).cid();
        } catch (org.dtlsip.dtls.util.DecodeException bad) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed connection_id: " + bad.getMessage());
        }
        int overhead = Dtls13Association.overheadWithConnectionId(suite, serverCid.length);
        if (a.pmtu() - overhead - org.dtlsip.dtls.handshake.HandshakeFragment.HEADER_LENGTH < 1) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "the server's connection ID of "
                    + serverCid.length + " bytes makes our records take " + overhead + " bytes of overhead, which leaves "
                    + "no room for a handshake fragment in PMTU " + a.pmtu() + "; raise the PMTU or do not offer connection IDs");
        }
        a.useConnectionIds(serverCid);
    }

    static String keyLogLine(String label, byte[] clientRandom, byte[] secret) {
        return label + " " + org.dtlsip.dtls.util.Hex.encode(clientRandom) + " " + org.dtlsip.dtls.util.Hex.encode(secret);
    }

    /** Waits for the ServerHello or, once, a HelloRetryRequest (RFC 8446 4.1.3, 4.1.4). */
    private record ExpectServerHello(Dtls13Association a, ClientHello hello, HandshakeMessage helloMessage,
            EphemeralKeyPair share, Transcript13 retryTranscript, Tls13CipherSuite retrySuite)
            implements Dtls13Association.State {
        private static final Acceptance FIRST = Dtls13Acceptance.of(HELLO, "RFC 8446 4.1.3, 4.1.4", HandshakeType.SERVER_HELLO);

        @Override
        public Acceptance acceptance() {
            return FIRST;
        }

        @Override
        public String name() {
            return retrySuite == null ? "EXPECT_SERVER_HELLO" : "EXPECT_SERVER_HELLO_AFTER_RETRY";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            ServerHello sh = Handshake.decode(message, ServerHello::decode);
            Extension sv = sh.extension(ExtensionType.SUPPORTED_VERSIONS);
            if (sv == null || SelectedVersion.from(sv).version() != ProtocolVersion.DTLS_1_3) {
                // RFC 8446 4.1.4: the version a HelloRetryRequest chose must stay.
                throw illegal("ServerHello after a DTLS 1.3 HelloRetryRequest does not select DTLS 1.3");
            }
            if (sh.serverVersion() != ProtocolVersion.DTLS_1_2) {
                // RFC 9147 5.3: legacy_version is {254, 253} in a DTLS 1.3 ServerHello.
                throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                        "DTLS 1.3 ServerHello with legacy_version " + ProtocolVersion.name(sh.serverVersion()));
            }
            Tls13CipherSuite suite = Tls13CipherSuite.of(sh.cipherSuite());
            if (suite == null || !a.config().tls13CipherSuites().contains(suite)) {
                throw illegal(String.format("server chose cipher suite 0x%04x, which we did not offer", sh.cipherSuite()));
            }
            if (retrySuite != null && suite != retrySuite) {
                throw illegal("ServerHello chose " + suite + " after the HelloRetryRequest chose " + retrySuite
                        + " (RFC 8446 4.1.4)");
            }
            if (!java.util.Arrays.equals(sh.sessionId(), hello.sessionId())) {
                throw illegal("legacy_session_id_echo differs from our legacy_session_id (RFC 8446 4.1.3)");
            }
            if (sh.compressionMethod() != 0) {
                throw illegal("legacy_compression_method " + sh.compressionMethod() + " (RFC 8446 4.1.3)");
            }
            for (Extension e : sh.extensions()) {
                // RFC 8446 4.1.3/4.2: only extensions we offered, and only those allowed in a ServerHello.
                // The cookie is the one a HelloRetryRequest may send unasked (RFC 8446 4.2.2).
                boolean retryCookie = e.type() == ExtensionType.COOKIE && HelloRetryRequest.isHelloRetryRequest(sh);
                if (!retryCookie && Extensions.find(hello.extensions(), e.type()) == null) {
                    throw new HandshakeFailure(AlertDescription.UNSUPPORTED_EXTENSION,
                            "server sent unsolicited extension " + ExtensionType.name(e.type()));
                }
                boolean retry = HelloRetryRequest.isHelloRetryRequest(sh);
                if (retry ? !Tls13ExtensionRules.inHelloRetryRequest(e.type()) : !Tls13ExtensionRules.inServerHello(e.type())) {
                    throw illegal(ExtensionType.name(e.type()) + " is not allowed in a DTLS 1.3 "
                            + (retry ? "HelloRetryRequest" : "ServerHello") + " (RFC 8446 4.2)");
                }
            }
            if (HelloRetryRequest.isHelloRetryRequest(sh)) {
                return onHelloRetryRequest(sh, message, suite, now);
            }
            Extension ks = sh.extension(ExtensionType.KEY_SHARE);
            if (ks == null) {
                throw new HandshakeFailure(AlertDescription.MISSING_EXTENSION, "ServerHello without key_share (RFC 8446 4.2.8)");
            }
            KeyShareEntry entry = KeyShareServerHello.from(ks).share();
            if (entry.group() != share.group().code) {
                throw illegal("server's key share is for group " + entry.group() + ", not the " + share.group().rfcName
                        + " we offered (RFC 8446 4.2.8)");
            }
            byte[] shared;
            try {
                shared = share.agree(entry.keyExchange());
            } catch (GeneralSecurityException e) {
                throw illegal("server's " + share.group().rfcName + " key share is invalid: " + e.getMessage());
            }
            Transcript13 transcript = retryTranscript;
            if (transcript == null) {
                transcript = new Transcript13();
                transcript.add(helloMessage);
            }
            transcript.add(message);
            Tls13Hkdf hkdf = Tls13Hkdf.dtls13(suite.hash);
            Tls13Ticket resumedWith = selectedTicket(sh, suite);
            byte[] psk = resumedWith == null ? null : resumedWith.state().psk();
            EarlySecret early = psk == null ? EarlySecret.withoutPsk(hkdf) : EarlySecret.fromPsk(hkdf, psk);
            if (psk != null) {
                java.util.Arrays.fill(psk, (byte) 0);
            }
            HandshakeSecret hs = early.handshakeSecret(shared);
            early.destroy();
            java.util.Arrays.fill(shared, (byte) 0);
            TrafficSecrets traffic = hs.trafficSecrets(transcript.hash(suite.hash));
            agreeConnectionId(a, sh.extension(ExtensionType.CONNECTION_ID), suite);
            Tls13ReturnRoutability.accept(a, sh.extension(ExtensionType.RRC));
            // RFC 9147 6.1: epoch 2 protects the rest of the handshake in both directions.
            a.installReadEpoch(2, hkdf, suite, traffic.server());
            a.installWriteEpoch(2, hkdf, suite, traffic.client());
            List<String> keyLog = new ArrayList<>();
            keyLog.add(keyLogLine("CLIENT_HANDSHAKE_TRAFFIC_SECRET", hello.random(), traffic.client()));
            keyLog.add(keyLogLine("SERVER_HANDSHAKE_TRAFFIC_SECRET", hello.random(), traffic.server()));
            return new ExpectEncryptedExtensions(new Negotiated(a, suite, hkdf, share.group(), hs, traffic, transcript, hello,
                    sh.random(), keyLog, resumedWith));
        }

        /**
         * RFC 8446 4.2.11: the server took up our ticket (we offer one, so index 0) for a suite
         * with the ticket's hash; {@code null} when the ServerHello selected none.
         */
        private Tls13Ticket selectedTicket(ServerHello sh, Tls13CipherSuite suite) {
            Extension selected = sh.extension(ExtensionType.PRE_SHARED_KEY);
            if (selected == null) {
                return null;
            }
            int index = SelectedPsk.from(selected).selectedIdentity();
            if (index != 0) {
                throw illegal("the server selected PSK identity " + index + " of the one we offered (RFC 8446 4.2.11)");
            }
            Tls13Ticket ticket = a.config().resumeSession().tls13();
            if (ticket.state().suite().hash != suite.hash) {
                throw illegal("the server resumed with " + suite + ", whose hash is not the ticket's (RFC 8446 4.2.11)");
            }
            return ticket;
        }

        /** RFC 8446 4.1.4: at most one retry, which must change something; RFC 9147 5.1 for the cookie. */
        private Dtls13Association.State onHelloRetryRequest(ServerHello hrr, HandshakeMessage message, Tls13CipherSuite suite,
                long now) {
            if (retrySuite != null) {
                throw new HandshakeFailure(AlertDescription.UNEXPECTED_MESSAGE, "a second HelloRetryRequest (RFC 8446 4.1.4)");
            }
            List<Extension> exts = new ArrayList<>();
            EphemeralKeyPair newShare = share;
            Extension ks = hrr.extension(ExtensionType.KEY_SHARE);
            if (ks != null) {
                NamedGroup group = KeyShareHelloRetryRequest.from(ks).namedGroup();
                if (group == null || !a.config().namedGroups().contains(group)) {
                    throw illegal("HelloRetryRequest asks for a group we did not offer (RFC 8446 4.2.8)");
                }
                if (group == share.group()) {
                    throw illegal("HelloRetryRequest asks for the group we already sent a share for (RFC 8446 4.2.8)");
                }
                newShare = EphemeralKeyPair.generate(group, a.config().random());
            }
            Extension cookie = hrr.extension(ExtensionType.COOKIE);
            if (ks == null && cookie == null) {
                throw illegal("HelloRetryRequest that would not change the ClientHello (RFC 8446 4.1.4)");
            }
            for (Extension e : hello.extensions()) {
                switch (e.type()) {
                    case ExtensionType.KEY_SHARE -> exts.add(new KeyShareClientHello(
                            List.of(KeyShareEntry.of(newShare.group(), newShare.publicValue()))).toExtension());
                    case ExtensionType.COOKIE, ExtensionType.PRE_SHARED_KEY, ExtensionType.PSK_KEY_EXCHANGE_MODES -> {
                        // replaced below
                    }
                    default -> exts.add(e);
                }
            }
            if (cookie != null) {
                exts.add(new Cookie(Cookie.from(cookie).cookie()).toExtension());
            }
            ClientHello retry = new ClientHello(hello.clientVersion(), hello.random(), hello.sessionId(), new byte[0],
                    hello.cipherSuites(), hello.compressionMethods(), exts);
            // RFC 8446 4.4.1: ClientHello1 is replaced by message_hash in the transcript.
            Transcript13 transcript = new Transcript13();
            transcript.add(helloMessage);
            transcript.replaceClientHelloWithMessageHash(suite.hash);
            transcript.add(message);
            if (Extensions.find(hello.extensions(), ExtensionType.PRE_SHARED_KEY) != null) {
                // RFC 8446 4.1.4, 4.2.11.2: the ticket again, bound to the new transcript, if
                // the suite the server chose has its hash; otherwise no PSK.
                Tls13Ticket ticket = a.config().resumeSession().tls13();
                retry = ticket.state().suite().hash == suite.hash
                        ? Tls13Resumption.withPskOffer(retry, ticket, transcript, now) : Tls13Resumption.withoutPskOffer(retry);
            }
            HandshakeMessage retryMessage = a.newMessage(HandshakeType.CLIENT_HELLO, retry.encode());
            transcript.add(retryMessage);
            a.sendFlight(List.of(new Dtls13Flight.Item(0, retryMessage)), true, now);
            return new ExpectServerHello(a, retry, retryMessage, newShare, transcript, suite);
        }
    }

    /** What turns the server's NewSessionTicket into a ticket we can offer (RFC 8446 4.6.1). */
    private record TicketContext(Tls13CipherSuite suite, Tls13Hkdf hkdf, byte[] resumptionMasterSecret, String serverName,
            List<byte[]> peerCertificates) {
    }

    private static List<byte[]> der(List<X509Certificate> chain) {
        List<byte[]> der = new ArrayList<>(chain.size());
        for (X509Certificate c : chain) {
            try {
                der.add(c.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot encode the server's certificate", e);
            }
        }
        return der;
    }

    /** The certificates a ticket remembers, as the full handshake saw them. */
    static List<X509Certificate> certificates(List<byte[]> der) {
        List<X509Certificate> chain = new ArrayList<>(der.size());
        try {
            java.security.cert.CertificateFactory f = java.security.cert.CertificateFactory.getInstance("X.509");
            for (byte[] d : der) {
                chain.add((X509Certificate) f.generateCertificate(new java.io.ByteArrayInputStream(d)));
            }
        } catch (java.security.cert.CertificateException e) {
            throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "a ticket's certificate does not parse: " + e.getMessage());
        }
        return chain;
    }

    /** RFC 8446 4.3.1: the first message under the handshake keys. */
    private record ExpectEncryptedExtensions(Negotiated n) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.3.1", HandshakeType.ENCRYPTED_EXTENSIONS);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_ENCRYPTED_EXTENSIONS";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            EncryptedExtensions ee = Handshake.decode(message, EncryptedExtensions::decode);
            agreeConnectionId(n.a(), ee.extension(ExtensionType.CONNECTION_ID), n.suite());
            String alpn = null;
            SrtpNegotiation.Agreed srtp = null;
            for (Extension e : ee.extensions()) {
                if (Extensions.find(n.hello().extensions(), e.type()) == null) {
                    throw new HandshakeFailure(AlertDescription.UNSUPPORTED_EXTENSION,
                            "server sent unsolicited extension " + ExtensionType.name(e.type()) + " (RFC 8446 4.2)");
                }
                if (!Tls13ExtensionRules.inEncryptedExtensions(e.type())) {
                    // RFC 8446 4.3.1: "MUST check EncryptedExtensions for the presence of any forbidden extensions".
                    throw illegal(ExtensionType.name(e.type()) + " is not allowed in EncryptedExtensions (RFC 8446 4.3.1)");
                }
                if (e.type() == ExtensionType.ALPN) {
                    List<String> chosen = ApplicationLayerProtocols.from(e).protocols();
                    if (chosen.size() != 1 || !n.config().applicationProtocols().contains(chosen.get(0))) {
                        throw illegal("server chose an ALPN protocol we did not offer (RFC 7301 3.2)");
                    }
                    alpn = chosen.get(0);
                } else if (e.type() == ExtensionType.USE_SRTP) {
                    // RFC 5764 4.1.1 with RFC 8446 4.2: the answer to use_srtp moves to EncryptedExtensions.
                    srtp = SrtpNegotiation.check(n.config(), n.hello().extensions(), e);
                }
            }
            n.transcript().add(message);
            if (n.resumedWith() != null) {
                // RFC 8446 2.2: a resumed handshake authenticates with the PSK, no Certificate.
                return new ExpectFinished(n, new Agreed(alpn, srtp), null,
                        certificates(n.resumedWith().state().peerCertificates()));
            }
            return new ExpectCertificateOrRequest(n, new Agreed(alpn, srtp));
        }
    }

    /** What EncryptedExtensions settled: the ALPN protocol and use_srtp, each {@code null} when not answered. */
    private record Agreed(String alpn, SrtpNegotiation.Agreed srtp) {
        org.dtlsip.dtls.config.SrtpProfile srtpProfile() {
            return srtp == null ? null : srtp.profile();
        }

        byte[] srtpMki() {
            return srtp == null ? null : srtp.mki();
        }
    }

    /** RFC 8446 4.3.2: the server may ask for our certificate before sending its own. */
    private record ExpectCertificateOrRequest(Negotiated n, Agreed agreed) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.3.2, 4.4.2",
                HandshakeType.CERTIFICATE_REQUEST, HandshakeType.CERTIFICATE);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CERTIFICATE_OR_REQUEST";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            if (message.type() == HandshakeType.CERTIFICATE) {
                return new ExpectCertificate(n, agreed, null).onMessage(message, now);
            }
            CertificateRequest13 request = Handshake.decode(message, CertificateRequest13::decode);
            if (request.requestContext().length != 0) {
                // RFC 8446 4.3.2: empty during the handshake.
                throw illegal("CertificateRequest with a non-empty certificate_request_context during the handshake");
            }
            if (request.extension(ExtensionType.SIGNATURE_ALGORITHMS) == null) {
                throw new HandshakeFailure(AlertDescription.MISSING_EXTENSION,
                        "CertificateRequest without signature_algorithms (RFC 8446 4.3.2)");
            }
            n.transcript().add(message);
            return new ExpectCertificate(n, agreed, request);
        }
    }

    /** RFC 8446 4.4.2: the server's chain, checked as in DTLS 1.2 (trust, key usage, name). */
    private record ExpectCertificate(Negotiated n, Agreed agreed, CertificateRequest13 request) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.4.2", HandshakeType.CERTIFICATE);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CERTIFICATE";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            Certificate13 certificate = Handshake.decode(message, Certificate13::decode);
            if (certificate.requestContext().length != 0) {
                throw illegal("server Certificate with a certificate_request_context (RFC 8446 4.4.2)");
            }
            if (certificate.isEmpty()) {
                throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "server sent an empty Certificate (RFC 8446 4.4.2.4)");
            }
            List<X509Certificate> chain = Handshake.parseCertificates(new CertificateMessage(certificate.certificates()));
            DtlsConfig config = n.config();
            Handshake.verifyPeer(new PeerCertificateCheck(config.peerVerifier(), KeyUsagePolicy.Purpose.TLS_SERVER,
                    config.serverNameCheck() ? config.serverIdentity() : null), chain, "server");
            n.transcript().add(message);
            return new ExpectCertificateVerify(n, agreed, request, chain);
        }
    }

    /** RFC 8446 4.4.3: the server proves it holds the key of its certificate, over the transcript. */
    private record ExpectCertificateVerify(Negotiated n, Agreed agreed, CertificateRequest13 request,
            List<X509Certificate> chain) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.4.3", HandshakeType.CERTIFICATE_VERIFY);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CERTIFICATE_VERIFY";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            verifyCertificateVerify(message, chain.get(0).getPublicKey(), n.config().verificationKeyCache(), n.hash(), true,
                    offeredSchemes(n.hello()));
            n.transcript().add(message);
            return new ExpectFinished(n, agreed, request, chain);
        }
    }

    /** The signature schemes our ClientHello offered. */
    private static List<SignatureScheme> offeredSchemes(ClientHello hello) {
        Extension e = Extensions.find(hello.extensions(), ExtensionType.SIGNATURE_ALGORITHMS);
        List<SignatureScheme> schemes = new ArrayList<>();
        if (e != null) {
            for (int code : SignatureAlgorithms.from(e).schemes()) {
                SignatureScheme s = SignatureScheme.of(code);
                if (s != null) {
                    schemes.add(s);
                }
            }
        }
        return schemes;
    }

    /**
     * Checks a CertificateVerify (RFC 8446 4.4.3): a scheme we offered that fits the key, and a
     * signature over the context string and the transcript hash. The signature is checked through
     * {@code keys}, as in 1.2, so a peer seen before is checked with its precomputed multiples
     * (about half the cost of a freshly decoded P-256 key; see {@link VerificationKeyCache}).
     */
    static void verifyCertificateVerify(HandshakeMessage message, PublicKey key, VerificationKeyCache keys,
            byte[] transcriptHash, boolean fromServer, List<SignatureScheme> offered) {
        CertificateVerify cv = Handshake.decode(message, CertificateVerify::decode);
        SignatureScheme scheme = SignatureScheme.of(cv.signatureScheme());
        if (scheme == null || !offered.contains(scheme) || !Signatures.fitsTls13(scheme, key)) {
            throw illegal(String.format("CertificateVerify with signature scheme 0x%04x, which was not offered or does not "
                    + "fit the certificate's key (RFC 8446 4.4.3)", cv.signatureScheme()));
        }
        if (!Signatures.verify(scheme, keys.forVerification(key), CertificateVerifyContent.of(fromServer, transcriptHash),
                cv.signature())) {
            throw new HandshakeFailure(AlertDescription.DECRYPT_ERROR, (fromServer ? "server" : "client")
                    + " CertificateVerify signature does not verify (RFC 8446 4.4.3)");
        }
    }

    /** Checks a Finished (RFC 8446 4.4.4) in constant time. */
    static void verifyFinished(HandshakeMessage message, Tls13Hkdf hkdf, byte[] baseKey, byte[] transcriptHash) {
        byte[] expected = hkdf.verifyData(baseKey, transcriptHash);
        if (!java.security.MessageDigest.isEqual(expected, message.body())) {
            throw new HandshakeFailure(AlertDescription.DECRYPT_ERROR,
                    "peer Finished verify_data does not match the transcript (tampered handshake or wrong keys)");
        }
    }

    /** RFC 8446 4.4.4: the server's Finished; then our last flight and the application keys. */
    private record ExpectFinished(Negotiated n, Agreed agreed, CertificateRequest13 request, List<X509Certificate> chain)
            implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.4.4", HandshakeType.FINISHED);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_FINISHED";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            Tls13Hkdf hkdf = n.hkdf();
            verifyFinished(message, hkdf, n.handshakeTraffic().server(), n.hash());
            n.transcript().add(message);
            byte[] serverFinishedHash = n.hash();
            MasterSecret master = n.handshakeSecret().masterSecret();
            TrafficSecrets application = master.applicationTrafficSecrets(serverFinishedHash);
            byte[] exporter = master.exporterMasterSecret(serverFinishedHash);
            Dtls13Association a = n.a();
            List<Dtls13Flight.Item> flight = new ArrayList<>(3);
            List<X509Certificate> local = List.of();
            if (request != null) {
                local = addClientCertificate(flight);
            }
            HandshakeMessage finished = a.newMessage(HandshakeType.FINISHED,
                    hkdf.verifyData(n.handshakeTraffic().client(), n.hash()));
            n.transcript().add(finished);
            flight.add(new Dtls13Flight.Item(2, finished));
            // RFC 9147 5.8.4: our last flight is retransmitted until the server ACKs it.
            a.sendFlight(flight, false, now);
            a.installReadEpoch(3, hkdf, n.suite(), application.server());
            a.installWriteEpoch(3, hkdf, n.suite(), application.client());
            List<String> keyLog = new ArrayList<>(n.keyLog());
            byte[] random = n.hello().random();
            keyLog.add(keyLogLine("CLIENT_TRAFFIC_SECRET_0", random, application.client()));
            keyLog.add(keyLogLine("SERVER_TRAFFIC_SECRET_0", random, application.server()));
            keyLog.add(keyLogLine("EXPORTER_SECRET", random, exporter));
            DtlsSession session = new DtlsSession(new DtlsSession.Tls13Parameters(n.suite(), hkdf, exporter, keyLog), n.group(),
                    chain, local, random, n.serverRandom(), new DtlsSession.Negotiated(agreed.srtpProfile(), agreed.alpn(),
                            n.config().serverName(), 0, n.resumedWith() != null, new byte[0], null, false,
                            n.a().agreedLocalConnectionId(), n.a().agreedPeerConnectionId(), agreed.srtpMki(),
                            n.a().returnRoutabilityCheckAgreed()));
            // RFC 8446 7.1: resumption_master_secret covers the transcript through our Finished.
            TicketContext tickets = new TicketContext(n.suite(), hkdf, master.resumptionMasterSecret(n.hash()),
                    n.config().serverName(), der(chain));
            n.handshakeSecret().destroy();
            master.destroy();
            a.applicationSecrets(hkdf, n.suite(), application.client(), application.server());
            a.handshakeComplete(session);
            return new Connected(a, tickets);
        }

        /** RFC 8446 4.4.2, 4.4.3: our chain (empty if we have none) and, with a chain, its CertificateVerify. */
        private List<X509Certificate> addClientCertificate(List<Dtls13Flight.Item> flight) {
            Dtls13Association a = n.a();
            CertifiedKey key = n.config().certifiedKey();
            List<SignatureScheme> accepted = new ArrayList<>();
            for (int code : SignatureAlgorithms.from(request.extension(ExtensionType.SIGNATURE_ALGORITHMS)).schemes()) {
                SignatureScheme s = SignatureScheme.of(code);
                if (s != null) {
                    accepted.add(s);
                }
            }
            SignatureScheme scheme = key == null ? null : Signatures.selectTls13(key.privateKey(), accepted);
            List<byte[]> der = new ArrayList<>();
            if (scheme != null) {
                for (X509Certificate c : key.chain()) {
                    try {
                        der.add(c.getEncoded());
                    } catch (java.security.cert.CertificateEncodingException e) {
                        throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot encode our certificate", e);
                    }
                }
            }
            HandshakeMessage certificate = a.newMessage(HandshakeType.CERTIFICATE, Certificate13.of(der).encode());
            n.transcript().add(certificate);
            flight.add(new Dtls13Flight.Item(2, certificate));
            if (scheme == null) {
                return List.of();
            }
            byte[] signature;
            try {
                signature = Signatures.sign(scheme, key.privateKey(), CertificateVerifyContent.of(false, n.hash()));
            } catch (GeneralSecurityException e) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot sign our CertificateVerify: " + e, e);
            }
            HandshakeMessage verify = a.newMessage(HandshakeType.CERTIFICATE_VERIFY,
                    new CertificateVerify(scheme.code, signature).encode());
            n.transcript().add(verify);
            flight.add(new Dtls13Flight.Item(2, verify));
            return key.chain();
        }
    }

    /**
     * The handshake is complete. NewSessionTicket is read and acknowledged (RFC 9147 5.8.4, 7);
     * resumption with it is not implemented yet, so the ticket is not kept. KeyUpdate moves the
     * peer's epoch on (RFC 9147 8).
     */
    private record Connected(Dtls13Association a, TicketContext tickets) implements Dtls13Association.State {
        private static final String RFC = "RFC 8446 4.6.1, 4.6.3";
        private static final Acceptance TABLE = Dtls13Acceptance.of(ESTABLISHED, RFC,
                HandshakeType.NEW_SESSION_TICKET, HandshakeType.KEY_UPDATE);
        private static final Acceptance UPDATED = Dtls13Acceptance.of(Dtls13Acceptance.Phase.UPDATED, RFC,
                HandshakeType.NEW_SESSION_TICKET, HandshakeType.KEY_UPDATE);

        @Override
        public Acceptance acceptance() {
            return a.establishedPhase() == Dtls13Acceptance.Phase.UPDATED ? UPDATED : TABLE;
        }

        @Override
        public String name() {
            return "CONNECTED";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            if (message.type() == HandshakeType.KEY_UPDATE) {
                a.onKeyUpdate(message, now);
                return this;
            }
            NewSessionTicket13 nst = Handshake.decode(message, NewSessionTicket13::decode);
            a.acknowledgeNow();
            if (nst.lifetime() > 0) {
                // RFC 8446 4.6.1: a lifetime of zero says not to use it.
                byte[] psk = tickets.hkdf().resumptionPsk(tickets.resumptionMasterSecret(), nst.nonce());
                Tls13Ticket ticket = new Tls13Ticket(nst.ticket(), nst.ageAdd(), nst.lifetime(), new Tls13SessionState(
                        tickets.suite(), psk, now, tickets.serverName(), tickets.peerCertificates()));
                java.util.Arrays.fill(psk, (byte) 0);
                a.session().tls13Ticket(ResumableSession.of(ticket));
            }
            return this;
        }
    }
}
