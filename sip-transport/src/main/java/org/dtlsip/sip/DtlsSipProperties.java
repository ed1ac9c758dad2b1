package org.dtlsip.sip;

import gov.nist.javax.sip.stack.ClientAuthType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.MessageTrace;

/**
 * Turns stack properties into the DTLS configuration of a listening point. The TLS transport's
 * properties are reused where they mean the same thing (key store, trust store, client
 * authentication); the rest are ours, prefixed {@value #PREFIX}. README.md, "SIP over
 * DTLS-UDP", documents them.
 */
public final class DtlsSipProperties {
    public static final String PREFIX = "org.dtlsip.sip.";
    /** Cipher suites in preference order, IANA or OpenSSL names separated by ':' or ','. */
    public static final String CIPHER_SUITES = PREFIX + "DTLS_CIPHER_SUITES";
    /**
     * The DTLS versions the listening point speaks, separated by ',' or ':' in any order:
     * {@code DTLSv1.3,DTLSv1.2}, {@code DTLSv1.2} or {@code DTLSv1.3} (OpenSSL 4.1 spelling).
     * As a client it offers them all in one ClientHello and the server picks the highest both
     * share (RFC 8446 4.2.1, RFC 9147 5.3); as a server it answers with the highest the client
     * offered. Unset: the library's default ({@link DtlsConfig#DEFAULT_PROTOCOL_VERSIONS}),
     * {@code DTLSv1.3,DTLSv1.2}.
     */
    public static final String PROTOCOLS = PREFIX + "DTLS_PROTOCOLS";
    /** Largest datagram sent; also bounds a SIP message (one record, RFC 6347 4.1.1). */
    public static final String PMTU = PREFIX + "DTLS_PMTU";
    /** Initial handshake retransmission timer (RFC 6347 4.2.4.1). */
    public static final String INITIAL_RETRANSMIT_MS = PREFIX + "DTLS_INITIAL_RETRANSMIT_MS";
    /** Overall handshake deadline; past it queued SIP messages fail with an IOException. */
    public static final String HANDSHAKE_TIMEOUT_MS = PREFIX + "DTLS_HANDSHAKE_TIMEOUT_MS";
    /** An association with no SIP traffic either way for this long is closed (close_notify). */
    public static final String IDLE_TIMEOUT_MS = PREFIX + "DTLS_IDLE_TIMEOUT_MS";
    /**
     * An established association over which we sent a request and then received nothing at all
     * for this long is closed, so that the next message starts a new handshake: the peer has
     * most likely lost its state (restarted) and silently drops our records.
     */
    public static final String DEAD_PEER_MS = PREFIX + "DTLS_DEAD_PEER_MS";
    /** Accept only peers whose leaf certificate has one of these SHA-256 fingerprints (comma separated). */
    public static final String PEER_FINGERPRINTS = PREFIX + "DTLS_PEER_FINGERPRINTS";
    /** PEM certificate chain (leaf first), with {@link #PRIVATE_KEY_FILE}, instead of a key store. */
    public static final String CERTIFICATE_FILE = PREFIX + "DTLS_CERTIFICATE_FILE";
    /** PEM private key (PKCS#8 or SEC1/PKCS#1) matching {@link #CERTIFICATE_FILE}. */
    public static final String PRIVATE_KEY_FILE = PREFIX + "DTLS_PRIVATE_KEY_FILE";
    /**
     * Append each association's NSS key log line (CLIENT_RANDOM) to this file, for Wireshark.
     * Anyone holding the file can decrypt the traffic: for debugging only.
     */
    public static final String KEY_LOG_FILE = PREFIX + "DTLS_KEY_LOG_FILE";
    /**
     * Whether a server trusted through the trust store must present a certificate for the SIP
     * domain a request is sent to (RFC 5922): {@code true} (the default) or {@code false}.
     * Pinned fingerprints are exact matches and need no domain either way.
     */
    public static final String VERIFY_DOMAIN = PREFIX + "DTLS_VERIFY_DOMAIN";
    /**
     * The transport token we write in the top Via of requests ({@code SIP/2.0/DTLS-UDP}) and in
     * the {@code transport} parameter of our Contact and Record-Route URIs: {@code DTLS-UDP}
     * (default, draft-jennings-sip-dtls) or {@code DTLS} (what reSIProcate writes and, being its
     * only name for the transport, all it can route to). Both are accepted on receipt whatever
     * this says; responses keep the request's Via as it came (RFC 3261 8.2.6.2).
     */
    public static final String TRANSPORT_TOKEN = PREFIX + "DTLS_TRANSPORT_TOKEN";
    /**
     * The largest SIP message sent as one DTLS record even when that record does not fit the
     * PMTU, its datagram then IP-fragmented (RFC 6347 4.1.1 leaves that choice to the
     * application). Unset or 0: a message must fit one datagram within the PMTU, and a larger
     * one is refused with an IOException that says so. At most {@value #MAX_MESSAGE_SIZE_LIMIT}
     * (2^14, the largest DTLS record plaintext). Fragmented datagrams are lost whole when one
     * fragment is, and some middleboxes drop fragments: RFC 3261 18.1.1 would have such a
     * message go over a congestion-controlled transport (TLS) instead.
     */
    public static final String MAX_MESSAGE_SIZE = PREFIX + "DTLS_MAX_MESSAGE_SIZE";
    /** The most {@link #MAX_MESSAGE_SIZE} can be: one DTLS record's plaintext (RFC 5246 6.2.1). */
    public static final int MAX_MESSAGE_SIZE_LIMIT = 1 << 14;

