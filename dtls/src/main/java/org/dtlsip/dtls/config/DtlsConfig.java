package org.dtlsip.dtls.config;


import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.engine.SessionCache;
import org.dtlsip.dtls.engine.SessionTicketKeys;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerIdentity;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.ServiceIdentity;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.crypto.VerificationKeyCache;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Immutable configuration of a DTLS endpoint. Every limit has a named default below with the
 * reason for its value; {@link #forClient()}, {@link #forServer()} and
 * {@link #forClientAndServer()} start from those defaults for the {@link Role} the
 * configuration serves. An option that only the other role uses is refused by
 * {@link Builder#build()}, so a misplaced setting is an error rather than silently ignored.
 */
public final class DtlsConfig {
    /**
     * Largest datagram (UDP payload) we send. 1400 leaves room for IPv6 (40), UDP (8) and a
     * tunnel header or two under a 1500-byte Ethernet MTU, so handshakes do not rely on IP
     * fragmentation (RFC 6347 4.1.1).
     */
    public static final int DEFAULT_PMTU = 1400;
    /** Smallest PMTU we accept: IPv4's minimum reassembly size less IP and UDP headers (RFC 791). */
    public static final int MIN_PMTU = 256;
    /** Largest PMTU we accept: the largest UDP payload over IPv4. */
    public static final int MAX_PMTU = 65_507;
    /** RFC 6347 4.2.4.1: initial retransmission timer of 1 second. */
    public static final long DEFAULT_INITIAL_RETRANSMIT_MILLIS = 1_000;
    /** RFC 6347 4.2.4.1: double the timer up to at least 60 seconds. */
    public static final long DEFAULT_MAX_RETRANSMIT_MILLIS = 60_000;
    /** RFC 6347 4.2.4.1: the timer doubles on each expiry. */
    public static final double DEFAULT_RETRANSMIT_BACKOFF = 2.0;
    /** Floor of a learned initial timer (see {@link Builder#adaptiveRetransmit}): loopback RTTs would give ~0 ms. */
    public static final long MIN_ADAPTIVE_RETRANSMIT_MILLIS = 100;
    /** A learned initial timer is this many round trips: room for the peer's signing and jitter. */
    public static final long ADAPTIVE_RTT_FACTOR = 3;
    /**
     * Overall handshake deadline. 1+2+4+8+16 seconds of backoff are five retransmissions, as
     * many as a lossy but working path ever needs; past that the peer is gone.
     */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 45_000;
    /** How long a server cookie secret is used before it is rotated (the previous one stays valid for as long again). */
    public static final long DEFAULT_COOKIE_SECRET_LIFETIME_MILLIS = 300_000;

    /**
     * Versions spoken unless configured: DTLS 1.3 and DTLS 1.2, the highest both peers share
     * being used (RFC 8446 4.2.1, RFC 9147 5.3). A configuration that names no versions but asks
     * for something only our DTLS 1.2 provides speaks DTLS 1.2 alone, so that 1.3 by default
     * never takes a feature away silently; {@code DefaultProtocols} lists those cases and
     * {@link #protocolVersions()} tells what was chosen. Name the versions with
     * {@link Builder#protocols} to get exactly those.
     */
    public static final List<Integer> DEFAULT_PROTOCOL_VERSIONS = DefaultProtocols.BOTH;

    private static final Logger LOG = LoggerFactory.getLogger(DtlsConfig.class);

    /**
     * DTLS 1.3 suites offered and accepted unless configured (RFC 8446 9.1 makes AES-128-GCM
     * mandatory): GCM, ChaCha20-Poly1305 and CCM. TLS_AES_128_CCM_8_SHA256 is left out: RFC 9147
     * 4.5.3 says it must not be used without additional safeguards against forgery (its 2^7
     * forgery limit); name it to enable it.
     */
    public static final List<Tls13CipherSuite> DEFAULT_TLS13_CIPHER_SUITES = List.of(
            Tls13CipherSuite.TLS_AES_128_GCM_SHA256, Tls13CipherSuite.TLS_AES_256_GCM_SHA384,
            Tls13CipherSuite.TLS_CHACHA20_POLY1305_SHA256, Tls13CipherSuite.TLS_AES_128_CCM_SHA256);

    /**
     * Suites offered and accepted unless configured: certificate-authenticated ECDHE with AEAD,
     * AES-GCM first (hardware-accelerated), then ChaCha20-Poly1305. CBC, CCM and PSK suites are
     * enabled by name.
     */
    public static final List<CipherSuite> DEFAULT_CIPHER_SUITES = List.of(
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);

    /**
     * Connection IDs (RFC 9146) are not negotiated unless configured: they help peers behind
     * NATs that rebind, and cost a few bytes per record and a linkable identifier (RFC 9146 7).
     */
    public static final int DEFAULT_CONNECTION_ID_LENGTH = 0;
    /** The extension's {@code opaque cid<0..2^8-1>} (RFC 9146 3). */
    public static final int MAX_CONNECTION_ID_LENGTH = 255;
    /**
     * The return routability check (RFC 9853) is offered and accepted wherever connection IDs
     * are: RFC 9853 3 says a client offering connection_id SHOULD offer rrc unless the
     * application validates addresses itself, and without it RFC 9146 6 leaves a peer's move to
     * a new address unchecked. It costs nothing until an address changes: one 9-byte message
     * each way per validation. Peers without RFC 9853 ignore the extension (RFC 5246 7.4.1.4).
     */
    public static final boolean DEFAULT_RETURN_ROUTABILITY_CHECK = true;

    /** RFC 4279 5.3: PSKs of up to 64 octets must be supported; larger ones are refused. */
    public static final int MAX_PSK_LENGTH = 64;

    /** Whether and how a server asks the client for a certificate. */
    public enum ClientAuth { NONE, WANT, NEED }

    /** Which side of associations a configuration is for. */
    public enum Role {
        CLIENT,
        SERVER,
        /**
         * A peer that accepts associations and opens them from the same port with the same
         * settings, as a SIP transport does ({@code DtlsServer.connect}): every option applies.
         */
        CLIENT_AND_SERVER;

        /** Whether associations of this configuration may be clients. */
        public boolean actsAsClient() {
            return this != SERVER;
        }

        /** Whether associations of this configuration may be servers. */
        public boolean actsAsServer() {
            return this != CLIENT;
        }

        /** The factory that makes a builder for this role, for error messages. */
        String factory() {
            return switch (this) {
                case CLIENT -> "DtlsConfig.forClient()";
                case SERVER -> "DtlsConfig.forServer()";
                case CLIENT_AND_SERVER -> "DtlsConfig.forClientAndServer()";
            };
        }
    }

    private final Role role;
    private final List<Integer> protocolVersions;
    private final boolean protocolsNamed;
    private final List<Tls13CipherSuite> tls13CipherSuites;
    private final long tls13KeyUpdateAfterRecords;
    private final List<CipherSuite> cipherSuites;
    private final List<NamedGroup> namedGroups;
    private final List<SignatureScheme> signatureSchemes;
    private final CertifiedKey certifiedKey;
    private final PeerVerifier peerVerifier;
    private final ClientAuth clientAuth;
    private final int pmtu;
    private final long initialRetransmitMillis;
    private final long maxRetransmitMillis;
    private final long handshakeTimeoutMillis;
    private final double retransmitBackoff;
    private final boolean adaptiveRetransmit;
    private final boolean requireExtendedMasterSecret;
    private final boolean cookieExchange;
    private final long cookieSecretLifetimeMillis;
    private final Reassembler.Limits reassemblyLimits;
    private final SecureRandom random;
    private final byte[] pskIdentity;
    private final byte[] psk;
    private final PskStore pskStore;
    private final byte[] pskIdentityHint;
    private final KeyLog keyLog;
    private final MessageTrace messageTrace;
    private final List<SrtpProfile> srtpProfiles;
    private final List<String> applicationProtocols;
    private final String serverName;
    private final PeerIdentity serverIdentity;
    private final boolean serverNameCheck;
    private final Map<String, CertifiedKey> sniCertificates;
    private final int recordSizeLimit;
    private final boolean connectionIds;
    private final int connectionIdLength;
    private final boolean returnRoutabilityCheck;
    private final boolean enhancedPathValidation;
    private final SessionCache sessionCache;
    private final VerificationKeyCache verificationKeyCache;
    private final SessionTicketKeys sessionTicketKeys;
    private final boolean sessionTickets;
    private final boolean requestSessionTickets;
    private final ResumableSession resumeSession;
    private final org.dtlsip.dtls.engine.UsedTickets usedTickets;

    private DtlsConfig(Builder b, List<Integer> protocolVersions) {
        this.role = b.role;
        this.protocolVersions = List.copyOf(protocolVersions);
        this.protocolsNamed = b.protocolsNamed;
        this.tls13CipherSuites = List.copyOf(b.tls13CipherSuites);
        this.tls13KeyUpdateAfterRecords = b.tls13KeyUpdateAfterRecords;
        this.cipherSuites = List.copyOf(b.cipherSuites);
        this.namedGroups = List.copyOf(b.namedGroups);
        this.signatureSchemes = List.copyOf(b.signatureSchemes);
        this.certifiedKey = b.certifiedKey;
        this.peerVerifier = b.peerVerifier;
        this.clientAuth = b.clientAuth;
        this.pmtu = b.pmtu;
        this.initialRetransmitMillis = b.initialRetransmitMillis;
        this.maxRetransmitMillis = b.maxRetransmitMillis;
        this.handshakeTimeoutMillis = b.handshakeTimeoutMillis;
        this.retransmitBackoff = b.retransmitBackoff;
        this.adaptiveRetransmit = b.adaptiveRetransmit;
        this.requireExtendedMasterSecret = b.requireExtendedMasterSecret;
        this.cookieExchange = b.cookieExchange;
        this.cookieSecretLifetimeMillis = b.cookieSecretLifetimeMillis;
        this.reassemblyLimits = b.reassemblyLimits;
        this.random = b.random;
        this.pskIdentity = b.pskIdentity;
        this.psk = b.psk;
        this.pskStore = b.pskStore;
        this.pskIdentityHint = b.pskIdentityHint;
        this.keyLog = b.keyLog;
        this.messageTrace = b.messageTrace;
        this.srtpProfiles = List.copyOf(b.srtpProfiles);
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.serverName = b.serverName;
        this.serverIdentity = b.serverIdentity;
        this.serverNameCheck = b.serverNameCheck;
        this.sniCertificates = Map.copyOf(b.sniCertificates);
        this.recordSizeLimit = b.recordSizeLimit;
        this.connectionIds = b.connectionIds;
        this.connectionIdLength = b.connectionIdLength;
        this.returnRoutabilityCheck = b.returnRoutabilityCheck;
        this.enhancedPathValidation = b.enhancedPathValidation;
        this.sessionCache = b.sessionCache;
        this.verificationKeyCache = b.verificationKeyCache;
        this.sessionTickets = b.sessionTickets;
        this.requestSessionTickets = b.requestSessionTickets;
        // Only a server seals tickets: a client configuration makes no keys.
        this.sessionTicketKeys = role.actsAsServer() && b.sessionTickets && b.sessionTicketKeys == null
                ? SessionTicketKeys.withDefaults(b.random) : b.sessionTicketKeys;
        this.resumeSession = b.resumeSession;
        // Only a server remembers used tickets, and only when they are single-use.
        this.usedTickets = !role.actsAsServer() || !b.singleUseTickets ? null
                : b.usedTickets != null ? b.usedTickets : org.dtlsip.dtls.engine.UsedTickets.withDefaults();
    }

    /** A builder for a client's configuration; server-only options are refused by {@link Builder#build()}. */
    public static Builder forClient() {
        return new Builder(Role.CLIENT);
    }

    /** A builder for a server's configuration; client-only options are refused by {@link Builder#build()}. */
    public static Builder forServer() {
        return new Builder(Role.SERVER);
    }

    /**
     * A builder for a peer that both accepts and opens associations with one configuration
     * (a SIP transport); every option applies.
     */
    public static Builder forClientAndServer() {
        return new Builder(Role.CLIENT_AND_SERVER);
    }

    /** A builder with this configuration's role and settings. */
    public Builder toBuilder() {
        Builder b = new Builder(role);
        // Versions chosen by default are chosen again, so that a changed option can change them.
        b.protocolsNamed = protocolsNamed;
        b.protocolVersions = protocolsNamed ? new ArrayList<>(protocolVersions) : DEFAULT_PROTOCOL_VERSIONS;
        b.tls13CipherSuites = new ArrayList<>(tls13CipherSuites);
        b.tls13KeyUpdateAfterRecords = tls13KeyUpdateAfterRecords;
        b.cipherSuites = new ArrayList<>(cipherSuites);
        b.namedGroups = new ArrayList<>(namedGroups);
        b.signatureSchemes = new ArrayList<>(signatureSchemes);
        b.certifiedKey = certifiedKey;
        b.peerVerifier = peerVerifier;
        b.clientAuth = clientAuth;
        b.pmtu = pmtu;
        b.initialRetransmitMillis = initialRetransmitMillis;
        b.maxRetransmitMillis = maxRetransmitMillis;
        b.handshakeTimeoutMillis = handshakeTimeoutMillis;
        b.retransmitBackoff = retransmitBackoff;
        b.adaptiveRetransmit = adaptiveRetransmit;
        b.requireExtendedMasterSecret = requireExtendedMasterSecret;
        b.cookieExchange = cookieExchange;
        b.cookieSecretLifetimeMillis = cookieSecretLifetimeMillis;
        b.reassemblyLimits = reassemblyLimits;
        b.random = random;
        b.pskIdentity = pskIdentity;
        b.psk = psk;
        b.pskStore = pskStore;
        b.pskIdentityHint = pskIdentityHint;
        b.keyLog = keyLog;
        b.messageTrace = messageTrace;
        b.srtpProfiles = new ArrayList<>(srtpProfiles);
        b.applicationProtocols = new ArrayList<>(applicationProtocols);
        b.serverName = serverName;
        b.serverIdentity = serverIdentity;
        b.serverNameCheck = serverNameCheck;
        b.sniCertificates = new HashMap<>(sniCertificates);
        b.recordSizeLimit = recordSizeLimit;
        b.connectionIds = connectionIds;
        b.connectionIdLength = connectionIdLength;
        b.returnRoutabilityCheck = returnRoutabilityCheck;
        b.enhancedPathValidation = enhancedPathValidation;
        b.sessionCache = sessionCache;
        b.verificationKeyCache = verificationKeyCache;
        b.sessionTickets = sessionTickets;
        b.requestSessionTickets = requestSessionTickets;
        b.sessionTicketKeys = sessionTicketKeys;
        b.resumeSession = resumeSession;
        b.singleUseTickets = usedTickets != null;
        b.usedTickets = usedTickets;
        return b;
    }

    public Role role() {
        return role;
    }

    /**
     * The protocol versions this endpoint speaks, highest first ({@link ProtocolVersion}
     * values): a client offers them all in one ClientHello, a server picks the highest both
     * share (RFC 8446 4.2.1, RFC 9147 5.3).
     */
    /** Whether {@link Builder#protocols} named the versions (rather than the default choosing them). */
    public boolean protocolsNamed() {
        return protocolsNamed;
    }

    public List<Integer> protocolVersions() {
        return protocolVersions;
    }

    /** Whether DTLS 1.3 (RFC 9147) is enabled. */
    public boolean dtls13() {
        return protocolVersions.contains(ProtocolVersion.DTLS_1_3);
    }

    /** Whether DTLS 1.2 (RFC 6347) is enabled. */
    public boolean dtls12() {
        return protocolVersions.contains(ProtocolVersion.DTLS_1_2);
    }

    /** The DTLS 1.3 suites in preference order (RFC 8446 B.4), used only when {@link #dtls13()}. */
    public List<Tls13CipherSuite> tls13CipherSuites() {
        return tls13CipherSuites;
    }

    /**
     * Records our DTLS 1.3 keys protect before we start a KeyUpdate on our own (RFC 8446 5.5,
     * RFC 9147 4.5.3); 0, the default, means half the suite's confidentiality limit
     * ({@link org.dtlsip.dtls.crypto.AeadLimits#keyUpdateAfterRecords()}). Lower values are for
     * tests and for those who want shorter-lived keys; the limit itself always holds.
     */
    public long tls13KeyUpdateAfterRecords() {
        return tls13KeyUpdateAfterRecords;
    }

    public List<CipherSuite> cipherSuites() {
        return cipherSuites;
    }

    public List<NamedGroup> namedGroups() {
        return namedGroups;
    }

    public List<SignatureScheme> signatureSchemes() {
        return signatureSchemes;
    }

    /** Our certificate chain and key, or {@code null} (a client without a certificate). */
    public CertifiedKey certifiedKey() {
        return certifiedKey;
    }

    /** How the peer's certificate is checked; {@code null} on a server that does not ask for one. */
    public PeerVerifier peerVerifier() {
        return peerVerifier;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    public int pmtu() {
        return pmtu;
    }

    public long initialRetransmitMillis() {
        return initialRetransmitMillis;
    }

    public long maxRetransmitMillis() {
        return maxRetransmitMillis;
    }

    public long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    /** Factor applied to the retransmission timer on each expiry (2.0: doubling). */
    public double retransmitBackoff() {
        return retransmitBackoff;
    }

    /** Whether the initial retransmission timer is learned from the first answered flight. */
    public boolean adaptiveRetransmit() {
        return adaptiveRetransmit;
    }

    public boolean requireExtendedMasterSecret() {
        return requireExtendedMasterSecret;
    }

    /** Whether a server demands a HelloVerifyRequest round trip before keeping any state. */
    public boolean cookieExchange() {
        return cookieExchange;
    }

    public long cookieSecretLifetimeMillis() {
        return cookieSecretLifetimeMillis;
    }

    public Reassembler.Limits reassemblyLimits() {
        return reassemblyLimits;
    }

    public SecureRandom random() {
        return random;
    }

    /**
     * Throws unless this configuration can serve: built for a server role ({@link Builder#build()}
     * then made sure of a certificate and key, or a PSK store).
     *
     * @throws IllegalArgumentException naming what to configure
     */
    public void requireServerCredentials() {
        if (!role.actsAsServer()) {
            throw new IllegalArgumentException("this configuration was built with " + role.factory()
                    + " and cannot serve; build it with DtlsConfig.forServer() or forClientAndServer()");
        }
    }

    /**
     * Throws unless associations of this configuration may be clients.
     *
     * @throws IllegalArgumentException naming the factory to use
     */
    public void requireClientRole() {
        if (!role.actsAsClient()) {
            throw new IllegalArgumentException("this configuration was built with " + role.factory()
                    + " and cannot open associations as a client; build it with DtlsConfig.forClient() or forClientAndServer()");
        }
    }

    /** The client's PSK identity, or {@code null} when it has no PSK. */
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /** The client's PSK, or {@code null}. */
    public byte[] psk() {
        return psk == null ? null : psk.clone();
    }

    /** The server's identity-to-key lookup, or {@code null} when it accepts no PSK suites. */
    public PskStore pskStore() {
        return pskStore;
    }

    /** The hint a PSK server sends in ServerKeyExchange (RFC 4279 5.2); empty for none. */
    public byte[] pskIdentityHint() {
        return pskIdentityHint.clone();
    }

    /** SRTP profiles to offer (client) or accept in preference order (server); empty: no use_srtp. */
    public List<SrtpProfile> srtpProfiles() {
        return srtpProfiles;
    }

    /** ALPN protocol names in preference order (RFC 7301); empty: no ALPN. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * Client: the host name sent in server_name (RFC 6066), or {@code null}: the one set with
     * {@link Builder#serverName}, else the expected server name when it is a host name (RFC
     * 6066 3 allows no addresses).
     */
    public String serverName() {
        if (serverName != null) {
            return serverName;
        }
        return serverIdentity instanceof ServiceIdentity s && !s.isIpAddress() ? s.name() : null;
    }

    /**
     * Client: who the server must be (RFC 9525 name or address, or an application's rule), or
     * {@code null} when not set here; see {@link Builder#expectedServerName}.
     */
    public PeerIdentity serverIdentity() {
        return serverIdentity;
    }

    /**
     * Client: whether a server certificate trusted through PKIX must also carry the expected
     * name (RFC 9525). True unless turned off with {@link Builder#noServerNameCheck()}.
     */
    public boolean serverNameCheck() {
        return serverNameCheck;
    }

    /**
     * This configuration for a client that connects to {@code host} (a name or an address as
     * the caller wrote it): unless a server identity is configured or name checks are off,
     * {@code host} becomes the expected server name, as a browser or {@code openssl s_client
     * -verify_hostname} would use it. The I/O classes call this with the host they connect to.
     *
     * @throws IllegalArgumentException when {@code host} is neither an address nor a host name
     *     and the peer verifier checks names (PKIX); otherwise such a host (a container name with
     *     an underscore, say) only goes without server_name
     */
    public DtlsConfig forHost(String host) {
        // A server-only configuration opens no client association: DtlsEngine.client says so.
        if (!role.actsAsClient() || serverIdentity != null || !serverNameCheck || host == null) {
            return this;
        }
        try {
            return toBuilder().expectedServerName(host).build();
        } catch (IllegalArgumentException e) {
            if (peerVerifier != null && peerVerifier.requiresIdentityCheck()) {
                throw e;
            }
            return this;
        }
    }

    /** Server: certificates selected by the client's server_name, by lower-case host name. */
    public Map<String, CertifiedKey> sniCertificates() {
        return sniCertificates;
    }

    /** Largest record plaintext we accept, advertised with record_size_limit (RFC 8449); 0: not sent. */
    public int recordSizeLimit() {
        return recordSizeLimit;
    }

    /**
     * Whether the connection_id extension is offered (client) or answered (server), RFC 9146 3:
     * true with a {@link #connectionIdLength()} above 0, or with an empty ID
     * ({@link Builder#emptyConnectionId()}).
     */
    public boolean connectionIds() {
        return connectionIds;
    }

    /**
     * Length of the random connection IDs we receive on; 0 with {@link #connectionIds()} means
     * an empty ID: we put the peer's ID in what we send but want none in what we receive.
     */
    public int connectionIdLength() {
        return connectionIdLength;
    }

    /**
     * Whether the rrc extension (RFC 9853 3) goes with connection_id: a client offers it
     * whenever it offers connection IDs, a server answers it when a client offered both. Once
     * both hellos carried it, a peer's new address is checked with path_challenge and
     * path_response before the association moves there ({@code DtlsEngine#challengePath}).
     * Meaningless without {@link #connectionIds()}. True unless turned off (see
     * {@link Builder#returnRoutabilityCheck(boolean)}).
     */
    public boolean returnRoutabilityCheck() {
        return returnRoutabilityCheck;
    }

    /**
     * Whether a path check starts on the peer's current address (RFC 9853 5.2, the enhanced
     * check) rather than at the candidate (5.1, the basic one). See
     * {@link Builder#enhancedPathValidation(boolean)}.
     */
    public boolean enhancedPathValidation() {
        return enhancedPathValidation;
    }

    /** Server: the session-ID cache (RFC 5246 7.3), or {@code null} to not cache sessions. */
    public SessionCache sessionCache() {
        return sessionCache;
    }

    /** The peer keys kept across this configuration's handshakes, for faster signature checks. */
    public VerificationKeyCache verificationKeyCache() {
        return verificationKeyCache;
    }

    /** Server: whether session tickets (RFC 5077) are issued and accepted. */
    public boolean sessionTickets() {
        return sessionTickets;
    }

    /**
     * Client: whether to ask for a session ticket (RFC 5077 3.2). Off by default: a ticket costs
     * the server a NewSessionTicket message in every full handshake, worth it only to a client
     * that saves the session; a saved session with a ticket is always offered.
     */
    public boolean requestSessionTickets() {
        return requestSessionTickets;
    }

    /** Server: the keys tickets are sealed with, or {@code null} when tickets are off. */
    public SessionTicketKeys sessionTicketKeys() {
        return sessionTicketKeys;
    }

    /** Client: the session to offer for an abbreviated handshake, or {@code null}. */
    public ResumableSession resumeSession() {
        return resumeSession;
    }

    /**
     * Server: the DTLS 1.3 tickets already accepted when tickets are single-use
     * ({@link Builder#singleUseTickets}), else {@code null}.
     */
    public org.dtlsip.dtls.engine.UsedTickets usedTickets() {
        return usedTickets;
    }

    /** Where NSS key log lines go, or {@code null} for nowhere. */
    public KeyLog keyLog() {
        return keyLog;
    }

    /** What sees every record and handshake message sent and received, or {@code null} for nothing. */
    public MessageTrace messageTrace() {
        return messageTrace;
    }

    /**
     * Builder with the documented defaults; {@link #build()} checks consistency, including that
     * no option was set that the builder's {@link Role} never uses.
     */
    public static final class Builder {
        private final Role role;
        /** Setters called that the role never uses, named as in the API, in call order. */
        private final java.util.Set<String> misplaced = new java.util.LinkedHashSet<>();
        private List<Integer> protocolVersions = DEFAULT_PROTOCOL_VERSIONS;
        private boolean protocolsNamed;
        private List<Tls13CipherSuite> tls13CipherSuites = DEFAULT_TLS13_CIPHER_SUITES;
        private long tls13KeyUpdateAfterRecords;
        private List<CipherSuite> cipherSuites = DEFAULT_CIPHER_SUITES;
        private List<NamedGroup> namedGroups = List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1);
        private List<SignatureScheme> signatureSchemes = Signatures.supported();
        private CertifiedKey certifiedKey;
        private PeerVerifier peerVerifier;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private int pmtu = DEFAULT_PMTU;
        private long initialRetransmitMillis = DEFAULT_INITIAL_RETRANSMIT_MILLIS;
        private long maxRetransmitMillis = DEFAULT_MAX_RETRANSMIT_MILLIS;
        private long handshakeTimeoutMillis = DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;
        private double retransmitBackoff = DEFAULT_RETRANSMIT_BACKOFF;
        private boolean adaptiveRetransmit;
        private boolean requireExtendedMasterSecret;
        private boolean cookieExchange = true;
        private long cookieSecretLifetimeMillis = DEFAULT_COOKIE_SECRET_LIFETIME_MILLIS;
        private Reassembler.Limits reassemblyLimits = Reassembler.Limits.defaults();
        private SecureRandom random = new SecureRandom();
        private byte[] pskIdentity;
        private byte[] psk;
        private PskStore pskStore;
        private byte[] pskIdentityHint = new byte[0];
        private KeyLog keyLog = KeyLog.fromEnvironment();
        private MessageTrace messageTrace;
        private List<SrtpProfile> srtpProfiles = new ArrayList<>();
        private List<String> applicationProtocols = new ArrayList<>();
        private String serverName;
        private PeerIdentity serverIdentity;
        private boolean serverNameCheck = true;
        private Map<String, CertifiedKey> sniCertificates = new HashMap<>();
        private int recordSizeLimit;
        private boolean connectionIds;
        private int connectionIdLength = DEFAULT_CONNECTION_ID_LENGTH;
        private boolean returnRoutabilityCheck = DEFAULT_RETURN_ROUTABILITY_CHECK;
        private boolean enhancedPathValidation;
        private SessionCache sessionCache = SessionCache.withDefaults();
        private VerificationKeyCache verificationKeyCache = VerificationKeyCache.withDefaults();
        private boolean sessionTickets = true;
        private boolean requestSessionTickets;
        private SessionTicketKeys sessionTicketKeys;
        private ResumableSession resumeSession;
        private boolean singleUseTickets;
        private org.dtlsip.dtls.engine.UsedTickets usedTickets;

        private Builder(Role role) {
            this.role = Objects.requireNonNull(role);
        }

        /** Notes a setter that only servers use; {@link #build()} refuses it on a client builder. */
        private void serverOption(String name) {
            if (!role.actsAsServer()) {
                misplaced.add(name);
            }
        }

        /** Notes a setter that only clients use; {@link #build()} refuses it on a server builder. */
        private void clientOption(String name) {
            if (!role.actsAsClient()) {
                misplaced.add(name);
            }
        }

        public Role role() {
            return role;
        }

        /** Server: cache sessions for session-ID resumption; {@code null} disables it. */
        public Builder sessionCache(SessionCache cache) {
            serverOption("sessionCache");
            this.sessionCache = cache;
            return this;
        }

        /**
         * The cache of peer public keys shared by every handshake made from this configuration
         * (see {@link VerificationKeyCache}); a fresh one with the default size unless set.
         */
        public Builder verificationKeyCache(VerificationKeyCache cache) {
            this.verificationKeyCache = Objects.requireNonNull(cache,
                    "verificationKeyCache must not be null; pass new VerificationKeyCache(1) for the smallest");
            return this;
        }

        /** Server: issue and accept RFC 5077 session tickets; on by default. */
        public Builder sessionTickets(boolean enabled) {
            serverOption("sessionTickets");
            this.sessionTickets = enabled;
            return this;
        }

        /** Client: ask the server for a session ticket (RFC 5077); off by default. */
        public Builder requestSessionTickets(boolean request) {
            clientOption("requestSessionTickets");
            this.requestSessionTickets = request;
            return this;
        }

        /**
         * Server: accept each DTLS 1.3 ticket once (RFC 8446 8.1); a ticket offered again gets a
         * full handshake (every handshake issues a fresh ticket). Accepted tickets are remembered
         * in {@code used} (share one between servers that share ticket keys), or in a fresh
         * {@link org.dtlsip.dtls.engine.UsedTickets} when {@code null}. Off by default.
         */
        public Builder singleUseTickets(boolean singleUse, org.dtlsip.dtls.engine.UsedTickets used) {
            serverOption("singleUseTickets");
            this.singleUseTickets = singleUse;
            this.usedTickets = used;
            return this;
        }

        /** Server: seal tickets with these keys (share them between servers, rotate them). */
        public Builder sessionTicketKeys(SessionTicketKeys keys) {
            serverOption("sessionTicketKeys");
            this.sessionTicketKeys = keys;
            return this;
        }

        /** Client: offer this saved session for an abbreviated handshake. */
        public Builder resumeSession(ResumableSession session) {
            clientOption("resumeSession");
            this.resumeSession = session;
            return this;
        }

        /** Offer (client) or accept (server) DTLS-SRTP keying with these profiles (RFC 5764). */
        public Builder srtpProfiles(List<SrtpProfile> profiles) {
            this.srtpProfiles = new ArrayList<>(profiles);
            return this;
        }

        /** ALPN protocol names in preference order (RFC 7301). */
        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = new ArrayList<>(protocols);
            return this;
        }

        /**
         * Client: send server_name with this host name (RFC 6066 3), instead of the expected
         * server name. It changes nothing about which certificate is accepted.
         */
        public Builder serverName(String hostName) {
            clientOption("serverName");
            this.serverName = hostName;
            return this;
        }

        /**
         * Client: the server's certificate must carry this host name (subjectAltName DNS-ID,
         * wildcards as RFC 9525 6.3 allows them) or IP address (IP-ID), RFC 9525; the subject CN
         * is not used. Checked whenever the peer verifier is PKIX ({@link PeerVerifier#pkix});
         * a pinned fingerprint needs no name. A host name is also sent as server_name unless
         * {@link #serverName} says otherwise. Unset, the I/O classes expect the host they
         * connect to ({@link DtlsConfig#forHost}).
         *
         * @throws IllegalArgumentException when it is neither a host name nor an IP address
         */
        public Builder expectedServerName(String hostOrAddress) {
            clientOption("expectedServerName");
            this.serverIdentity = ServiceIdentity.of(hostOrAddress);
            return this;
        }

        /**
         * Client: check the server against this identity instead of an RFC 9525 name, e.g. a SIP
         * domain (RFC 5922). Nothing is sent as server_name unless {@link #serverName} is set.
         */
        public Builder serverIdentity(PeerIdentity identity) {
            clientOption("serverIdentity");
            this.serverIdentity = identity;
            return this;
        }

        /**
         * Client: accept any name in a server certificate that PKIX trusts. Then any certificate
         * from any trusted CA impersonates any server: for a private CA that issues only to
         * servers you would accept anyway. Named, and never the default, so that it cannot
         * happen by accident.
         */
        public Builder noServerNameCheck() {
            clientOption("noServerNameCheck");
            this.serverNameCheck = false;
            return this;
        }

        /** Server: use {@code key} when a client asks for {@code hostName}; others get certifiedKey. */
        public Builder sniCertificate(String hostName, CertifiedKey key) {
            serverOption("sniCertificate");
            this.sniCertificates.put(hostName.toLowerCase(java.util.Locale.ROOT), key);
            return this;
        }

        /** Advertise record_size_limit (RFC 8449): 64 to 16384, or 0 to not send it. */
        public Builder recordSizeLimit(int limit) {
            if (limit != 0 && (limit < 64 || limit > 16_384)) {
                throw new IllegalArgumentException("record_size_limit must be 64..16384 (RFC 8449 4), got " + limit);
            }
            this.recordSizeLimit = limit;
            return this;
        }

        /**
         * Negotiate connection IDs (RFC 9146) and receive on random IDs of {@code length} bytes,
         * 1 to {@link #MAX_CONNECTION_ID_LENGTH}; 0 (the default) does not negotiate them. A
         * client offers the extension; a server answers it only when a client offered it.
         */
        public Builder connectionIdLength(int length) {
            if (length < 0 || length > MAX_CONNECTION_ID_LENGTH) {
                throw new IllegalArgumentException("connection ID length must be 0.." + MAX_CONNECTION_ID_LENGTH
                        + " (RFC 9146 3), got " + length);
            }
            this.connectionIds = length > 0;
            this.connectionIdLength = length;
            return this;
        }

        /**
         * Negotiate connection IDs with an empty ID of our own (RFC 9146 3): we send with the
         * peer's ID, so it can find us after our address changes, but want none in its records.
         */
        public Builder emptyConnectionId() {
            this.connectionIds = true;
            this.connectionIdLength = 0;
            return this;
        }

        /**
         * Offer (client) or accept (server) the return routability check of RFC 9853 along with
         * connection IDs; on by default ({@link #DEFAULT_RETURN_ROUTABILITY_CHECK}). Turn it off
         * only when the application validates a peer's new address itself (RFC 9853 3, e.g.
         * CoAP Echo): connection IDs alone let an attacker who replays one record from a
         * spoofed address redirect the association's traffic (RFC 9146 6). Both roles.
         */
        public Builder returnRoutabilityCheck(boolean enabled) {
            this.returnRoutabilityCheck = enabled;
            return this;
        }

        /**
         * Use the enhanced return routability check (RFC 9853 5.2) instead of the basic one
         * (5.1); off by default. The basic check proves the candidate address receives, which
         * stops a spoofed source from redirecting traffic or taking another peer's address
         * (8.1.1), but an off-path attacker that relays packets between the candidate and the
         * peer passes it and so gets itself on path (8.1.2). The enhanced check first
         * challenges the peer's current address: an answer there keeps the peer where it is.
         * It costs a genuine NAT rebinding one more timer period T (1 s by default) before the
         * move, while the challenge to the dead old address goes unanswered. Both roles.
         */
        public Builder enhancedPathValidation(boolean enabled) {
            this.enhancedPathValidation = enabled;
            return this;
        }

        /** Client: the pre-shared key and the identity that names it (RFC 4279). */
        public Builder psk(byte[] identity, byte[] key) {
            clientOption("psk");
            if (key.length == 0 || key.length > MAX_PSK_LENGTH) {
                throw new IllegalArgumentException("a PSK has 1 to " + MAX_PSK_LENGTH + " bytes, got " + key.length);
            }
            this.pskIdentity = identity.clone();
            this.psk = key.clone();
            return this;
        }

        /** Server: how to find the key for a client's PSK identity. */
        public Builder pskStore(PskStore store) {
            serverOption("pskStore");
            this.pskStore = store;
            return this;
        }

        /** Server: the identity hint sent in ServerKeyExchange (RFC 4279 5.2). */
        public Builder pskIdentityHint(byte[] hint) {
            serverOption("pskIdentityHint");
            this.pskIdentityHint = hint.clone();
            return this;
        }

        /**
         * Where to write NSS key log lines for Wireshark; the default follows the
         * SSLKEYLOGFILE environment variable, {@code null} turns logging off.
         */
        public Builder keyLog(KeyLog keyLog) {
            this.keyLog = keyLog;
            return this;
        }

        /**
         * Reports every record and handshake message sent and received, retransmissions and
         * alerts, to {@code trace} (see {@link MessageTrace}); either role. {@code null}, the
         * default, reports nothing and costs nothing.
         */
        public Builder messageTrace(MessageTrace trace) {
            this.messageTrace = trace;
            return this;
        }

        /**
         * The versions to speak, e.g. {@code protocols(DTLS_1_3, DTLS_1_2)}; the order does not
         * matter: the highest both sides share is used (RFC 8446 4.2.1).
         */
        public Builder protocols(int... versions) {
            List<Integer> list = new ArrayList<>();
            for (int v : versions) {
                if (v != ProtocolVersion.DTLS_1_2 && v != ProtocolVersion.DTLS_1_3) {
                    throw new IllegalArgumentException("unsupported protocol version " + ProtocolVersion.name(v)
                            + "; DTLS 1.2 (0xfefd) and DTLS 1.3 (0xfefc) are supported");
                }
                if (!list.contains(v)) {
                    list.add(v);
                }
            }
            // DTLS versions count down: 0xfefc (1.3) is below 0xfefd (1.2), so ascending is highest first.
            list.sort(null);
            this.protocolVersions = list;
            this.protocolsNamed = true;
            return this;
        }

        /** The DTLS 1.3 suites in preference order. */
        public Builder tls13CipherSuites(List<Tls13CipherSuite> suites) {
            this.tls13CipherSuites = new ArrayList<>(suites);
            return this;
        }

        /** See {@link DtlsConfig#tls13KeyUpdateAfterRecords()}; at least 1. */
        public Builder tls13KeyUpdateAfterRecords(long records) {
            if (records < 1) {
                throw new IllegalArgumentException("tls13KeyUpdateAfterRecords must be at least 1, got " + records);
            }
            this.tls13KeyUpdateAfterRecords = records;
            return this;
        }

        /** Suites in preference order. */
        public Builder cipherSuites(List<CipherSuite> suites) {
            this.cipherSuites = new ArrayList<>(suites);
            return this;
        }

        /** Suites by IANA or OpenSSL name, separated by ':' or ',' as OpenSSL's -cipher takes them. */
        public Builder cipherSuites(String list) {
            List<CipherSuite> suites = new ArrayList<>();
            for (String name : list.split("[:,]")) {
                if (!name.isBlank()) {
                    suites.add(CipherSuite.byName(name));
                }
            }
            return cipherSuites(suites);
        }

        public Builder namedGroups(List<NamedGroup> groups) {
            this.namedGroups = new ArrayList<>(groups);
            return this;
        }

        public Builder signatureSchemes(List<SignatureScheme> schemes) {
            this.signatureSchemes = new ArrayList<>(schemes);
            return this;
        }

        public Builder certifiedKey(CertifiedKey key) {
            this.certifiedKey = key;
            return this;
        }

        public Builder peerVerifier(PeerVerifier verifier) {
            this.peerVerifier = verifier;
            return this;
        }

        /** Server: whether to ask clients for a certificate (RFC 5246 7.4.4); NONE by default. */
        public Builder clientAuth(ClientAuth mode) {
            serverOption("clientAuth");
            this.clientAuth = Objects.requireNonNull(mode);
            return this;
        }

        public Builder pmtu(int bytes) {
            this.pmtu = bytes;
            return this;
        }

        public Builder initialRetransmitMillis(long millis) {
            this.initialRetransmitMillis = millis;
            return this;
        }

        public Builder maxRetransmitMillis(long millis) {
            this.maxRetransmitMillis = millis;
            return this;
        }

        public Builder handshakeTimeoutMillis(long millis) {
            this.handshakeTimeoutMillis = millis;
            return this;
        }

        /** Factor by which the retransmission timer grows on each expiry, in [1, 8]; default 2 (RFC 6347 4.2.4.1). */
        public Builder retransmitBackoff(double factor) {
            this.retransmitBackoff = factor;
            return this;
        }

        /**
         * Learn the initial retransmission timer from the first flight answered without a
         * retransmission: {@link #ADAPTIVE_RTT_FACTOR} round trips, at least
         * {@link #MIN_ADAPTIVE_RETRANSMIT_MILLIS}, at most the configured initial timer. Off by default.
         */
        public Builder adaptiveRetransmit(boolean enabled) {
            this.adaptiveRetransmit = enabled;
            return this;
        }

        /** Abort handshakes with peers that do not negotiate extended_master_secret (RFC 7627 5.2). */
        public Builder requireExtendedMasterSecret(boolean require) {
            this.requireExtendedMasterSecret = require;
            return this;
        }

        /** Servers only: turn off HelloVerifyRequest (exposes the server to amplification; RFC 6347 4.2.1). */
        public Builder cookieExchange(boolean enabled) {
            serverOption("cookieExchange");
            this.cookieExchange = enabled;
            return this;
        }

        public Builder cookieSecretLifetimeMillis(long millis) {
            serverOption("cookieSecretLifetimeMillis");
            this.cookieSecretLifetimeMillis = millis;
            return this;
        }

        public Builder reassemblyLimits(Reassembler.Limits limits) {
            this.reassemblyLimits = Objects.requireNonNull(limits);
            return this;
        }

        /** Randomness for hello randoms, keys and cookies; tests pass a seeded one. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /**
         * @throws IllegalArgumentException naming what is wrong: an option the role never uses,
         *     a server without credentials, an empty list, a value out of range
         */
        public DtlsConfig build() {
            if (!misplaced.isEmpty()) {
                String other = role == Role.CLIENT ? "servers" : "clients";
                throw new IllegalArgumentException(String.join("(...), ", misplaced) + "(...) "
                        + (misplaced.size() == 1 ? "applies" : "apply") + " to " + other + " only, but this builder is "
                        + role.factory() + ": remove " + (misplaced.size() == 1 ? "it" : "them") + ", or build with "
                        + (role == Role.CLIENT ? "forServer()" : "forClient()") + " or forClientAndServer()");
            }
            if (role.actsAsServer() && certifiedKey == null && pskStore == null) {
                throw new IllegalArgumentException("a DTLS server needs a certificate and key or a PSK store; configure "
                        + "certifiedKey(...) or pskStore(...) (the CLI generates a self-signed certificate when -cert is absent)");
            }
            List<Integer> versions = protocolsNamed ? protocolVersions : defaultVersions();
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("no protocol version configured; enable DTLS 1.2, DTLS 1.3 or both");
            }
            if (versions.contains(ProtocolVersion.DTLS_1_3) && tls13CipherSuites.isEmpty()) {
                throw new IllegalArgumentException("DTLS 1.3 is enabled but no DTLS 1.3 suite is configured; "
                        + "name at least one, e.g. TLS_AES_128_GCM_SHA256");
            }
            if (cipherSuites.isEmpty()) {
                throw new IllegalArgumentException("no cipher suites configured; name at least one, e.g. ECDHE-ECDSA-AES128-GCM-SHA256");
            }
            if (namedGroups.isEmpty()) {
                throw new IllegalArgumentException("no ECDHE groups configured; name at least one of x25519, secp256r1, secp384r1");
            }
            if (pmtu < MIN_PMTU || pmtu > MAX_PMTU) {
                throw new IllegalArgumentException("PMTU " + pmtu + " out of range [" + MIN_PMTU + ", " + MAX_PMTU + "]");
            }
            if (initialRetransmitMillis <= 0 || maxRetransmitMillis < initialRetransmitMillis) {
                throw new IllegalArgumentException("retransmission timer must satisfy 0 < initial (" + initialRetransmitMillis
                        + " ms) <= max (" + maxRetransmitMillis + " ms)");
            }
            if (!(retransmitBackoff >= 1.0 && retransmitBackoff <= 8.0)) {
                throw new IllegalArgumentException("retransmission backoff must be in [1, 8], got " + retransmitBackoff);
            }
            if (handshakeTimeoutMillis <= 0) {
                throw new IllegalArgumentException("handshake timeout must be positive, got " + handshakeTimeoutMillis + " ms");
            }
            if (cookieSecretLifetimeMillis <= 0) {
                throw new IllegalArgumentException("cookie secret lifetime must be positive");
            }
            return new DtlsConfig(this, versions);
        }

        /** DTLS 1.3 and 1.2, or 1.2 alone for what only our 1.2 provides (see {@link DefaultProtocols}). */
        private List<Integer> defaultVersions() {
            boolean resumesDtls12 = resumeSession != null && !resumeSession.isDtls13();
            DefaultProtocols.Facts facts = new DefaultProtocols.Facts(role.actsAsServer(), role.actsAsClient(),
                    certifiedKey != null, resumesDtls12, psk != null);
            List<String> reasons = DefaultProtocols.reasonsToLeaveOutDtls13(facts);
            if (reasons.isEmpty()) {
                return DefaultProtocols.BOTH;
            }
            LOG.debug("DTLS 1.3 left out of the default versions for {}; name the versions with protocols(...) "
                    + "to decide otherwise", String.join(" and ", reasons));
            return DefaultProtocols.DTLS_1_2_ONLY;
        }
    }
}
