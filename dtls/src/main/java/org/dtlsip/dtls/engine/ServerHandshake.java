package org.dtlsip.dtls.engine;

import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.CHANGE_CIPHER_SPEC;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.ENCRYPTED;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.ESTABLISHED;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.PLAINTEXT;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.server;
import static org.dtlsip.dtls.handshake.HandshakeType.CERTIFICATE;
import static org.dtlsip.dtls.handshake.HandshakeType.CERTIFICATE_VERIFY;
import static org.dtlsip.dtls.handshake.HandshakeType.CLIENT_HELLO;
import static org.dtlsip.dtls.handshake.HandshakeType.CLIENT_KEY_EXCHANGE;
import static org.dtlsip.dtls.handshake.HandshakeType.FINISHED;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.EphemeralKeyPair;
import org.dtlsip.dtls.crypto.KeyUsagePolicy;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerCertificateCheck;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.ApplicationLayerProtocols;
import org.dtlsip.dtls.handshake.extension.ConnectionId;
import org.dtlsip.dtls.handshake.extension.EcPointFormats;
import org.dtlsip.dtls.handshake.extension.RecordSizeLimit;
import org.dtlsip.dtls.handshake.extension.Rrc;
import org.dtlsip.dtls.handshake.extension.ServerNameList;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.RenegotiationInfo;
import org.dtlsip.dtls.handshake.extension.SignatureAlgorithms;
import org.dtlsip.dtls.handshake.extension.SupportedGroups;
import org.dtlsip.dtls.handshake.message.CertificateMessage;
import org.dtlsip.dtls.handshake.message.CertificateRequest;
import org.dtlsip.dtls.handshake.message.CertificateVerify;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.ClientKeyExchangeEcdhe;
import org.dtlsip.dtls.handshake.message.ClientKeyExchangePsk;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangeEcdhePsk;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangePsk;
import org.dtlsip.dtls.crypto.PskPremaster;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.handshake.message.NewSessionTicket;
import org.dtlsip.dtls.handshake.message.ServerHelloDone;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangeEcdhe;
import org.dtlsip.dtls.handshake.extension.SupportedVersions;
import org.dtlsip.dtls.handshake.message.DowngradeSentinel;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The server side of a full DTLS 1.2 handshake, entered once the ClientHello carried a valid
 * cookie (or cookies are off): see {@link ClientHandshake} for the message flow.
 */
final class ServerHandshake extends Handshake {
    /** RFC 5746 3.3: the signalling cipher suite value a client may send instead of the extension. */
    static final int TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
    /** RFC 5246 7.4.4 ClientCertificateType values we accept. */
    static final int RSA_SIGN = 1;
    static final int ECDSA_SIGN = 64;

    /** The server's states, each with what it accepts ({@link Dtls12Acceptance}). */
    enum State {
        WAIT_CLIENT_HELLO(server(PLAINTEXT, "RFC 6347 4.2.1", CLIENT_HELLO)),
        WAIT_CLIENT_CERTIFICATE(server(PLAINTEXT, "RFC 5246 7.4.6", CERTIFICATE)),
        WAIT_CLIENT_KEY_EXCHANGE(server(PLAINTEXT, "RFC 5246 7.4.7", CLIENT_KEY_EXCHANGE)),
        /** A client that sent a certificate proves it holds the key. */
        WAIT_CERTIFICATE_VERIFY(server(PLAINTEXT, "RFC 5246 7.4.8", CERTIFICATE_VERIFY)),
        WAIT_CHANGE_CIPHER_SPEC(server(CHANGE_CIPHER_SPEC, "RFC 5246 7.1")),
        WAIT_FINISHED(server(ENCRYPTED, "RFC 5246 7.4.9", FINISHED)),
        /** A ClientHello under the new keys asks for renegotiation: answered with no_renegotiation. */
        COMPLETE(server(ESTABLISHED, "RFC 5746 4.4", CLIENT_HELLO));

        final Acceptance accepts;

        State(Acceptance accepts) {
            this.accepts = accepts;
        }
    }

    private State state = State.WAIT_CLIENT_HELLO;
    private boolean certificateRequested;
    private boolean issueTicket;