    /**
     * Five minutes: far longer than any SIP transaction (Timer B/F, 64*T1 = 32 s, RFC 3261
     * 17.1.1.2), so transactions and short dialogs reuse one association, yet short enough that
     * a stack talking to many peers does not keep every association forever.
     */
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 300_000;

    /**
     * 32 s, SIP's Timer B/F (64*T1, RFC 3261 17.1.1.2): every request but ACK gets a response,
     * so a peer that sent nothing back in a whole transaction's lifetime cannot read us.
     */
    public static final long DEFAULT_DEAD_PEER_MILLIS = 32_000;

    private static final String KEY_STORE = "javax.net.ssl.keyStore";
    private static final String KEY_STORE_PASSWORD = "javax.net.ssl.keyStorePassword";
    private static final String KEY_STORE_TYPE = "javax.net.ssl.keyStoreType";
    private static final String TRUST_STORE = "javax.net.ssl.trustStore";
    private static final String TRUST_STORE_PASSWORD = "javax.net.ssl.trustStorePassword";
    private static final String TRUST_STORE_TYPE = "javax.net.ssl.trustStoreType";

    private final DtlsConfig dtlsConfig;
    private final long idleTimeoutMillis;
    private final long deadPeerMillis;
    private final Path keyLogFile;
    private final boolean verifyDomain;
    private final String transportToken;
    private final int maxMessageSize;

    private DtlsSipProperties(DtlsConfig dtlsConfig, long idleTimeoutMillis, long deadPeerMillis, Path keyLogFile,
            boolean verifyDomain, String transportToken, int maxMessageSize) {
        this.dtlsConfig = dtlsConfig;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.deadPeerMillis = deadPeerMillis;
        this.keyLogFile = keyLogFile;
        this.verifyDomain = verifyDomain;
        this.transportToken = transportToken;
        this.maxMessageSize = maxMessageSize;
    }

    /** {@link #MAX_MESSAGE_SIZE}, 0 when unset. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Whether servers must name the SIP domain a request goes to (RFC 5922): when they are
     * trusted through a trust store (PKIX) and {@link #VERIFY_DOMAIN} is not {@code false}.
     */
    public boolean checksDomains() {
        return verifyDomain && dtlsConfig.peerVerifier() != null && dtlsConfig.peerVerifier().requiresIdentityCheck();
    }

    public DtlsConfig dtlsConfig() {
        return dtlsConfig;
    }

