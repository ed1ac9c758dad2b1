package org.dtlsip.dtls.engine;

import java.security.cert.X509Certificate;
import java.util.List;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.KeySchedule;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.record.ProtocolVersion;

/** What a completed handshake agreed: suite, group, certificates, and the master secret's uses. */
public final class DtlsSession {
    private final int version;
    private final CipherSuite cipherSuite;
    private final NamedGroup namedGroup;
    private final List<X509Certificate> peerCertificates;
    private final List<X509Certificate> localCertificates;
    private final boolean extendedMasterSecret;
    private final byte[] masterSecret;
    private final byte[] clientRandom;
    private final byte[] serverRandom;
    private final byte[] pskIdentity;
    private final Negotiated negotiated;
    /** DTLS 1.3 only (else null): the suite, and the exporter and key log material (RFC 8446 7.5). */
    private final Tls13Parameters tls13;
    /** Set once the association ended with a fatal alert (RFC 5246 7.2.2: not to be resumed). */
    private volatile boolean invalidated;
    /** DTLS 1.3 client: the newest ticket the server sent after the handshake (RFC 8446 4.6.1), or null. */
    private volatile ResumableSession tls13Ticket;

    /**
     * What a DTLS 1.3 session adds: its suite (the 1.2 {@link #cipherSuite()} is null), the
     * exporter master secret (RFC 8446 7.5) and the NSS key log lines of its traffic secrets.
     */
    record Tls13Parameters(Tls13CipherSuite suite, Tls13Hkdf hkdf, byte[] exporterMasterSecret, List<String> keyLogLines) {
    }

    /** What hello extensions settled, beyond the suite. */
    record Negotiated(SrtpProfile srtpProfile, String applicationProtocol, String serverName, int peerRecordSizeLimit,
            boolean resumed, byte[] sessionId, ResumableSession resumable, boolean encryptThenMac,
            byte[] connectionId, byte[] peerConnectionId, byte[] srtpMki, boolean returnRoutabilityCheck) {
    }

    DtlsSession(int version, CipherSuite cipherSuite, NamedGroup namedGroup, List<X509Certificate> peerCertificates,
            List<X509Certificate> localCertificates, boolean extendedMasterSecret, byte[] masterSecret,
            byte[] clientRandom, byte[] serverRandom, byte[] pskIdentity, Negotiated negotiated) {
        this.version = version;
        this.cipherSuite = cipherSuite;
        this.namedGroup = namedGroup;
        this.peerCertificates = List.copyOf(peerCertificates);
        this.localCertificates = List.copyOf(localCertificates);
        this.extendedMasterSecret = extendedMasterSecret;
        this.masterSecret = masterSecret.clone();
        this.clientRandom = clientRandom.clone();
        this.serverRandom = serverRandom.clone();
        this.pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
        this.negotiated = negotiated;
        this.tls13 = null;
    }

    /** A DTLS 1.3 session (RFC 9147): no master secret of the 1.2 kind, an exporter secret instead. */
    DtlsSession(Tls13Parameters tls13, NamedGroup namedGroup, List<X509Certificate> peerCertificates,
            List<X509Certificate> localCertificates, byte[] clientRandom, byte[] serverRandom, Negotiated negotiated) {
        this.version = ProtocolVersion.DTLS_1_3;
        this.cipherSuite = null;
        this.namedGroup = namedGroup;
        this.peerCertificates = List.copyOf(peerCertificates);
        this.localCertificates = List.copyOf(localCertificates);
        this.extendedMasterSecret = false;
        this.masterSecret = new byte[0];
        this.clientRandom = clientRandom.clone();
        this.serverRandom = serverRandom.clone();
        this.pskIdentity = null;
        this.negotiated = negotiated;
        this.tls13 = tls13;
    }

    /** The negotiated version: {@link ProtocolVersion#DTLS_1_2} or {@link ProtocolVersion#DTLS_1_3}. */
    public int version() {
        return version;
    }

    /** The DTLS 1.3 suite, or {@code null} for a DTLS 1.2 session (see {@link #cipherSuite()}). */
    public Tls13CipherSuite tls13CipherSuite() {
        return tls13 == null ? null : tls13.suite();
    }

    /** The suite's IANA name (1.3) or OpenSSL name (1.2), as {@code s_client} prints it. */
    public String cipherSuiteName() {
        return tls13 != null ? tls13.suite().name() : cipherSuite.opensslName;
    }

    /**
     * The suite's IANA name for either version ({@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
     * {@code TLS_AES_128_GCM_SHA256}), as JSSE's {@code SSLSession.getCipherSuite()} names it.
     * Callers that name a suite without knowing the version use this, never
     * {@code cipherSuite().name()}: a DTLS 1.3 suite is not a 1.2 {@link CipherSuite} (RFC 8446
     * 4.1.2 and B.4: a 1.3 suite names only the AEAD and the hash).
     */
    public String ianaCipherSuiteName() {
        return tls13 != null ? tls13.suite().name() : cipherSuite.name();
    }

    /** True for a DTLS 1.3 session (RFC 9147), whose suite is {@link #tls13CipherSuite()}. */
    public boolean isDtls13() {
        return tls13 != null;
    }

    /** True when the hellos agreed on connection IDs (RFC 9146), possibly empty ones. */
    public boolean connectionIdNegotiated() {
        return negotiated.peerConnectionId() != null;
    }

    /**
     * The connection ID the peer puts in records to us (RFC 9146); empty when we asked for
     * none; {@code null} when connection IDs were not negotiated.
     */
    public byte[] connectionId() {
        byte[] cid = negotiated.connectionId();
        return cid == null ? null : cid.clone();
    }

