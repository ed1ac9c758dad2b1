package org.dtlsip.dtls.engine;

import static org.dtlsip.dtls.engine.Dtls13Acceptance.Phase.ESTABLISHED;
import static org.dtlsip.dtls.engine.Dtls13Acceptance.Phase.HANDSHAKE;
import static org.dtlsip.dtls.engine.Dtls13Acceptance.Phase.HELLO;

import java.security.GeneralSecurityException;
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
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Transcript13;
import org.dtlsip.dtls.handshake.extension.ApplicationLayerProtocols;
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
import org.dtlsip.dtls.handshake.message.Certificate13;
import org.dtlsip.dtls.handshake.message.CertificateMessage;
import org.dtlsip.dtls.handshake.message.CertificateRequest13;
import org.dtlsip.dtls.handshake.message.CertificateVerify;
import org.dtlsip.dtls.handshake.message.CertificateVerifyContent;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.EncryptedExtensions;
import org.dtlsip.dtls.handshake.message.HelloRetryRequest;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The server side of a full DTLS 1.3 handshake (RFC 8446 2 with RFC 9147 5):
 * <pre>
 *   ClientHello             -&gt;  ExpectClientHello
 *                           &lt;-  HelloRetryRequest          (no share of a group we take, RFC 8446 4.1.4)
 *   ClientHello             -&gt;  ExpectClientHelloRetry
 *                           &lt;-  ServerHello, {EncryptedExtensions}, {[CertificateRequest]},
 *                               {Certificate}, {CertificateVerify}, {Finished}
 *   {[Certificate]}         -&gt;  ExpectClientCertificate
 *   {[CertificateVerify]}   -&gt;  ExpectClientCertificateVerify
 *   {Finished}              -&gt;  ExpectClientFinished, then ACK (RFC 9147 5.8.4) and Connected
 * </pre>
 * A ClientHello reaches this machine only when it offers DTLS 1.3 and the server enables it
 * (the DTLS 1.2 {@link ServerHandshake} decides); the client certificate is checked with the
 * same {@link PeerCertificateCheck} as in DTLS 1.2.
 */
final class Tls13Server {
    private Tls13Server() {
    }

    static Dtls13Association.State expectClientHello(Dtls13Association a) {
        return new ExpectClientHello(a);
    }

    /** Every state's tables by state name, for the conformance tests. */
    static java.util.Map<String, Acceptance> tables() {
        java.util.Map<String, Acceptance> t = new java.util.LinkedHashMap<>();
        t.put("EXPECT_CLIENT_HELLO", ExpectClientHello.TABLE);
        t.put("EXPECT_CLIENT_HELLO_RETRY", ExpectClientHelloRetry.TABLE);
        t.put("EXPECT_CLIENT_CERTIFICATE", ExpectClientCertificate.TABLE);
        t.put("EXPECT_CLIENT_CERTIFICATE_VERIFY", ExpectClientCertificateVerify.TABLE);
        t.put("EXPECT_CLIENT_FINISHED", ExpectClientFinished.TABLE);
        t.put("CONNECTED", Connected.TABLE);
        t.put("CONNECTED_UPDATED", Connected.UPDATED);
        return t;
    }

