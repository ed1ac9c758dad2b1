package org.dtlsip.dtls.engine;

import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.CHANGE_CIPHER_SPEC;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.ENCRYPTED;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.ESTABLISHED;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.Phase.PLAINTEXT;
import static org.dtlsip.dtls.engine.Dtls12Acceptance.client;
import static org.dtlsip.dtls.handshake.HandshakeType.CERTIFICATE;
import static org.dtlsip.dtls.handshake.HandshakeType.CERTIFICATE_REQUEST;
import static org.dtlsip.dtls.handshake.HandshakeType.FINISHED;
import static org.dtlsip.dtls.handshake.HandshakeType.HELLO_REQUEST;
import static org.dtlsip.dtls.handshake.HandshakeType.HELLO_VERIFY_REQUEST;
import static org.dtlsip.dtls.handshake.HandshakeType.NEW_SESSION_TICKET;
import static org.dtlsip.dtls.handshake.HandshakeType.SERVER_HELLO;
import static org.dtlsip.dtls.handshake.HandshakeType.SERVER_HELLO_DONE;
import static org.dtlsip.dtls.handshake.HandshakeType.SERVER_KEY_EXCHANGE;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
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
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.handshake.extension.ApplicationLayerProtocols;
import org.dtlsip.dtls.handshake.extension.ConnectionId;
import org.dtlsip.dtls.handshake.extension.RecordSizeLimit;
import org.dtlsip.dtls.handshake.extension.Rrc;
import org.dtlsip.dtls.handshake.extension.ServerNameList;
import org.dtlsip.dtls.handshake.extension.UseSrtp;
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
import org.dtlsip.dtls.handshake.message.HelloVerifyRequest;
import org.dtlsip.dtls.handshake.message.NewSessionTicket;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangeEcdhe;
import org.dtlsip.dtls.handshake.extension.KeyShareClientHello;
import org.dtlsip.dtls.handshake.extension.KeyShareEntry;
import org.dtlsip.dtls.handshake.extension.SelectedVersion;
import org.dtlsip.dtls.handshake.extension.SupportedVersions;
import org.dtlsip.dtls.handshake.message.DowngradeSentinel;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The client side of a full DTLS 1.2 handshake (RFC 6347 4.2, RFC 5246 7.3):
 * <pre>
 *   ClientHello            -&gt;
 *                          &lt;-  HelloVerifyRequest        (optional, RFC 6347 4.2.1)
 *   ClientHello + cookie   -&gt;
 *                          &lt;-  ServerHello, Certificate, ServerKeyExchange,
 *                              [CertificateRequest], ServerHelloDone
 *   [Certificate], ClientKeyExchange, [CertificateVerify],
 *   ChangeCipherSpec, Finished -&gt;
 *                          &lt;-  ChangeCipherSpec, Finished
 * </pre>
 */
final class ClientHandshake extends Handshake {
    /** HelloVerifyRequests answered per handshake; a server asking more often is looping us (CVE-2014-0221). */
    static final int MAX_HELLO_VERIFY_REQUESTS = 4;

    /**
     * The client's states, each with what it accepts ({@link Dtls12Acceptance}). A state
     * accepts exactly the messages it can handle, so optional messages get states of their own.
     */
    enum State {
        WAIT_SERVER_HELLO(client(PLAINTEXT, "RFC 6347 4.2.1, RFC 5246 7.4.1.3", HELLO_VERIFY_REQUEST, SERVER_HELLO)),
        WAIT_CERTIFICATE(client(PLAINTEXT, "RFC 5246 7.4.2", CERTIFICATE)),
        WAIT_SERVER_KEY_EXCHANGE(client(PLAINTEXT, "RFC 5246 7.4.3, RFC 5489 2", SERVER_KEY_EXCHANGE)),
        /** A plain PSK server without an identity hint sends no ServerKeyExchange. */
        WAIT_PSK_SERVER_KEY_EXCHANGE(client(PLAINTEXT, "RFC 4279 2", SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE)),
        /** A certificate suite's server may ask for our certificate, once. */
        WAIT_CERTIFICATE_REQUEST(client(PLAINTEXT, "RFC 5246 7.4.4", CERTIFICATE_REQUEST, SERVER_HELLO_DONE)),
        WAIT_SERVER_HELLO_DONE(client(PLAINTEXT, "RFC 5246 7.4.5", SERVER_HELLO_DONE)),
        /** The server promised a NewSessionTicket before its ChangeCipherSpec. */
        WAIT_NEW_SESSION_TICKET(client(PLAINTEXT, "RFC 5077 3.3", NEW_SESSION_TICKET)),
        WAIT_CHANGE_CIPHER_SPEC(client(CHANGE_CIPHER_SPEC, "RFC 5246 7.1")),
        WAIT_FINISHED(client(ENCRYPTED, "RFC 5246 7.4.9", FINISHED)),
        /** A HelloRequest is answered with no_renegotiation. */
        COMPLETE(client(ESTABLISHED, "RFC 5246 7.4.1.1, RFC 5746 4.4", HELLO_REQUEST));