    /**
     * The connection ID we put in records to the peer; empty when it asked for none (we then
     * send RFC 6347 records); {@code null} when connection IDs were not negotiated.
     */
    public byte[] peerConnectionId() {
        byte[] cid = negotiated.peerConnectionId();
        return cid == null ? null : cid.clone();
    }

    /**
     * True when both hellos carried rrc (RFC 9853 3) along with connection IDs: the return
     * routability check may be used, by either side.
     */
    public boolean returnRoutabilityCheck() {
        return negotiated.returnRoutabilityCheck();
    }

    /** True when a CBC suite MACs the ciphertext (RFC 7366); always false for AEAD suites. */
    public boolean encryptThenMac() {
        return negotiated.encryptThenMac();
    }

    /** True when this was an abbreviated handshake resuming an earlier session (RFC 5246 7.3). */
    public boolean resumed() {
        return negotiated.resumed();
    }

    /** The session ID the server assigned (empty when it does not cache sessions). */
    public byte[] sessionId() {
        return negotiated.sessionId().clone();
    }

    /**
     * Client: the session to save and offer next time ({@code -sess_out}), or {@code null}
     * when the server offered neither a session ID nor a ticket (in DTLS 1.3: before its first
     * NewSessionTicket, which follows the handshake), or once the association
     * ended with a fatal alert: "any connection terminated with a fatal alert MUST NOT be
     * resumed" (RFC 5246 7.2.2).
     */
    public ResumableSession resumable() {
        if (invalidated) {
            return null;
        }
        ResumableSession ticket = tls13Ticket;
        return ticket != null ? ticket : negotiated.resumable();
    }

    /** DTLS 1.3 client: keeps the newest ticket, which arrives after the handshake (RFC 8446 4.6.1). */
    void tls13Ticket(ResumableSession ticket) {
        this.tls13Ticket = ticket;
    }

    /** Whether the association ended with a fatal alert, which rules out resuming this session. */
    public boolean invalidated() {
        return invalidated;
    }

    void invalidate() {
        invalidated = true;
    }

    /** The SRTP profile agreed by use_srtp (RFC 5764), or {@code null}. */
    public SrtpProfile srtpProfile() {
        return negotiated.srtpProfile();
    }

    /**
     * The SRTP master key identifier both sides use (RFC 5764 4.1.1): the one the client
     * offered if the server echoed it; empty when no MKI is used; {@code null} without use_srtp.
     */
    public byte[] srtpMki() {
        byte[] mki = negotiated.srtpMki();
        return mki == null ? null : mki.clone();
    }

    /** SRTP master keys and salts for the agreed profile (RFC 5764 4.2), or {@code null} without use_srtp. */
    public SrtpKeyingMaterial srtpKeyingMaterial() {
        SrtpProfile p = negotiated.srtpProfile();
        if (p == null) {
            return null;
        }
        return SrtpKeyingMaterial.split(p, exportKeyingMaterial(SrtpKeyingMaterial.EXPORTER_LABEL, null, p.keyingMaterialLength()));
    }

    /** The ALPN protocol agreed (RFC 7301), or {@code null}. */
    public String applicationProtocol() {
        return negotiated.applicationProtocol();
    }

    /** The host name the client asked for with server_name (RFC 6066), or {@code null}. */
    public String serverName() {
        return negotiated.serverName();
    }

    /** The peer's record_size_limit (RFC 8449), or 0 when it sent none. */
    public int peerRecordSizeLimit() {
        return negotiated.peerRecordSizeLimit();
    }

    /** The PSK identity used, or {@code null} for certificate suites. */
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /** The negotiated version as OpenSSL 4.1 spells it: {@code DTLSv1.2} or {@code DTLSv1.3}. */
    public String protocol() {
        return ProtocolVersion.name(version);
    }

    /**
     * The DTLS 1.2 suite; {@code null} for DTLS 1.3 (see {@link #tls13CipherSuite()} and, for a
     * name that works with both, {@link #ianaCipherSuiteName()}).
     */
    public CipherSuite cipherSuite() {
        return cipherSuite;
    }

    public NamedGroup namedGroup() {
        return namedGroup;
    }

    /** The peer's chain, leaf first; empty when the peer sent none. */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    public List<X509Certificate> localCertificates() {
        return localCertificates;
    }

    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    public byte[] clientRandom() {
        return clientRandom.clone();
    }

    /** NSS key log line (CLIENT_RANDOM) for Wireshark. Handle with care: it decrypts the session. */
    public String keyLogLine() {
        if (tls13 != null) {
            // RFC 9147 with the NSS key log format: one line per secret, keyed by the client random.
            return String.join("\n", tls13.keyLogLines());
        }
        return "CLIENT_RANDOM " + org.dtlsip.dtls.util.Hex.encode(clientRandom) + " "
                + org.dtlsip.dtls.util.Hex.encode(masterSecret);
    }

    /** Keying material exporter (RFC 5705). */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        if (tls13 != null) {
            // RFC 8446 7.5: a missing context is the empty one in TLS 1.3.
            return tls13.hkdf().export(tls13.exporterMasterSecret(), label, context == null ? new byte[0] : context, length);
        }
        return KeySchedule.exportKeyingMaterial(cipherSuite.prfHash, masterSecret, label, clientRandom,
                serverRandom, context, length);
    }

    @Override
    public String toString() {
        return protocol() + " " + cipherSuiteName();
    }
}