    /** These settings with {@code trace} seeing every DTLS record of the listening point ({@code null}: none). */
    public DtlsSipProperties withMessageTrace(MessageTrace trace) {
        return new DtlsSipProperties(dtlsConfig.toBuilder().messageTrace(trace).build(), idleTimeoutMillis, deadPeerMillis,
                keyLogFile, verifyDomain, transportToken, maxMessageSize);
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /** See {@link #DEAD_PEER_MS}. */
    public long deadPeerMillis() {
        return deadPeerMillis;
    }

    /** {@code DTLS-UDP} or {@code DTLS}: see {@link #TRANSPORT_TOKEN}. */
    public String transportToken() {
        return transportToken;
    }

    /** Where key log lines go, or {@code null}. */
    public Path keyLogFile() {
        return keyLogFile;
    }

    /**
     * Reads the properties.
     *
     * @param clientAuth the stack's {@code gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE}
     * @throws IOException naming the property that is wrong and what it should hold
     */
    public static DtlsSipProperties from(Properties p, ClientAuthType clientAuth) throws IOException {
        DtlsConfig.Builder b = DtlsConfig.forClientAndServer();
        try {
            String suites = p.getProperty(CIPHER_SUITES);
            if (suites != null) {
                b.cipherSuites(suites);
            }
            String protocols = p.getProperty(PROTOCOLS);
            if (protocols != null && !protocols.isBlank()) {
                b.protocols(protocols(protocols));
            }
            b.pmtu(intProperty(p, PMTU, DtlsConfig.DEFAULT_PMTU));
            b.initialRetransmitMillis(longProperty(p, INITIAL_RETRANSMIT_MS, DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS));
            b.handshakeTimeoutMillis(longProperty(p, HANDSHAKE_TIMEOUT_MS, DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad DTLS-UDP property: " + e.getMessage(), e);
        }
        b.certifiedKey(localKey(p));
        b.clientAuth(serverClientAuth(clientAuth));
        b.peerVerifier(peerVerifier(p, clientAuth));
        long idle = longProperty(p, IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MILLIS);
        if (idle <= 0) {
            throw new IOException(IDLE_TIMEOUT_MS + " must be positive, got " + idle);
        }
        long deadPeer = longProperty(p, DEAD_PEER_MS, DEFAULT_DEAD_PEER_MILLIS);
        if (deadPeer <= 0) {
            throw new IOException(DEAD_PEER_MS + " must be positive, got " + deadPeer);
        }
        String keyLog = p.getProperty(KEY_LOG_FILE);
        boolean verifyDomain = booleanProperty(p, VERIFY_DOMAIN, true);
        if (!verifyDomain) {
            b.noServerNameCheck();
        }
        String token = transportToken(p);
        long maxMessage = longProperty(p, MAX_MESSAGE_SIZE, 0);
        if (maxMessage < 0 || maxMessage > MAX_MESSAGE_SIZE_LIMIT) {
            throw new IOException(MAX_MESSAGE_SIZE + " must be 0 to " + MAX_MESSAGE_SIZE_LIMIT
                    + " (one DTLS record), got " + maxMessage);
        }
        try {
            return new DtlsSipProperties(b.build(), idle, deadPeer, keyLog == null || keyLog.isBlank() ? null : Path.of(keyLog),
                    verifyDomain, token, (int) maxMessage);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad DTLS-UDP configuration: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #PROTOCOLS}' value as version numbers, highest first (the order does not change
     * what is negotiated: the server picks, RFC 8446 4.2.1).
     *
     * @throws IllegalArgumentException naming the bad entry and the accepted ones
     */
    public static int[] protocols(String list) {
        java.util.TreeSet<Integer> versions = new java.util.TreeSet<>(); // DTLS numbers count down: 1.3 < 1.2
        for (String name : list.split("[,:]")) {
            if (!name.isBlank()) {
                try {
                    versions.add(org.dtlsip.dtls.record.ProtocolVersion.parse(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(PROTOCOLS + ": " + e.getMessage(), e);
                }
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException(PROTOCOLS + " names no version; use DTLSv1.3,DTLSv1.2, DTLSv1.2 or DTLSv1.3");
        }
        return versions.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String transportToken(Properties p) throws IOException {
        String s = p.getProperty(TRANSPORT_TOKEN);
        if (s == null || s.isBlank()) {
            return DtlsUdp.TRANSPORT;
        }
        String token = DtlsUdp.token(s.trim());
        if (token == null) {
            throw new IOException(TRANSPORT_TOKEN + " must be " + DtlsUdp.TRANSPORT + " or " + DtlsUdp.DTLS + ", got \"" + s + "\"");
        }
        return token;
    }

    /**
     * The RI's TLS client-auth values (SipStackImpl javadoc): Enabled requires a client
     * certificate, Want and Default ask for one, Disabled and DisabledAll do not.
     */
    static DtlsConfig.ClientAuth serverClientAuth(ClientAuthType type) {
        if (type == null) {
            return DtlsConfig.ClientAuth.WANT;
        }
        return switch (type) {
            case Enabled -> DtlsConfig.ClientAuth.NEED;
            case Want, Default -> DtlsConfig.ClientAuth.WANT;
            case Disabled, DisabledAll -> DtlsConfig.ClientAuth.NONE;
        };
    }

    /** Our certificate: the PEM pair if given, else the first key entry of the key store. */
    private static CertifiedKey localKey(Properties p) throws IOException {
        String certFile = p.getProperty(CERTIFICATE_FILE);
        String keyFile = p.getProperty(PRIVATE_KEY_FILE);
        if (certFile != null || keyFile != null) {
            if (certFile == null || keyFile == null) {
                throw new IOException("set both " + CERTIFICATE_FILE + " and " + PRIVATE_KEY_FILE + " (PEM files)");
            }
            return Pem.readCertifiedKey(Path.of(certFile), Path.of(keyFile));
        }
        String keyStore = p.getProperty(KEY_STORE);
        if (keyStore == null) {
            throw new IOException("a DTLS-UDP listening point needs a certificate: set " + KEY_STORE
                    + " (with " + KEY_STORE_PASSWORD + ") or " + CERTIFICATE_FILE + " and " + PRIVATE_KEY_FILE);
        }
        char[] password = password(p, KEY_STORE_PASSWORD);
        KeyStore ks = load(keyStore, p.getProperty(KEY_STORE_TYPE), password);
        try {
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                    Certificate[] chain = ks.getCertificateChain(alias);
                    if (key != null && chain != null && chain.length > 0) {
                        return new CertifiedKey(x509(chain), key);
                    }
                }
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("cannot read the private key in " + keyStore + ": " + e.getMessage(), e);
        }
        throw new IOException("key store " + keyStore + " holds no private key with a certificate chain");
    }

    /**
     * How peers are checked, strongest first: pinned fingerprints, then PKIX to the trust store
     * (the key store if no trust store is named, as the RI does for TLS). DisabledAll is the
     * RI's "no certificate checks either way" and is honoured only when nothing else is set.
     */
    private static PeerVerifier peerVerifier(Properties p, ClientAuthType clientAuth) throws IOException {
        String pins = p.getProperty(PEER_FINGERPRINTS);
        if (pins != null && !pins.isBlank()) {
            List<byte[]> fps = new ArrayList<>();
            for (String s : pins.split("[,\\s]+")) {
                if (!s.isBlank()) {
                    try {
                        fps.add(Fingerprint.parse(s));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(PEER_FINGERPRINTS + ": " + e.getMessage(), e);
                    }
                }
            }
            return PeerVerifier.fingerprints(fps);
        }
        String trustStore = p.getProperty(TRUST_STORE, p.getProperty(KEY_STORE));
        String trustType = p.getProperty(TRUST_STORE_TYPE, p.getProperty(KEY_STORE_TYPE));
        if (trustStore != null) {
            // As the RI's TLS setup: the trust store password defaults to the key store's.
            String password = p.getProperty(TRUST_STORE_PASSWORD, p.getProperty(KEY_STORE_PASSWORD));
            KeyStore ts = load(trustStore, trustType, password == null ? null : password.toCharArray());
            List<X509Certificate> anchors = new ArrayList<>();
            try {
                for (String alias : Collections.list(ts.aliases())) {
                    Certificate c = ts.getCertificate(alias);
                    if (c instanceof X509Certificate x) {
                        anchors.add(x);
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read trust store " + trustStore + ": " + e.getMessage(), e);
            }
            if (!anchors.isEmpty()) {
                return PeerVerifier.pkix(anchors);
            }
        }
        if (clientAuth == ClientAuthType.DisabledAll) {
            return PeerVerifier.insecureAcceptAny();
        }
        throw new IOException("no way to check DTLS peers' certificates: set " + TRUST_STORE + ", "
                + PEER_FINGERPRINTS + ", or (testing only) gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE=DisabledAll");
    }

    private static KeyStore load(String file, String type, char[] password) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore ks = KeyStore.getInstance(type == null ? KeyStore.getDefaultType() : type);
            ks.load(in, password);
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load key store " + file + ": " + e.getMessage(), e);
        }
    }

    private static char[] password(Properties p, String name) {
        String s = p.getProperty(name);
        return s == null ? null : s.toCharArray();
    }

    private static List<X509Certificate> x509(Certificate[] chain) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : chain) {
            if (!(c instanceof X509Certificate x)) {
                throw new IOException("key store certificate is not X.509: " + c.getType());
            }
            out.add(x);
        }
        return out;
    }

    private static boolean booleanProperty(Properties p, String name, boolean def) throws IOException {
        String s = p.getProperty(name);
        if (s == null || s.isBlank()) {
            return def;
        }
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IOException(name + " must be true or false, got \"" + s + "\"");
        };
    }

    private static int intProperty(Properties p, String name, int def) throws IOException {
        return (int) longProperty(p, name, def);
    }

    private static long longProperty(Properties p, String name, long def) throws IOException {
        String s = p.getProperty(name);
        if (s == null || s.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IOException(name + " must be a whole number, got \"" + s + "\"", e);
        }
    }
}