        final Acceptance accepts;

        State(Acceptance accepts) {
            this.accepts = accepts;
        }
    }

    /** Our DTLS 1.3 key share when the ClientHello offers DTLS 1.3 (RFC 8446 4.2.8), else null. */
    private EphemeralKeyPair keyShare13;
    private ResumableSession offeredSession;
    private byte[] offeredSessionId = new byte[0];
    private boolean expectTicket;
    private byte[] newTicket;

    private State state = State.WAIT_SERVER_HELLO;
    private ClientHello clientHello;
    private HandshakeMessage clientHelloMessage;
    private int helloVerifyRequests;
    private CertificateRequest certificateRequest;
    /** Known once ServerKeyExchange (or, for PSK without a hint, ServerHelloDone) is processed. */
    private byte[] preMaster;

    ClientHandshake(DtlsEngine engine, DtlsConfig config) {
        super(engine, config);
        PeerVerifier verifier = config.peerVerifier();
        if (verifier != null && verifier.requiresIdentityCheck() && config.serverNameCheck()
                && config.serverIdentity() == null) {
            // RFC 9525 6: trusting a CA says nothing about which server this is; without a
            // name any certificate that CA issued would do.
            throw new IllegalArgumentException("a client that trusts CAs must know the server's name to check its "
                    + "certificate: set expectedServerName(...) (DtlsSocket, DtlsChannel and DtlsClient use the host "
                    + "they connect to), or turn the check off with noServerNameCheck()");
        }
    }

    /** The server certificate: trusted, for server authentication, and naming the expected server. */
    private PeerCertificateCheck serverCheck() {
        return new PeerCertificateCheck(config.peerVerifier(), KeyUsagePolicy.Purpose.TLS_SERVER,
                config.serverNameCheck() ? config.serverIdentity() : null);
    }