    ServerHandshake(DtlsEngine engine, DtlsConfig config) {
        super(engine, config);
        config.requireServerCredentials();
    }

    @Override
    boolean isClient() {
        return false;
    }

    @Override
    boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    Acceptance acceptance() {
        return state.accepts;
    }

    State state() {
        return state;
    }

    @Override
    void start(long now) {
        // The server speaks only after the ClientHello.
    }

    @Override
    void onMessage(HandshakeMessage message, long now) {
        switch (state) {
            case WAIT_CLIENT_HELLO -> onClientHello(message, now);
            case WAIT_CLIENT_CERTIFICATE -> onClientCertificate(message);
            case WAIT_CLIENT_KEY_EXCHANGE -> onClientKeyExchange(message);
            case WAIT_CERTIFICATE_VERIFY -> onCertificateVerify(message);
            case WAIT_FINISHED -> onFinished(message, now);
            // A ClientHello inside the association is a renegotiation request; we refuse
            // (RFC 5746 4.4) and keep the association.
            case COMPLETE -> engine.sendWarning(AlertDescription.NO_RENEGOTIATION);
            // The table admits no message here; reaching this is a bug, reported as one.
            case WAIT_CHANGE_CIPHER_SPEC -> throw unexpected(message, state.name());
        }
    }

    @Override
    String stateName() {
        return state.name();
    }