    private static HandshakeFailure illegal(String why) {
        return new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, why);
    }

    /** What the server settled from the first ClientHello. */
    private record Selection(Tls13CipherSuite suite, NamedGroup group, CertifiedKey key, SignatureScheme scheme, String alpn,
            String serverName, SrtpNegotiation.Agreed srtp) {
    }

    /** RFC 8446 4.1.2: the client's hello, answered with our whole flight or a HelloRetryRequest. */
    private record ExpectClientHello(Dtls13Association a) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HELLO, "RFC 8446 4.1.2", HandshakeType.CLIENT_HELLO);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CLIENT_HELLO";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            ClientHello hello = Handshake.decode(message, ClientHello::decode);
            checkHello(hello);
            DtlsConfig config = a.config();
            Dtls13Cookie.Choice choice = Dtls13Cookie.choose(config, hello);
            Tls13CipherSuite suite = choice.suite();
            // RFC 6066 3: the certificate for the name the client asked for, as in DTLS 1.2.
            String serverName = ServerHandshake.requestedServerName(Extensions.find(hello.extensions(), ExtensionType.SERVER_NAME));
            CertifiedKey named = serverName == null ? null
                    : config.sniCertificates().get(serverName.toLowerCase(java.util.Locale.ROOT));
            CertifiedKey key = named != null ? named : config.certifiedKey();
            if (key == null) {
                throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE,
                        "DTLS 1.3 needs a certificate here (external PSKs are not supported in DTLS 1.3 yet)");
            }
            SignatureScheme scheme = Signatures.selectTls13(key.privateKey(), schemes(hello));
            if (scheme == null) {
                throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "the client's signature_algorithms list no "
                        + "DTLS 1.3 scheme for our " + key.privateKey().getAlgorithm() + " key (RFC 8446 4.2.3)");
            }
            String alpn = chooseAlpn(config, hello);
            byte[] cookie = Dtls13Cookie.cookieOf(hello);
            Transcript13 transcript;
            if (cookie != null) {
                transcript = afterStatelessRetry(hello, cookie, choice);
            } else if (choice.shareGroup() == null) {
                // RFC 8446 4.1.4 without the front door's cookie (cookie exchange off): ask for a
                // share here, keeping state; ClientHello1 becomes message_hash.
                transcript = new Transcript13();
                transcript.add(message);
                transcript.replaceClientHelloWithMessageHash(suite.hash);
                ServerHello hrr = HelloRetryRequest.create(suite.code, hello.sessionId(), List.of(
                        new SelectedVersion(ProtocolVersion.DTLS_1_3).toExtension(),
                        KeyShareHelloRetryRequest.of(choice.retryGroup()).toExtension()));
                HandshakeMessage hrrMessage = a.newMessage(HandshakeType.SERVER_HELLO, hrr.encode());
                transcript.add(hrrMessage);
                a.sendFlight(List.of(new Dtls13Flight.Item(0, hrrMessage)), true, now);
                return new ExpectClientHelloRetry(a, transcript, new Selection(suite, choice.retryGroup(), key, scheme, alpn, serverName,
                        SrtpNegotiation.choose(config, hello.extensions())),
                        hello);
            } else {
                transcript = new Transcript13();
            }
            Tls13Resumption.Accepted resumed = Tls13Resumption.accept(config, hello, message, transcript, suite, serverName, now);
            transcript.add(message);
            KeyShareEntry share = keyShares(hello).shareFor(choice.shareGroup());
            return serverFlight(a, hello, transcript, new Selection(suite, choice.shareGroup(), key, scheme, alpn, serverName,
                    SrtpNegotiation.choose(config, hello.extensions())), share, resumed, now);
        }

        /**
         * The second ClientHello of a stateless retry (RFC 9147 5.1): the front door checked the
         * cookie's MAC before this association existed; its contents rebuild the transcript,
         * message_hash(ClientHello1) and the HelloRetryRequest as sent (RFC 8446 4.4.1).
         */
        private Transcript13 afterStatelessRetry(ClientHello hello, byte[] cookie, Dtls13Cookie.Choice now) {
            if (!a.config().cookieExchange()) {
                throw illegal("ClientHello with a cookie, which this server never sends (RFC 8446 4.2.2)");
            }
            byte[][] parts = Dtls13Cookie.split(cookie);
            Dtls13Cookie.Contents contents = parts == null ? null : Dtls13Cookie.parse(parts[0]);
            if (contents == null) {
                throw illegal("malformed cookie (RFC 8446 4.2.2)");
            }
            if (contents.suite() != now.suite() || now.shareGroup() == null
                    || (contents.retryGroup() != null && contents.retryGroup() != now.shareGroup())) {
                throw illegal("the ClientHello after our HelloRetryRequest does not do what it asked (RFC 8446 4.1.2)");
            }
            return Dtls13Cookie.transcriptAfterRetry(contents,
                    Dtls13Cookie.helloRetryRequest(contents.suite(), contents.retryGroup(), hello.sessionId(), cookie));
        }
    }

    /** RFC 8446 4.1.2: the retried ClientHello must carry a share of the group we asked for. */
    private record ExpectClientHelloRetry(Dtls13Association a, Transcript13 transcript, Selection choice, ClientHello first)
            implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HELLO, "RFC 8446 4.1.2", HandshakeType.CLIENT_HELLO);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CLIENT_HELLO_RETRY";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            ClientHello hello = Handshake.decode(message, ClientHello::decode);
            checkHello(hello);
            if (!hello.cipherSuites().contains(choice.suite().code) || !java.util.Arrays.equals(hello.random(), first.random())) {
                throw illegal("the retried ClientHello changed more than the HelloRetryRequest asked (RFC 8446 4.1.2)");
            }
            KeyShareClientHello shares = keyShares(hello);
            KeyShareEntry share = shares.shareFor(choice.group());
            if (share == null || shares.shares().size() != 1) {
                throw illegal("the retried ClientHello lacks exactly one key share for " + choice.group().rfcName
                        + " (RFC 8446 4.2.8)");
            }
            Tls13Resumption.Accepted resumed = Tls13Resumption.accept(a.config(), hello, message, transcript, choice.suite(),
                    choice.serverName(), now);
            transcript.add(message);
            return serverFlight(a, hello, transcript, choice, share, resumed, now);
        }
    }

    private static void checkHello(ClientHello hello) {
        if (hello.cookie().length != 0) {
            // RFC 9147 5.3: a DTLS 1.3 ClientHello has an empty legacy_cookie.
            throw illegal("DTLS 1.3 ClientHello with a non-empty legacy_cookie (RFC 9147 5.3)");
        }
        if (hello.compressionMethods().size() != 1 || hello.compressionMethods().get(0) != 0) {
            throw illegal("DTLS 1.3 ClientHello whose legacy_compression_methods is not just null (RFC 8446 4.1.2)");
        }
    }

    private static KeyShareClientHello keyShares(ClientHello hello) {
        Extension e = Extensions.find(hello.extensions(), ExtensionType.KEY_SHARE);
        if (e == null) {
            // RFC 8446 9.2: a hello without a PSK must carry key_share and supported_groups.
            throw new HandshakeFailure(AlertDescription.MISSING_EXTENSION, "DTLS 1.3 ClientHello without key_share (RFC 8446 9.2)");
        }
        KeyShareClientHello shares = KeyShareClientHello.from(e);
        if (shares.hasDuplicateGroups()) {
            throw illegal("two key shares for one group (RFC 8446 4.2.8)");
        }
        return shares;
    }

    private static List<SignatureScheme> schemes(ClientHello hello) {
        Extension e = Extensions.find(hello.extensions(), ExtensionType.SIGNATURE_ALGORITHMS);
        if (e == null) {
            throw new HandshakeFailure(AlertDescription.MISSING_EXTENSION,
                    "DTLS 1.3 ClientHello without signature_algorithms (RFC 8446 9.2)");
        }
        List<SignatureScheme> schemes = new ArrayList<>();
        for (int code : SignatureAlgorithms.from(e).schemes()) {
            SignatureScheme s = SignatureScheme.of(code);
            if (s != null) {
                schemes.add(s);
            }
        }
        return schemes;
    }

    /** RFC 7301 3.2: our first protocol the client also offers; none in common is no_application_protocol. */
    private static String chooseAlpn(DtlsConfig config, ClientHello hello) {
        Extension e = Extensions.find(hello.extensions(), ExtensionType.ALPN);
        if (e == null || config.applicationProtocols().isEmpty()) {
            return null;
        }
        List<String> offered = ApplicationLayerProtocols.from(e).protocols();
        for (String p : config.applicationProtocols()) {
            if (offered.contains(p)) {
                return p;
            }
        }
        throw new HandshakeFailure(AlertDescription.NO_APPLICATION_PROTOCOL, "no application protocol in common (RFC 7301 3.2)");
    }

    /**
     * RFC 9147 9, RFC 9146 3: a client's connection_id offer is taken up when we are configured
     * for connection IDs, in the ServerHello (so that the client puts our ID in its records from
     * epoch 2 on), with the ID the association receives on; an ID of the client's that leaves
     * no room for a handshake fragment in our PMTU is declined. Returns our answer, or
     * {@code null}. The return routability check (RFC 9853) is not answered in DTLS 1.3.
     */
    private static Extension agreeConnectionId(Dtls13Association a, ClientHello hello, Tls13CipherSuite suite) {
        Extension offer = Extensions.find(hello.extensions(), ExtensionType.CONNECTION_ID);
        if (offer == null || !a.config().connectionIds()) {
            return null;
        }
        byte[] clientCid;
        try {
            clientCid = org.dtlsip.dtls.handshake.extension.ConnectionId.from(offer).cid();
        } catch (org.dtlsip.dtls.util.DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed connection_id: " + e.getMessage());
        }
        int overhead = Dtls13Association.overheadWithConnectionId(suite, clientCid.length);
        if (a.pmtu() - overhead - org.dtlsip.dtls.handshake.HandshakeFragment.HEADER_LENGTH < 1) {
            return null;
        }
        a.useConnectionIds(clientCid);
        return new org.dtlsip.dtls.handshake.extension.ConnectionId(a.localConnectionId()).toExtension();
    }

    /**
     * ServerHello (epoch 0), then EncryptedExtensions, [CertificateRequest], Certificate,
     * CertificateVerify and Finished under the handshake keys (epoch 2, RFC 9147 6.1).
     */
    private static Dtls13Association.State serverFlight(Dtls13Association a, ClientHello hello, Transcript13 transcript,
            Selection c, KeyShareEntry clientShare, Tls13Resumption.Accepted resumed, long now) {
        DtlsConfig config = a.config();
        Tls13CipherSuite suite = c.suite();
        EphemeralKeyPair ours = EphemeralKeyPair.generate(c.group(), config.random());
        byte[] shared;
        try {
            shared = ours.agree(clientShare.keyExchange());
        } catch (GeneralSecurityException e) {
            throw illegal("client's " + c.group().rfcName + " key share is invalid: " + e.getMessage());
        }
        byte[] serverRandom = new byte[32];
        config.random().nextBytes(serverRandom);
        List<Extension> shExtensions = new ArrayList<>(5);
        shExtensions.add(new SelectedVersion(ProtocolVersion.DTLS_1_3).toExtension());
        shExtensions.add(new KeyShareServerHello(KeyShareEntry.of(c.group(), ours.publicValue())).toExtension());
        Extension cid = agreeConnectionId(a, hello, suite);
        if (cid != null) {
            shExtensions.add(cid);
            Extension rrc = Tls13ReturnRoutability.answer(a, Extensions.find(hello.extensions(), ExtensionType.RRC));
            if (rrc != null) {
                shExtensions.add(rrc);
            }
        }
        if (resumed != null) {
            // RFC 8446 4.2.11: the ticket we take; psk_dhe_ke, so the key_share stays (4.2.9).
            shExtensions.add(new SelectedPsk(resumed.index()).toExtension());
        }
        ServerHello sh = new ServerHello(ProtocolVersion.DTLS_1_2, serverRandom, hello.sessionId(), suite.code, 0,
                shExtensions);
        List<Dtls13Flight.Item> flight = new ArrayList<>(6);
        HandshakeMessage shMessage = a.newMessage(HandshakeType.SERVER_HELLO, sh.encode());
        transcript.add(shMessage);
        flight.add(new Dtls13Flight.Item(0, shMessage));
        Tls13Hkdf hkdf = Tls13Hkdf.dtls13(suite.hash);
        byte[] psk = resumed == null ? null : resumed.state().psk();
        EarlySecret early = psk == null ? EarlySecret.withoutPsk(hkdf) : EarlySecret.fromPsk(hkdf, psk);
        if (psk != null) {
            java.util.Arrays.fill(psk, (byte) 0);
        }
        HandshakeSecret hs = early.handshakeSecret(shared);
        early.destroy();
        java.util.Arrays.fill(shared, (byte) 0);
        TrafficSecrets traffic = hs.trafficSecrets(transcript.hash(suite.hash));
        a.installWriteEpoch(2, hkdf, suite, traffic.server());
        a.installReadEpoch(2, hkdf, suite, traffic.client());

        List<Extension> ee = new ArrayList<>();
        if (c.alpn() != null) {
            ee.add(new ApplicationLayerProtocols(List.of(c.alpn())).toExtension());
        }
        if (c.srtp() != null) {
            // RFC 5764 4.1.1; in TLS 1.3 the answer goes in EncryptedExtensions (RFC 8446 4.2).
            ee.add(c.srtp().toExtension());
        }
        flight.add(add(a, transcript, HandshakeType.ENCRYPTED_EXTENSIONS, new EncryptedExtensions(ee).encode()));
        if (resumed != null) {
            // RFC 8446 2.2: the PSK authenticates both sides; no certificates again.
            flight.add(add(a, transcript, HandshakeType.FINISHED, hkdf.verifyData(traffic.server(), transcript.hash(suite.hash))));
            a.sendFlight(flight, true, now);
            Keys keys = keys(a, hello, c, hkdf, hs, traffic, transcript, serverRandom, resumed.state().createdMillis(), true);
            return new ExpectClientFinished(a, keys, Tls13Client.certificates(resumed.state().peerCertificates()));
        }
        boolean requestCertificate = config.clientAuth() != DtlsConfig.ClientAuth.NONE;
        if (requestCertificate) {
            flight.add(add(a, transcript, HandshakeType.CERTIFICATE_REQUEST, new CertificateRequest13(new byte[0],
                    List.of(new SignatureAlgorithms(codes(Signatures.supportedTls13())).toExtension())).encode()));
        }
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate cert : c.key().chain()) {
            try {
                der.add(cert.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot encode our certificate", e);
            }
        }
        flight.add(add(a, transcript, HandshakeType.CERTIFICATE, Certificate13.of(der).encode()));
        byte[] signature;
        try {
            signature = Signatures.sign(c.scheme(), c.key().privateKey(),
                    CertificateVerifyContent.of(true, transcript.hash(suite.hash)));
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot sign our CertificateVerify: " + e, e);
        }
        flight.add(add(a, transcript, HandshakeType.CERTIFICATE_VERIFY, new CertificateVerify(c.scheme().code, signature).encode()));
        flight.add(add(a, transcript, HandshakeType.FINISHED, hkdf.verifyData(traffic.server(), transcript.hash(suite.hash))));
        a.sendFlight(flight, true, now);
        Keys keys = keys(a, hello, c, hkdf, hs, traffic, transcript, serverRandom, now, false);
        return requestCertificate ? new ExpectClientCertificate(a, keys) : new ExpectClientFinished(a, keys, List.of());
    }

    /**
     * The secrets after our Finished (RFC 8446 7.1); the master secret stays until the client's
     * Finished, over which resumption_master_secret is derived for our tickets.
     *
     * @param authenticatedMillis when the client was authenticated by a full handshake (a
     *     resumed session keeps its first one, so re-issued tickets do not extend it)
     */
    private static Keys keys(Dtls13Association a, ClientHello hello, Selection c, Tls13Hkdf hkdf, HandshakeSecret hs,
            TrafficSecrets traffic, Transcript13 transcript, byte[] serverRandom, long authenticatedMillis, boolean resumed) {
        Tls13CipherSuite suite = c.suite();
        byte[] serverFinishedHash = transcript.hash(suite.hash);
        MasterSecret master = hs.masterSecret();
        TrafficSecrets application = master.applicationTrafficSecrets(serverFinishedHash);
        byte[] exporter = master.exporterMasterSecret(serverFinishedHash);
        hs.destroy();
        byte[] random = hello.random();
        List<String> keyLog = List.of(
                Tls13Client.keyLogLine("CLIENT_HANDSHAKE_TRAFFIC_SECRET", random, traffic.client()),
                Tls13Client.keyLogLine("SERVER_HANDSHAKE_TRAFFIC_SECRET", random, traffic.server()),
                Tls13Client.keyLogLine("CLIENT_TRAFFIC_SECRET_0", random, application.client()),
                Tls13Client.keyLogLine("SERVER_TRAFFIC_SECRET_0", random, application.server()),
                Tls13Client.keyLogLine("EXPORTER_SECRET", random, exporter));
        return new Keys(hkdf, suite, c.group(), traffic, application,
                new DtlsSession.Tls13Parameters(suite, hkdf, exporter, keyLog), random, serverRandom, c.key().chain(), c.alpn(),
                c.serverName(), c.srtp(), transcript, master, authenticatedMillis, resumed);
    }

    private static List<Integer> codes(List<SignatureScheme> schemes) {
        List<Integer> codes = new ArrayList<>(schemes.size());
        for (SignatureScheme s : schemes) {
            codes.add(s.code);
        }
        return codes;
    }

    private static Dtls13Flight.Item add(Dtls13Association a, Transcript13 transcript, HandshakeType type, byte[] body) {
        HandshakeMessage m = a.newMessage(type, body);
        transcript.add(m);
        return new Dtls13Flight.Item(2, m);
    }

    /** What the server keeps after its flight: the secrets of the rest of the handshake and of epoch 3. */
    private record Keys(Tls13Hkdf hkdf, Tls13CipherSuite suite, NamedGroup group, TrafficSecrets handshakeTraffic,
            TrafficSecrets application, DtlsSession.Tls13Parameters parameters, byte[] clientRandom, byte[] serverRandom,
            List<X509Certificate> localChain, String alpn, String serverName, SrtpNegotiation.Agreed srtp, Transcript13 transcript,
            MasterSecret master, long authenticatedMillis, boolean resumed) {
        byte[] hash() {
            return transcript.hash(suite.hash);
        }
    }

    /** RFC 8446 4.4.2: the client's chain (possibly empty), checked as in DTLS 1.2. */
    private record ExpectClientCertificate(Dtls13Association a, Keys k) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.4.2", HandshakeType.CERTIFICATE);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CLIENT_CERTIFICATE";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            Certificate13 certificate = Handshake.decode(message, Certificate13::decode);
            if (certificate.requestContext().length != 0) {
                throw illegal("client Certificate with a certificate_request_context we never sent (RFC 8446 4.4.2)");
            }
            k.transcript().add(message);
            if (certificate.isEmpty()) {
                if (a.config().clientAuth() == DtlsConfig.ClientAuth.NEED) {
                    throw new HandshakeFailure(AlertDescription.CERTIFICATE_REQUIRED,
                            "the client sent no certificate, which this server requires (RFC 8446 4.4.2.4)");
                }
                return new ExpectClientFinished(a, k, List.of());
            }
            List<X509Certificate> chain = Handshake.parseCertificates(new CertificateMessage(certificate.certificates()));
            Handshake.verifyPeer(new PeerCertificateCheck(a.config().peerVerifier(), KeyUsagePolicy.Purpose.TLS_CLIENT, null),
                    chain, "client");
            return new ExpectClientCertificateVerify(a, k, chain);
        }
    }

    private record ExpectClientCertificateVerify(Dtls13Association a, Keys k, List<X509Certificate> chain)
            implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.4.3", HandshakeType.CERTIFICATE_VERIFY);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CLIENT_CERTIFICATE_VERIFY";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            Tls13Client.verifyCertificateVerify(message, chain.get(0).getPublicKey(), a.config().verificationKeyCache(),
                    k.hash(), false,
                    Signatures.supportedTls13());
            k.transcript().add(message);
            return new ExpectClientFinished(a, k, chain);
        }
    }

    /** RFC 8446 4.4.4: the client's Finished completes the handshake; we ACK it (RFC 9147 5.8.4). */
    private record ExpectClientFinished(Dtls13Association a, Keys k, List<X509Certificate> peerChain)
            implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(HANDSHAKE, "RFC 8446 4.4.4", HandshakeType.FINISHED);

        @Override
        public Acceptance acceptance() {
            return TABLE;
        }

        @Override
        public String name() {
            return "EXPECT_CLIENT_FINISHED";
        }

        @Override
        public Dtls13Association.State onMessage(HandshakeMessage message, long now) {
            Tls13Client.verifyFinished(message, k.hkdf(), k.handshakeTraffic().client(), k.hash());
            k.transcript().add(message);
            a.installReadEpoch(3, k.hkdf(), k.suite(), k.application().client());
            a.installWriteEpoch(3, k.hkdf(), k.suite(), k.application().server());
            DtlsSession session = new DtlsSession(k.parameters(), k.group(), peerChain, k.localChain(),
                    k.clientRandom(), k.serverRandom(), new DtlsSession.Negotiated(k.srtp() == null ? null : k.srtp().profile(),
                            k.alpn(), k.serverName(), 0, k.resumed(), new byte[0], null, false, a.agreedLocalConnectionId(),
                            a.agreedPeerConnectionId(), k.srtp() == null ? null : k.srtp().mki(),
                            a.returnRoutabilityCheckAgreed()));
            // RFC 8446 7.1: resumption_master_secret covers the transcript through the client's Finished.
            byte[] resumptionMasterSecret = k.master().resumptionMasterSecret(k.hash());
            k.master().destroy();
            k.transcript().clear();
            a.applicationSecrets(k.hkdf(), k.suite(), k.application().server(), k.application().client());
            a.handshakeComplete(session);
            Tls13Tickets.issue(a, k.hkdf(), k.suite(), resumptionMasterSecret, k.serverName(), peerChain,
                    k.authenticatedMillis(), now);
            java.util.Arrays.fill(resumptionMasterSecret, (byte) 0);
            return new Connected(a);
        }
    }

    /**
     * The handshake is complete; the client may update its keys (RFC 8446 4.6.3, RFC 9147 8).
     * We never send post_handshake_auth, so no other post-handshake message is accepted.
     */
    private record Connected(Dtls13Association a) implements Dtls13Association.State {
        private static final Acceptance TABLE = Dtls13Acceptance.of(ESTABLISHED, "RFC 8446 4.6.3", HandshakeType.KEY_UPDATE);
        private static final Acceptance UPDATED = Dtls13Acceptance.of(Dtls13Acceptance.Phase.UPDATED, "RFC 8446 4.6.3",
                HandshakeType.KEY_UPDATE);

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
            a.onKeyUpdate(message, now);
            return this;
        }
    }
}