    @Override
    boolean isClient() {
        return true;
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
        clientRandom = new byte[32];
        config.random().nextBytes(clientRandom);
        List<Integer> suites = new ArrayList<>();
        boolean havePsk = config.psk() != null;
        for (CipherSuite s : config.cipherSuites()) {
            // Offer only what we can complete: PSK suites need a key, certificate suites a way
            // to check the server (unless nothing else is configured, so the error says why).
            boolean usable = s.keyExchange.usesPsk() ? havePsk : (config.peerVerifier() != null || !havePsk);
            if (usable) {
                suites.add(s.code);
            }
        }
        if (!config.dtls12()) {
            suites.clear();
        }
        if (config.dtls13()) {
            // RFC 9147 5.3: one ClientHello for both versions; the 1.3 suites first, as we prefer them.
            List<Integer> all = new ArrayList<>();
            for (org.dtlsip.dtls.crypto.Tls13CipherSuite s : config.tls13CipherSuites()) {
                all.add(s.code);
            }
            all.addAll(suites);
            suites = all;
        }
        if (suites.isEmpty()) {
            throw new IllegalArgumentException("no configured cipher suite can be used: PSK suites need psk(identity, key), "
                    + "certificate suites a peer verifier");
        }
        List<Integer> groups = new ArrayList<>();
        for (NamedGroup g : config.namedGroups()) {
            groups.add(g.code);
        }
        List<Integer> schemes = new ArrayList<>();
        for (SignatureScheme s : config.signatureSchemes()) {
            schemes.add(s.code);
        }
        if (config.dtls13()) {
            // RFC 8446 4.2.3: the schemes a DTLS 1.3 CertificateVerify may use (no PKCS#1 v1.5 there).
            for (SignatureScheme s : Signatures.supportedTls13()) {
                if (!schemes.contains(s.code)) {
                    schemes.add(s.code);
                }
            }
        }
        List<Extension> extensions = new ArrayList<>(List.of(
                // No ec_point_formats: uncompressed is the only format, and RFC 8422 5.1.2 says
                // its absence means exactly that; omitting it keeps both ClientHellos smaller.
                new SupportedGroups(groups).toExtension(),
                new SignatureAlgorithms(schemes).toExtension(),
                new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]),
                new RenegotiationInfo(new byte[0]).toExtension()));
        if (config.serverName() != null) {
            extensions.add(new ServerNameList(config.serverName()).toExtension());
        }
        if (!config.srtpProfiles().isEmpty()) {
            List<Integer> profiles = new ArrayList<>();
            for (SrtpProfile p : config.srtpProfiles()) {
                profiles.add(p.code);
            }
            extensions.add(new UseSrtp(profiles, new byte[0]).toExtension());
        }
        if (!config.applicationProtocols().isEmpty()) {
            extensions.add(new ApplicationLayerProtocols(config.applicationProtocols()).toExtension());
        }
        if (config.recordSizeLimit() > 0) {
            extensions.add(new RecordSizeLimit(config.recordSizeLimit()).toExtension());
        }
        if (config.cipherSuites().stream().anyMatch(cs -> cs.bulkCipher.type == CipherSuite.CipherType.CBC)) {
            extensions.add(new Extension(ExtensionType.ENCRYPT_THEN_MAC, new byte[0]));
        }
        if (config.connectionIds()) {
            // RFC 9146 3: the ID we want in the server's records (possibly empty).
            extensions.add(new ConnectionId(engine.localConnectionId()).toExtension());
            if (config.returnRoutabilityCheck()) {
                // RFC 9853 3: offered only with connection_id, which it needs.
                extensions.add(Rrc.extension());
            }
        }
        if (config.dtls13()) {
            // RFC 8446 4.2.1, 4.2.8: the versions we speak, highest first, and one key share of
            // our most preferred group (a server preferring another asks with a HelloRetryRequest).
            int[] versions = config.protocolVersions().stream().mapToInt(Integer::intValue).toArray();
            extensions.add(SupportedVersions.of(versions).toExtension());
            keyShare13 = EphemeralKeyPair.generate(config.namedGroups().get(0), config.random());
            extensions.add(new KeyShareClientHello(List.of(KeyShareEntry.of(keyShare13.group(), keyShare13.publicValue())))
                    .toExtension());
        }
        ResumableSession resume = config.resumeSession();
        if (resume != null && resume.state() != null && config.cipherSuites().contains(resume.state().suite())
                && stillAuthenticates(resume.state())) {
            offeredSession = resume;
            // RFC 5077 3.4: with a ticket alone the client invents a session ID, so that the
            // server's echo tells it the ticket was accepted.
            offeredSessionId = resume.sessionId().length > 0 ? resume.sessionId() : randomSessionId();
        }
        byte[] savedTicket = offeredSession != null ? offeredSession.ticket() : new byte[0];
        if (config.requestSessionTickets() || savedTicket.length > 0) {
            extensions.add(new Extension(ExtensionType.SESSION_TICKET, savedTicket));
        }
        clientHello = new ClientHello(ProtocolVersion.DTLS_1_2, clientRandom, offeredSessionId, new byte[0], suites,
                List.of(0), extensions);
        Tls13Ticket ticket = Tls13Resumption.offerable(config, now);
        if (ticket != null && chainStillAuthenticates(ticket.state().peerCertificates())) {
            // RFC 8446 4.2.11: the 1.3 ticket as a PSK, last; a 1.2 server ignores it.
            clientHello = Tls13Resumption.withPskOffer(clientHello, ticket, new org.dtlsip.dtls.handshake.Transcript13(), now);
        }
        sendClientHello(now);
    }

    /**
     * Whether the saved session's server would pass this configuration's checks now: its
     * chain against our verifier, key usage and expected name (a session saved for one name is
     * not offered to another), or the same PSK identity and key. Otherwise a full handshake decides.
     */
    private boolean stillAuthenticates(SessionState saved) {
        if (saved.suite().keyExchange.usesPsk()) {
            return saved.madeWithPsk(pskKeyFor(saved.pskIdentity()));
        }
        return chainStillAuthenticates(saved.peerCertificates());
    }

    /** Whether a saved server chain passes this configuration's verifier, key usage and name now (either version). */
    private boolean chainStillAuthenticates(List<byte[]> chain) {
        if (config.peerVerifier() == null || chain.isEmpty()) {
            return false;
        }
        try {
            return serverCheck().accepts(parseCertificates(new CertificateMessage(chain)));
        } catch (HandshakeFailure e) {
            return false;
        }
    }

    @Override
    byte[] pskKeyFor(byte[] identity) {
        return config.psk() != null && java.util.Arrays.equals(config.pskIdentity(), identity) ? config.psk() : null;
    }

    private byte[] randomSessionId() {
        byte[] id = new byte[32];
        config.random().nextBytes(id);
        return id;
    }

    private void sendClientHello(long now) {
        clientHelloMessage = engine.newMessage(HandshakeType.CLIENT_HELLO, clientHello.encode());
        engine.sendFlight(List.of(new Flight.HandshakeItem(0, clientHelloMessage)), true, now);
    }

    @Override
    void onMessage(HandshakeMessage message, long now) {
        HandshakeType type = message.type();
        switch (state) {
            case WAIT_SERVER_HELLO -> {
                if (type == HandshakeType.HELLO_VERIFY_REQUEST) {
                    onHelloVerifyRequest(message, now);
                } else {
                    onServerHello(message, now);
                }
            }
            case WAIT_CERTIFICATE -> onCertificate(message);
            case WAIT_SERVER_KEY_EXCHANGE, WAIT_PSK_SERVER_KEY_EXCHANGE -> {
                if (type == HandshakeType.SERVER_HELLO_DONE) {
                    onServerHelloDone(message, now);
                } else {
                    onServerKeyExchange(message);
                }
            }
            case WAIT_CERTIFICATE_REQUEST -> {
                if (type == HandshakeType.CERTIFICATE_REQUEST) {
                    certificateRequest = decode(message, CertificateRequest::decode);
                    transcript.add(message);
                    state = State.WAIT_SERVER_HELLO_DONE;
                } else {
                    onServerHelloDone(message, now);
                }
            }
            case WAIT_SERVER_HELLO_DONE -> onServerHelloDone(message, now);
            case WAIT_NEW_SESSION_TICKET -> {
                NewSessionTicket nst = decode(message, NewSessionTicket::decode);
                newTicket = nst.ticket();
                transcript.add(message);
                state = State.WAIT_CHANGE_CIPHER_SPEC;
            }
            case WAIT_FINISHED -> {
                verifyPeerFinished(message);
                if (resumed) {
                    // RFC 5246 7.3 abbreviated handshake: the client speaks last.
                    List<Flight.Item> flight = new ArrayList<>(2);
                    addChangeCipherSpecAndFinished(flight);
                    engine.sendFlight(flight, false, now);
                }
                state = State.COMPLETE;
                resumable = saveSession(now);
                engine.handshakeComplete(session());
            }
            // RFC 5746 4.4 / RFC 5246 7.4.1.1: we never renegotiate; say so and carry on.
            case COMPLETE -> engine.sendWarning(AlertDescription.NO_RENEGOTIATION);
            // The table admits no message here; reaching this is a bug, reported as one.
            case WAIT_CHANGE_CIPHER_SPEC -> throw unexpected(message, state.name());
        }
    }

    @Override
    String stateName() {
        return state.name();
    }

    private void onHelloVerifyRequest(HandshakeMessage message, long now) {
        HelloVerifyRequest hvr = decode(message, HelloVerifyRequest::decode);
        if (++helloVerifyRequests > MAX_HELLO_VERIFY_REQUESTS) {
            throw new HandshakeFailure(AlertDescription.UNEXPECTED_MESSAGE,
                    "server sent more than " + MAX_HELLO_VERIFY_REQUESTS + " HelloVerifyRequests");
        }
        if (hvr.serverVersion() != ProtocolVersion.DTLS_1_0 && hvr.serverVersion() != ProtocolVersion.DTLS_1_2) {
            throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                    "HelloVerifyRequest with version " + ProtocolVersion.name(hvr.serverVersion()));
        }
        // RFC 6347 4.2.1: same parameters, plus the cookie; the first ClientHello and the
        // HelloVerifyRequest stay out of the transcript (4.2.6).
        clientHello = clientHello.withCookie(hvr.cookie());
        sendClientHello(now);
    }

    private void onServerHello(HandshakeMessage message, long now) {
        ServerHello hello = decode(message, ServerHello::decode);
        Extension selected = Extensions.find(hello.extensions(), ExtensionType.SUPPORTED_VERSIONS);
        if (selected != null) {
            // RFC 8446 4.2.1: supported_versions in a ServerHello (or HelloRetryRequest) chooses DTLS 1.3.
            if (keyShare13 == null) {
                throw new HandshakeFailure(AlertDescription.UNSUPPORTED_EXTENSION,
                        "server sent supported_versions, which we did not offer (DTLS 1.3 is not enabled)");
            }
            int version = SelectedVersion.from(selected).version();
            if (version != ProtocolVersion.DTLS_1_3) {
                throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                        "server's supported_versions selects " + ProtocolVersion.name(version) + " (RFC 8446 4.2.1)");
            }
            ClientHello offered = clientHello;
            HandshakeMessage offeredMessage = clientHelloMessage;
            EphemeralKeyPair share = keyShare13;
            engine.upgradeTo13(a -> Tls13Client.expectServerHello(a, offered, offeredMessage, share), message, now);
            return;
        }
        if (keyShare13 != null) {
            if (!config.dtls12()) {
                throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                        "server chose DTLS 1.2, but only DTLS 1.3 is enabled (RFC 8446 4.2.1)");
            }
            if (DowngradeSentinel.find(hello.random()) != null) {
                // RFC 8446 4.1.3 (RFC 9147 5.3): a DTLS 1.3 server chose 1.2, so someone removed 1.3 from our hello.
                throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "ServerHello.random carries the downgrade "
                        + "sentinel: the server speaks DTLS 1.3, which we offered; the hello was tampered with (RFC 8446 4.1.3)");
            }
        }
        if (hello.serverVersion() != ProtocolVersion.DTLS_1_2) {
            throw new HandshakeFailure(AlertDescription.PROTOCOL_VERSION,
                    "server chose " + ProtocolVersion.name(hello.serverVersion()) + "; only DTLS 1.2 is supported");
        }
        suite = CipherSuite.of(hello.cipherSuite());
        if (suite == null || !config.cipherSuites().contains(suite)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    String.format("server chose cipher suite 0x%04x, which we did not offer", hello.cipherSuite()));
        }
        if (hello.compressionMethod() != 0) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "server chose compression " + hello.compressionMethod());
        }
        for (Extension e : hello.extensions()) {
            // RFC 5246 7.4.1.4: a server must not send an extension the client did not offer.
            if (Extensions.find(clientHello.extensions(), e.type()) == null) {
                throw new HandshakeFailure(AlertDescription.UNSUPPORTED_EXTENSION,
                        "server sent unsolicited extension " + ExtensionType.name(e.type()));
            }
        }
        Extension ri = Extensions.find(hello.extensions(), ExtensionType.RENEGOTIATION_INFO);
        if (ri != null && RenegotiationInfo.from(ri).renegotiatedConnection().length != 0) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "non-empty renegotiation_info in an initial handshake (RFC 5746 3.4)");
        }
        extendedMasterSecret = Extensions.find(hello.extensions(), ExtensionType.EXTENDED_MASTER_SECRET) != null;
        if (!extendedMasterSecret && config.requireExtendedMasterSecret()) {
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE,
                    "server does not support extended_master_secret (RFC 7627), which is required");
        }
        negotiateExtensions(hello);
        serverRandom = hello.random();
        transcript.add(clientHelloMessage);
        transcript.add(message);
        encryptThenMac = suite.bulkCipher.type == CipherSuite.CipherType.CBC
                && Extensions.find(hello.extensions(), ExtensionType.ENCRYPT_THEN_MAC) != null;
        expectTicket = Extensions.find(hello.extensions(), ExtensionType.SESSION_TICKET) != null;
        if (offeredSession != null && java.util.Arrays.equals(hello.sessionId(), offeredSessionId)) {
            resume(offeredSession.state());
            return;
        }
        sessionId = hello.sessionId();
        state = switch (suite.keyExchange) {
            case ECDHE_ECDSA, ECDHE_RSA -> State.WAIT_CERTIFICATE;
            case PSK -> State.WAIT_PSK_SERVER_KEY_EXCHANGE;
            case ECDHE_PSK -> State.WAIT_SERVER_KEY_EXCHANGE;
        };
    }

    /** The server echoed our session ID: an abbreviated handshake with the saved master secret. */
    private void resume(SessionState saved) {
        if (saved.suite() != suite) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    "server resumed the session with " + suite.opensslName + " instead of " + saved.suite().opensslName);
        }
        boolean negotiatedEms = extendedMasterSecret;
        restore(saved);
        if (negotiatedEms != saved.extendedMasterSecret()) {
            // RFC 7627 5.3: a session resumes only with the same extended_master_secret choice.
            throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE,
                    "server resumed a session with a different extended_master_secret setting (RFC 7627 5.3)");
        }
        sessionId = offeredSessionId;
        deriveTrafficKeys();
        state = expectTicket ? State.WAIT_NEW_SESSION_TICKET : State.WAIT_CHANGE_CIPHER_SPEC;
    }

    /** The session to offer next time: the server's ID and/or its newest ticket. */
    private ResumableSession saveSession(long now) {
        byte[] ticket = newTicket != null && newTicket.length > 0 ? newTicket
                : resumed && offeredSession != null ? offeredSession.ticket() : new byte[0];
        if (ticket.length == 0 && sessionId.length == 0) {
            return null;
        }
        return new ResumableSession(sessionId, ticket, resumed ? offeredSession.state() : sessionState(now));
    }

    /** Checks and records what the server chose among the optional extensions we offered. */
    private void negotiateExtensions(ServerHello hello) {
        try {
            Extension srtp = Extensions.find(hello.extensions(), ExtensionType.USE_SRTP);
            if (srtp != null) {
                // RFC 5764 4.1.1: exactly one of the offered profiles, and our MKI or none.
                SrtpNegotiation.Agreed agreed = SrtpNegotiation.check(config, clientHello.extensions(), srtp);
                srtpProfile = agreed.profile();
                srtpMki = agreed.mki();
            }
            Extension alpn = Extensions.find(hello.extensions(), ExtensionType.ALPN);
            if (alpn != null) {
                List<String> chosen = ApplicationLayerProtocols.from(alpn).protocols();
                if (chosen.size() != 1 || !config.applicationProtocols().contains(chosen.get(0))) {
                    throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                            "server chose ALPN " + chosen + ", not one protocol we offered (RFC 7301 3.1)");
                }
                applicationProtocol = chosen.get(0);
            }
            Extension rsl = Extensions.find(hello.extensions(), ExtensionType.RECORD_SIZE_LIMIT);
            if (rsl != null) {
                peerRecordSizeLimit = RecordSizeLimit.from(rsl).limit();
            }
            if (Extensions.find(hello.extensions(), ExtensionType.SERVER_NAME) != null) {
                serverName = config.serverName();
            }
            Extension cid = Extensions.find(hello.extensions(), ExtensionType.CONNECTION_ID);
            if (cid != null) {
                // RFC 9146 3: the server agreed; its value is the ID our records to it carry.
                byte[] serverCid = ConnectionId.from(cid).cid();
                if (!engine.connectionIdFits(suite, serverCid.length)) {
                    throw new HandshakeFailure(AlertDescription.HANDSHAKE_FAILURE, "the server's connection ID of "
                            + serverCid.length + " bytes makes our records under " + suite.opensslName + " take "
                            + FlightPacker.connectionIdOverhead(suite, serverCid.length) + " bytes of overhead, which with the "
                            + HandshakeFragment.HEADER_LENGTH + "-byte fragment header leaves no room in PMTU " + engine.pmtu()
                            + "; raise the PMTU or do not offer connection IDs");
                }
                useConnectionIds(serverCid);
            }
            Extension rrc = Extensions.find(hello.extensions(), ExtensionType.RRC);
            if (rrc != null) {
                Rrc.check(rrc);
                // RFC 9853 3: usable once both sides exchanged it; it needs the connection IDs
                // a server answering rrc must have agreed to as well.
                returnRoutabilityCheck = cid != null;
            }
        } catch (org.dtlsip.dtls.util.DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed ServerHello extension: " + e.getMessage());
        }
    }

    private void onCertificate(HandshakeMessage message) {
        CertificateMessage certificates = decode(message, CertificateMessage::decode);
        List<X509Certificate> chain = parseCertificates(certificates);
        if (chain.isEmpty()) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "server sent an empty Certificate message");
        }
        if (!keyMatchesSuite(keyType(chain.get(0).getPublicKey()), suite)) {
            throw new HandshakeFailure(AlertDescription.UNSUPPORTED_CERTIFICATE,
                    "server certificate key " + chain.get(0).getPublicKey().getAlgorithm() + " does not fit " + suite.opensslName);
        }
        verifyPeer(serverCheck(), chain, "server");
        peerCertificates = chain;
        peerKey = config.verificationKeyCache().forVerification(chain.get(0).getPublicKey());
        transcript.add(message);
        state = State.WAIT_SERVER_KEY_EXCHANGE;
    }

    private void onServerKeyExchange(HandshakeMessage message) {
        switch (suite.keyExchange) {
            case ECDHE_ECDSA, ECDHE_RSA -> onSignedServerKeyExchange(message);
            case PSK -> {
                // The hint may tell a client with several keys which one to use (RFC 4279 5.2); we have one.
                decode(message, ServerKeyExchangePsk::decode);
                preMaster = PskPremaster.plain(config.psk());
            }
            case ECDHE_PSK -> {
                ServerKeyExchangeEcdhePsk ske = decode(message, ServerKeyExchangeEcdhePsk::decode);
                preMaster = PskPremaster.of(agree(ske.namedGroup(), ske.publicPoint()), config.psk());
            }
        }
        transcript.add(message);
        // RFC 4279 2: no CertificateRequest with PSK suites.
        state = suite.keyExchange.usesCertificate() ? State.WAIT_CERTIFICATE_REQUEST : State.WAIT_SERVER_HELLO_DONE;
    }

    private void onSignedServerKeyExchange(HandshakeMessage message) {
        ServerKeyExchangeEcdhe ske = decode(message, ServerKeyExchangeEcdhe::decode);
        SignatureScheme scheme = SignatureScheme.of(ske.signatureScheme());
        if (scheme == null || !config.signatureSchemes().contains(scheme)
                || !keyMatchesSuite(scheme.keyType, suite)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    String.format("server signed with scheme 0x%04x, which we did not offer for this suite", ske.signatureScheme()));
        }
        byte[] signed = ServerKeyExchangeEcdhe.signedData(clientRandom, serverRandom, ske.paramsBytes());
        if (!Signatures.verify(scheme, peerKey, signed, ske.signature())) {
            throw new HandshakeFailure(AlertDescription.DECRYPT_ERROR,
                    "ServerKeyExchange signature does not verify with the server certificate");
        }
        preMaster = agree(ske.namedGroup(), ske.publicPoint());
    }

    /** Checks the server's group, makes our ephemeral key in it and returns the shared secret. */
    private byte[] agree(int groupCode, byte[] serverPoint) {
        group = NamedGroup.of(groupCode);
        if (group == null || !config.namedGroups().contains(group)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    "server chose group " + groupCode + ", which we did not offer");
        }
        ephemeral = EphemeralKeyPair.generate(group, config.random());
        try {
            return ephemeral.agree(serverPoint);
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "invalid server ECDHE public value: " + e.getMessage(), e);
        }
    }


    private void onServerHelloDone(HandshakeMessage message, long now) {
        decode(message, org.dtlsip.dtls.handshake.message.ServerHelloDone::decode);
        transcript.add(message);
        List<Flight.Item> flight = new ArrayList<>(5);
        CertifiedKey ourKey = null;
        SignatureScheme verifyScheme = null;
        if (certificateRequest != null) {
            CertifiedKey candidate = config.certifiedKey();
            if (candidate != null) {
                List<SignatureScheme> offered = new ArrayList<>();
                for (int code : certificateRequest.signatureSchemes()) {
                    SignatureScheme s = SignatureScheme.of(code);
                    if (s != null) {
                        offered.add(s);
                    }
                }
                verifyScheme = Signatures.select(candidate.privateKey(), offered);
                if (verifyScheme != null) {
                    ourKey = candidate;
                }
            }
            List<byte[]> der = new ArrayList<>();
            if (ourKey != null) {
                for (X509Certificate c : ourKey.chain()) {
                    try {
                        der.add(c.getEncoded());
                    } catch (CertificateEncodingException e) {
                        throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "cannot encode our certificate", e);
                    }
                }
                localCertificates = ourKey.chain();
            }
            HandshakeMessage certificate = engine.newMessage(HandshakeType.CERTIFICATE, new CertificateMessage(der).encode());
            transcript.add(certificate);
            flight.add(new Flight.HandshakeItem(0, certificate));
        }
        if (preMaster == null) {
            preMaster = PskPremaster.plain(config.psk()); // PSK without ServerKeyExchange
        }
        byte[] ckeBody = switch (suite.keyExchange) {
            case ECDHE_ECDSA, ECDHE_RSA -> new ClientKeyExchangeEcdhe(ephemeral.publicValue()).encode();
            case PSK -> new ClientKeyExchangePsk(config.pskIdentity(), new byte[0]).encode();
            case ECDHE_PSK -> new ClientKeyExchangePsk(config.pskIdentity(), ephemeral.publicValue()).encode();
        };
        if (suite.keyExchange.usesPsk()) {
            pskIdentity = config.pskIdentity();
        }
        HandshakeMessage cke = engine.newMessage(HandshakeType.CLIENT_KEY_EXCHANGE, ckeBody);
        transcript.add(cke);
        flight.add(new Flight.HandshakeItem(0, cke));
        deriveMasterSecret(preMaster);
        preMaster = null;
        if (ourKey != null) {
            flight.add(new Flight.HandshakeItem(0, certificateVerify(ourKey.privateKey(), verifyScheme)));
        }
        deriveTrafficKeys();
        addChangeCipherSpecAndFinished(flight);
        state = expectTicket ? State.WAIT_NEW_SESSION_TICKET : State.WAIT_CHANGE_CIPHER_SPEC;
        engine.sendFlight(flight, true, now);
    }

    private HandshakeMessage certificateVerify(PrivateKey key, SignatureScheme scheme) {
        try {
            byte[] signature = Signatures.sign(scheme, key, transcript.bytes());
            HandshakeMessage cv = engine.newMessage(HandshakeType.CERTIFICATE_VERIFY,
                    new CertificateVerify(scheme.code, signature).encode());
            transcript.add(cv);
            return cv;
        } catch (GeneralSecurityException e) {
            throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "signing CertificateVerify failed: " + e.getMessage(), e);
        }
    }

    @Override
    void releaseHandshakeState() {
        super.releaseHandshakeState();
        clientHello = null;
        clientHelloMessage = null;
        certificateRequest = null;
        preMaster = null;
    }

    @Override
    void onChangeCipherSpec() {
        super.onChangeCipherSpec();
        state = State.WAIT_FINISHED;
    }
}