    private void onClientHello(HandshakeMessage message, long now) {
        ClientHello hello = decode(message, ClientHello::decode);
        Extension versions = Extensions.find(hello.extensions(), ExtensionType.SUPPORTED_VERSIONS);
        boolean offers13 = versions != null && SupportedVersions.from(versions).offers(ProtocolVersion.DTLS_1_3);
        if (offers13 && config.dtls13()) {
            // RFC 8446 4.2.1: the highest version both speak; the DTLS 1.3 machine takes this hello.
            engine.upgradeTo13(Tls13Server::expectClientHello, message, now);
            return;
        }
        if (!config.dtls12()) {
            throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                    "the client does not offer DTLS 1.3, the only version this server enables (RFC 8446 4.2.1)");
        }
        if (versions != null && !SupportedVersions.from(versions).offers(ProtocolVersion.DTLS_1_2)) {
            // RFC 8446 4.2.1: supported_versions decides the version; none in common is protocol_version.
            throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                    "the client offers only DTLS 1.3, which this server does not enable (RFC 8446 4.2.1)");
        }
        // DTLS versions count down: 0xfefd (1.2) is numerically below 0xfeff (1.0).
        if (hello.clientVersion() > ProtocolVersion.DTLS_1_2) {
            throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                    "client offers at most " + ProtocolVersion.name(hello.clientVersion()) + "; DTLS 1.2 is required");
        }
        if (!hello.compressionMethods().contains(0)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "client does not offer null compression");
        }
        List<Extension> exts = hello.extensions();
        Extension ri = Extensions.find(exts, ExtensionType.RENEGOTIATION_INFO);
        if (ri != null && RenegotiationInfo.from(ri).renegotiatedConnection().length != 0) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "non-empty renegotiation_info in an initial handshake (RFC 5746 3.6)");
        }
        boolean secureRenegotiation = ri != null || hello.cipherSuites().contains(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        boolean clientEms = Extensions.find(exts, ExtensionType.EXTENDED_MASTER_SECRET) != null;
        if (!clientEms && config.requireExtendedMasterSecret()) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE,
                    "client does not offer extended_master_secret (RFC 7627), which is required");
        }
        extendedMasterSecret = clientEms;
        Extension ticketExt = Extensions.find(exts, ExtensionType.SESSION_TICKET);
        issueTicket = ticketExt != null && config.sessionTickets() && config.sessionTicketKeys() != null;
        String requestedName = requestedServerName(Extensions.find(exts, ExtensionType.SERVER_NAME));
        SessionState previous = findSession(hello, ticketExt, requestedName, now);
        if (previous != null) {
            resumeSession(hello, message, previous, secureRenegotiation, now);
            return;
        }

        group = chooseGroup(Extensions.find(exts, ExtensionType.SUPPORTED_GROUPS));
        List<SignatureScheme> clientSchemes = clientSignatureSchemes(Extensions.find(exts, ExtensionType.SIGNATURE_ALGORITHMS));
        CertifiedKey key = selectCertificate(requestedName);
        SignatureScheme scheme = key == null ? null : Signatures.select(key.privateKey(), clientSchemes);
        suite = chooseSuite(hello.cipherSuites(), scheme != null, group != null);
        if (suite == null) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, noOverlap(hello, group, scheme));
        }
        if (!suite.keyExchange.usesEcdhe()) {
            group = null;
        }
        clientRandom = hello.random();
        serverRandom = newServerRandom();
        transcript.add(message);

        List<Extension> serverExts = serverHelloExtensions(exts, secureRenegotiation);
        if (config.sessionCache() != null) {
            sessionId = new byte[32];
            config.random().nextBytes(sessionId);
        }
        List<Flight.Item> flight = new ArrayList<>(5);
        ServerHello serverHello = new ServerHello(ProtocolVersion.DTLS_1_2, serverRandom, sessionId, suite.code, 0, serverExts);
        add(flight, HandshakeType.SERVER_HELLO, serverHello.encode());
        if (group != null) {
            ephemeral = EphemeralKeyPair.generate(group, config.random());
        }
        switch (suite.keyExchange) {
            case ECDHE_ECDSA, ECDHE_RSA -> addCertificateAndSignedKeyExchange(flight, key, scheme);
            case PSK -> {
                // RFC 4279 2: the message is omitted when there is no hint.
                if (config.pskIdentityHint().length > 0) {
                    add(flight, HandshakeType.SERVER_KEY_EXCHANGE, new ServerKeyExchangePsk(config.pskIdentityHint()).encode());
                }
            }
            case ECDHE_PSK -> add(flight, HandshakeType.SERVER_KEY_EXCHANGE,
                    new ServerKeyExchangeEcdhePsk(config.pskIdentityHint(), group.code, ephemeral.publicValue()).encode());
        }

        // RFC 4279 2: no certificates at all with PSK suites.
        certificateRequested = config.clientAuth() != DtlsConfig.ClientAuth.NONE && suite.keyExchange.usesCertificate();
        if (certificateRequested) {
            List<Integer> schemes = new ArrayList<>();
            for (SignatureScheme s : config.signatureSchemes()) {
                schemes.add(s.code);
            }
            add(flight, HandshakeType.CERTIFICATE_REQUEST,
                    new CertificateRequest(List.of(ECDSA_SIGN, RSA_SIGN), schemes, List.of()).encode());
        }
        add(flight, HandshakeType.SERVER_HELLO_DONE, new ServerHelloDone().encode());
        state = certificateRequested ? State.WAIT_CLIENT_CERTIFICATE : State.WAIT_CLIENT_KEY_EXCHANGE;
        engine.sendFlight(flight, true, now);
    }

    /**
     * A session the client may resume: from its ticket (RFC 5077 3.1, within its lifetime) or
     * our cache (RFC 5246 7.3), with the same extended_master_secret choice (RFC 7627 5.3) and
     * server_name (RFC 6066 3), and only where our configuration would accept, in a full
     * handshake now, the suite and the way the client was authenticated ({@link #stillAuthenticates}).
     * A ticket under a retired key, or any mismatch, means a full handshake.
     */
    private SessionState findSession(ClientHello hello, Extension ticketExt, String requestedName, long now) {
        if (hello.sessionId().length == 0) {
            return null; // with no ID to echo we could not tell the client it was resumed
        }
        SessionState s = null;
        if (issueTicket && ticketExt.data().length > 0) {
            s = config.sessionTicketKeys().open(ticketExt.data(), now);
        }
        if (s == null && config.sessionCache() != null) {
            s = config.sessionCache().get(hello.sessionId(), now);
        }
        if (s == null || !config.cipherSuites().contains(s.suite()) || !hello.cipherSuites().contains(s.suite().code)
                || s.extendedMasterSecret() != extendedMasterSecret) {
            return null;
        }
        boolean sameName = s.serverName() == null ? requestedName == null : s.serverName().equalsIgnoreCase(requestedName);
        if (!sameName || !stillAuthenticates(s)) {
            return null;
        }
        return s;
    }

    /**
     * Whether the session's client was authenticated as this configuration requires now: a PSK
     * identity we still know, with the same key; for certificate suites our own certificate, and a client
     * certificate when one is required, which our peer verifier still accepts when we ask for
     * one. A session begun without client authentication therefore never resumes where it is
     * now required, and a certificate no longer trusted (or expired since) means a full
     * handshake, which then decides.
     */
    private boolean stillAuthenticates(SessionState s) {
        if (s.suite().keyExchange.usesPsk()) {
            return s.madeWithPsk(pskKeyFor(s.pskIdentity()));
        }
        if (config.certifiedKey() == null) {
            return false;
        }
        if (s.peerCertificates().isEmpty()) {
            return config.clientAuth() != DtlsConfig.ClientAuth.NEED;
        }
        if (config.clientAuth() == DtlsConfig.ClientAuth.NONE) {
            return true;
        }
        if (config.peerVerifier() == null) {
            return false;
        }
        try {
            return clientCheck().accepts(parseCertificates(new CertificateMessage(s.peerCertificates())));
        } catch (HandshakeFailure e) {
            return false;
        }
    }

    @Override
    byte[] pskKeyFor(byte[] identity) {
        return config.pskStore() == null ? null : config.pskStore().keyFor(identity);
    }

    /** The host name of the client's server_name (RFC 6066 3), or {@code null}. */
    static String requestedServerName(Extension sni) {
        if (sni == null) {
            return null;
        }
        try {
            return ServerNameList.from(sni).hostName();
        } catch (DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed server_name: " + e.getMessage());
        }
    }

    /**
     * A fresh ServerHello.random; a server that could have spoken DTLS 1.3 ends it with the
     * downgrade sentinel when it negotiates DTLS 1.2 (RFC 8446 4.1.3, RFC 9147 5.3).
     */
    private byte[] newServerRandom() {
        byte[] random = new byte[32];
        config.random().nextBytes(random);
        if (config.dtls13()) {
            DowngradeSentinel.DTLS_1_2.writeInto(random);
        }
        return random;
    }

    /** RFC 5246 7.3 abbreviated handshake: ServerHello, [NewSessionTicket], ChangeCipherSpec, Finished. */
    private void resumeSession(ClientHello hello, HandshakeMessage message, SessionState previous,
            boolean secureRenegotiation, long now) {
        restore(previous);
        sessionId = hello.sessionId();
        clientRandom = hello.random();
        serverRandom = newServerRandom();
        transcript.add(message);
        List<Extension> serverExts = serverHelloExtensions(hello.extensions(), secureRenegotiation);
        List<Flight.Item> flight = new ArrayList<>(4);
        add(flight, HandshakeType.SERVER_HELLO,
                new ServerHello(ProtocolVersion.DTLS_1_2, serverRandom, sessionId, suite.code, 0, serverExts).encode());
        if (issueTicket) {
            addNewSessionTicket(flight, previous, now);
        }
        deriveTrafficKeys();
        addChangeCipherSpecAndFinished(flight);
        state = State.WAIT_CHANGE_CIPHER_SPEC;
        engine.sendFlight(flight, true, now);
    }

    /**
     * The ServerHello's extensions, full or abbreviated handshake alike: only answers to what
     * the client offered (RFC 5246 7.4.1.4), for the suite and group already chosen.
     */
    private List<Extension> serverHelloExtensions(List<Extension> exts, boolean secureRenegotiation) {
        List<Extension> serverExts = new ArrayList<>();
        if (secureRenegotiation) {
            serverExts.add(new RenegotiationInfo(new byte[0]).toExtension());
        }
        if (extendedMasterSecret) {
            serverExts.add(new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]));
        }
        if (group != null && Extensions.find(exts, ExtensionType.EC_POINT_FORMATS) != null) {
            serverExts.add(new EcPointFormats(List.of(0)).toExtension());
        }
        negotiateExtensions(exts, serverExts);
        addEncryptThenMac(exts, serverExts);
        if (issueTicket) {
            serverExts.add(new Extension(ExtensionType.SESSION_TICKET, new byte[0]));
        }
        return serverExts;
    }

    private void addNewSessionTicket(List<Flight.Item> flight, SessionState state, long now) {
        byte[] ticket = config.sessionTicketKeys().seal(state, now);
        add(flight, HandshakeType.NEW_SESSION_TICKET,
                new NewSessionTicket(config.sessionTicketKeys().ticketLifetimeMillis() / 1000, ticket).encode());
    }

    /** RFC 7366 3: agree to encrypt_then_mac only for a CBC suite the client asked it for. */
    private void addEncryptThenMac(List<Extension> exts, List<Extension> serverExts) {
        if (suite.bulkCipher.type == CipherSuite.CipherType.CBC
                && Extensions.find(exts, ExtensionType.ENCRYPT_THEN_MAC) != null) {
            encryptThenMac = true;
            serverExts.add(new Extension(ExtensionType.ENCRYPT_THEN_MAC, new byte[0]));
        }
    }

    /** RFC 6066 3: pick the certificate for the requested host name; the default otherwise. */
    private CertifiedKey selectCertificate(String requestedName) {
        if (requestedName == null) {
            return config.certifiedKey();
        }
        serverName = requestedName;
        CertifiedKey byName = config.sniCertificates().get(serverName.toLowerCase(java.util.Locale.ROOT));
        return byName != null ? byName : config.certifiedKey();
    }

    /** use_srtp, ALPN, server_name, record_size_limit, connection_id, rrc: answer only what the client offered. */
    private void negotiateExtensions(List<Extension> exts, List<Extension> serverExts) {
        try {
            SrtpNegotiation.Agreed srtp = SrtpNegotiation.choose(config, exts);
            if (srtp != null) {
                srtpProfile = srtp.profile();
                srtpMki = srtp.mki();
                serverExts.add(srtp.toExtension());
            }
            Extension alpn = Extensions.find(exts, ExtensionType.ALPN);
            if (alpn != null && !config.applicationProtocols().isEmpty()) {
                List<String> offered = ApplicationLayerProtocols.from(alpn).protocols();
                for (String p : config.applicationProtocols()) {
                    if (offered.contains(p)) {
                        applicationProtocol = p;
                        break;
                    }
                }
                if (applicationProtocol == null) {
                    throw new HandshakeFailure(AlertDescription.NO_APPLICATION_PROTOCOL,
                            "client offers ALPN " + offered + ", we speak " + config.applicationProtocols() + " (RFC 7301 3.2)");
                }
                serverExts.add(new ApplicationLayerProtocols(List.of(applicationProtocol)).toExtension());
            }
            // RFC 6066 3: acknowledged in a full handshake; "when resuming a session, the
            // server MUST NOT include a server_name extension".
            if (serverName != null && !resumed) {
                serverExts.add(new Extension(ExtensionType.SERVER_NAME, new byte[0]));
            }
            Extension rsl = Extensions.find(exts, ExtensionType.RECORD_SIZE_LIMIT);
            if (rsl != null) {
                peerRecordSizeLimit = RecordSizeLimit.from(rsl).limit();
                if (config.recordSizeLimit() > 0) {
                    serverExts.add(new RecordSizeLimit(config.recordSizeLimit()).toExtension());
                }
            }
            Extension cid = Extensions.find(exts, ExtensionType.CONNECTION_ID);
            if (cid != null && config.connectionIds()) {
                // RFC 9146 3: answer only an offer, with the ID we want in the client's records;
                // an ID too long for our PMTU (it goes in every record we send) is declined.
                byte[] clientCid = ConnectionId.from(cid).cid();
                if (engine.connectionIdFits(suite, clientCid.length)) {
                    useConnectionIds(clientCid);
                    serverExts.add(new ConnectionId(engine.localConnectionId()).toExtension());
                    Extension rrc = Extensions.find(exts, ExtensionType.RRC);
                    if (rrc != null && config.returnRoutabilityCheck()) {
                        // RFC 9853 3: answered only beside an agreed connection_id.
                        Rrc.check(rrc);
                        returnRoutabilityCheck = true;
                        serverExts.add(Rrc.extension());
                    }
                }
            }
        } catch (DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed ClientHello extension: " + e.getMessage());
        }
    }

    private void addCertificateAndSignedKeyExchange(List<Flight.Item> flight, CertifiedKey key, SignatureScheme scheme) {
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate c : key.chain()) {
            try {
                der.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot encode our certificate", e);
            }
        }
        localCertificates = key.chain();
        add(flight, HandshakeType.CERTIFICATE, new CertificateMessage(der).encode());
        ServerKeyExchangeEcdhe unsigned = new ServerKeyExchangeEcdhe(group.code, ephemeral.publicValue(), scheme.code, new byte[0]);
        byte[] signature;
        try {
            signature = Signatures.sign(scheme, key.privateKey(),
                    ServerKeyExchangeEcdhe.signedData(clientRandom, serverRandom, unsigned.paramsBytes()));
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "signing ServerKeyExchange failed: " + e.getMessage(), e);
        }
        add(flight, HandshakeType.SERVER_KEY_EXCHANGE,
                new ServerKeyExchangeEcdhe(group.code, ephemeral.publicValue(), scheme.code, signature).encode());
    }

    private void add(List<Flight.Item> flight, HandshakeType type, byte[] body) {
        HandshakeMessage m = engine.newMessage(type, body);
        transcript.add(m);
        flight.add(new Flight.HandshakeItem(0, m));
    }

    private NamedGroup chooseGroup(Extension supportedGroups) {
        if (supportedGroups == null) {
            // RFC 8422 4: without the extension the client supports any curve; P-256 is the safe pick.
            return config.namedGroups().contains(NamedGroup.SECP256R1) ? NamedGroup.SECP256R1 : null;
        }
        List<Integer> offered = SupportedGroups.from(supportedGroups).groups();
        for (NamedGroup g : config.namedGroups()) {
            if (offered.contains(g.code)) {
                return g;
            }
        }
        return null;
    }

    private static List<SignatureScheme> clientSignatureSchemes(Extension ext) {
        if (ext == null) {
            // RFC 5246 7.4.1.4.1 would imply SHA-1, which we do not sign with; assume SHA-256.
            return List.of(SignatureScheme.ECDSA_SECP256R1_SHA256, SignatureScheme.RSA_PKCS1_SHA256);
        }
        return SignatureAlgorithms.from(ext).known();
    }

    /**
     * Server preference order (our configuration), as OpenSSL's -serverpref does: the first
     * suite the client offers that our credentials can serve.
     */
    private CipherSuite chooseSuite(List<Integer> offered, boolean haveSignature, boolean haveGroup) {
        for (CipherSuite s : config.cipherSuites()) {
            if (offered.contains(s.code) && usable(s, haveSignature, haveGroup)) {
                return s;
            }
        }
        return null;
    }

    private boolean usable(CipherSuite s, boolean haveSignature, boolean haveGroup) {
        if (s.keyExchange.usesEcdhe() && !haveGroup) {
            return false;
        }
        if (s.keyExchange.usesPsk()) {
            return config.pskStore() != null;
        }
        return haveSignature && keyMatchesSuite(keyType(config.certifiedKey().privateKey()), s);
    }

    private String noOverlap(ClientHello hello, NamedGroup group, SignatureScheme scheme) {
        List<String> names = new ArrayList<>();
        for (int code : hello.cipherSuites()) {
            CipherSuite s = CipherSuite.of(code);
            names.add(s != null ? s.opensslName : String.format("0x%04x", code));
        }
        List<String> ours = new ArrayList<>();
        for (CipherSuite s : config.cipherSuites()) {
            if (usable(s, true, true)) {
                ours.add(s.opensslName);
            }
        }
        String detail = group == null ? "; no ECDHE group in common either (we accept " + config.namedGroups() + ")"
                : scheme == null && config.certifiedKey() != null ? "; the client accepts no signature scheme our "
                        + config.certifiedKey().privateKey().getAlgorithm() + " key can make" : "";
        return "no cipher suite in common: client offered " + names + ", we accept " + ours + detail;
    }

    private void onClientCertificate(HandshakeMessage message) {
        List<X509Certificate> chain = parseCertificates(decode(message, CertificateMessage::decode));
        if (chain.isEmpty()) {
            if (config.clientAuth() == DtlsConfig.ClientAuth.NEED) {
                throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE,
                        "client sent no certificate, but client authentication is required");
            }
        } else {
            verifyPeer(clientCheck(), chain, "client");
        }
        peerCertificates = chain;
        peerKey = chain.isEmpty() ? null : config.verificationKeyCache().forVerification(chain.get(0).getPublicKey());
        transcript.add(message);
        state = State.WAIT_CLIENT_KEY_EXCHANGE;
    }

    /** A client certificate: trusted, and for client authentication (RFC 5280 4.2.1.12). */
    private PeerCertificateCheck clientCheck() {
        return new PeerCertificateCheck(config.peerVerifier(), KeyUsagePolicy.Purpose.TLS_CLIENT, null);
    }

    private void onClientKeyExchange(HandshakeMessage message) {
        byte[] preMaster;
        if (suite.keyExchange.usesPsk()) {
            boolean ecdhe = suite.keyExchange.usesEcdhe();
            ClientKeyExchangePsk cke = decode(message, body -> ClientKeyExchangePsk.decode(body, ecdhe));
            byte[] psk = config.pskStore().keyFor(cke.identity());
            if (psk == null) {
                throw new HandshakeFailure(AlertDescription.UNKNOWN_PSK_IDENTITY,
                        "unknown PSK identity '" + printable(cke.identity()) + "'");
            }
            pskIdentity = cke.identity();
            preMaster = PskPremaster.of(ecdhe ? agree(cke.publicPoint()) : new byte[psk.length], psk);
        } else {
            ClientKeyExchangeEcdhe cke = decode(message, ClientKeyExchangeEcdhe::decode);
            preMaster = agree(cke.publicPoint());
        }
        transcript.add(message);
        deriveMasterSecret(preMaster);
        deriveTrafficKeys();
        // RFC 5246 7.4.8: a client that sent a certificate must prove it holds the key.
        state = peerCertificates.isEmpty() ? State.WAIT_CHANGE_CIPHER_SPEC : State.WAIT_CERTIFICATE_VERIFY;
    }

    private byte[] agree(byte[] clientPoint) {
        try {
            return ephemeral.agree(clientPoint);
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "invalid client ECDHE public value: " + e.getMessage(), e);
        }
    }

    private void onCertificateVerify(HandshakeMessage message) {
        CertificateVerify cv = decode(message, CertificateVerify::decode);
        SignatureScheme scheme = SignatureScheme.of(cv.signatureScheme());
        if (scheme == null || !config.signatureSchemes().contains(scheme)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    String.format("client signed with scheme 0x%04x, which we did not request", cv.signatureScheme()));
        }
        if (!Signatures.verify(scheme, peerKey, transcript.bytes(), cv.signature())) {
            throw new HandshakeFailure(AlertDescription.DECRYPT_ERROR, "client CertificateVerify signature does not verify");
        }
        transcript.add(message);
        state = State.WAIT_CHANGE_CIPHER_SPEC;
    }

    @Override
    void onChangeCipherSpec() {
        super.onChangeCipherSpec();
        state = State.WAIT_FINISHED;
    }

    private void onFinished(HandshakeMessage message, long now) {
        verifyPeerFinished(message);
        state = State.COMPLETE;
        if (resumed) {
            // Abbreviated handshake: our Finished went first; the client's completes it.
            engine.handshakeComplete(session());
            return;
        }
        SessionState saved = sessionState(now);
        List<Flight.Item> flight = new ArrayList<>(3);
        if (issueTicket) {
            // RFC 5077 3.3: NewSessionTicket goes after the client's Finished, before our ChangeCipherSpec.
            addNewSessionTicket(flight, saved, now);
        }
        addChangeCipherSpecAndFinished(flight);
        if (config.sessionCache() != null && sessionId.length > 0) {
            config.sessionCache().put(sessionId, saved);
        }
        // Our final flight: the client's silence acknowledges it; we resend it only when the
        // client repeats its own final flight (RFC 6347 4.2.4).
        engine.sendFlight(flight, false, now);
        engine.handshakeComplete(session());
    }
}
