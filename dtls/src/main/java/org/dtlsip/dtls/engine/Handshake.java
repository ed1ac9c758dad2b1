package org.dtlsip.dtls.engine;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.EphemeralKeyPair;
import org.dtlsip.dtls.crypto.KeyBlock;
import org.dtlsip.dtls.crypto.KeySchedule;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.KeyUsagePolicy;
import org.dtlsip.dtls.crypto.PeerCertificateCheck;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.message.CertificateMessage;
import org.dtlsip.dtls.handshake.message.Finished;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.EpochRelation;
import org.dtlsip.dtls.record.RecordProtections;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.RecordProtection;
import org.dtlsip.dtls.util.DecodeException;

/**
 * State and key schedule shared by the client and server state machines. Each state declares
 * what it accepts in an {@link Acceptance} table, which the engine consults before a record or
 * message body is read: a subclass only ever sees the message types its current state
 * accepts, so an out-of-order message can never advance the handshake.
 */
abstract class Handshake {
    final DtlsEngine engine;
    final DtlsConfig config;
    final Transcript transcript = new Transcript();
    byte[] clientRandom;
    byte[] serverRandom;
    CipherSuite suite;
    NamedGroup group;
    EphemeralKeyPair ephemeral;
    boolean extendedMasterSecret;
    byte[] masterSecret;
    List<X509Certificate> peerCertificates = List.of();
    /** The peer leaf's key, converted once for fast signature checks. */
    java.security.PublicKey peerKey;
    byte[] pskIdentity;
    SrtpProfile srtpProfile;
    /** The MKI agreed with use_srtp (RFC 5764 4.1.1), empty for none; null without use_srtp. */
    byte[] srtpMki;
    String applicationProtocol;
    String serverName;
    int peerRecordSizeLimit;
    boolean resumed;
    /** RFC 7366: CBC suites MAC the ciphertext when both sides agreed in the hellos. */
    boolean encryptThenMac;
    byte[] sessionId = new byte[0];
    ResumableSession resumable;
    List<X509Certificate> localCertificates = List.of();
    /** The peer's next-epoch protection, installed when its ChangeCipherSpec arrives. */
    RecordProtection pendingReadProtection;
    /** Our next-epoch protection, installed between our ChangeCipherSpec and Finished. */
    RecordProtection nextWriteProtection;
    /** The ID our records to the peer carry once the hellos agreed on connection IDs; null: not agreed. */
    byte[] peerConnectionId;
    /** Both hellos carried rrc with connection IDs (RFC 9853 3). */
    boolean returnRoutabilityCheck;

    Handshake(DtlsEngine engine, DtlsConfig config) {
        this.engine = engine;
        this.config = config;
    }

    /** Client: send the first flight. Server: nothing (it waits for the ClientHello). */
    abstract void start(long now);

    /** Processes the next in-order handshake message, of a type {@link #acceptance()} accepts. */
    abstract void onMessage(HandshakeMessage message, long now);

    /** What the current state accepts (RFC 6347, RFC 5246): the table the engine checks first. */
    abstract Acceptance acceptance();

    /** Whether the peer's ChangeCipherSpec is due now, as the current state's table says. */
    final boolean expectsChangeCipherSpec() {
        return acceptance().rule(EpochRelation.CURRENT, ContentType.CHANGE_CIPHER_SPEC).action() == Acceptance.Action.PROCESS;
    }

    abstract boolean isComplete();

    abstract boolean isClient();

    /** The current state, for error messages. */
    abstract String stateName();

    /** Switches reading to the next epoch on the peer's ChangeCipherSpec (RFC 5246 7.1). */
    void onChangeCipherSpec() {
        engine.installReadEpoch(pendingReadProtection);
        pendingReadProtection = null;
    }

    /** The hellos agreed on connection IDs (RFC 9146): records from epoch 1 on use them. */
    void useConnectionIds(byte[] peer) {
        peerConnectionId = peer;
        engine.useConnectionIds(peer);
    }

    /** An identity for messages: printable ASCII as is, anything else as hex. */
    static String printable(byte[] identity) {
        for (byte b : identity) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + org.dtlsip.dtls.util.Hex.encode(identity);
            }
        }
        return new String(identity, java.nio.charset.StandardCharsets.US_ASCII);
    }

    static HandshakeFailure unexpected(HandshakeMessage message, String state) {
        return new HandshakeFailure(AlertDescription.UNEXPECTED_MESSAGE,
                "unexpected " + message.type().name().toLowerCase(java.util.Locale.ROOT) + " in state " + state);
    }

    static <T> T decode(HandshakeMessage message, java.util.function.Function<byte[], T> decoder) {
        try {
            return decoder.apply(message.body());
        } catch (DecodeException e) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR,
                    "malformed " + message.type().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
        }
    }

    /** Parses a Certificate message into X.509 certificates, leaf first. */
    static List<X509Certificate> parseCertificates(CertificateMessage message) {
        List<X509Certificate> chain = new ArrayList<>(message.certificates().size());
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : message.certificates()) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | ClassCastException e) {
            throw new HandshakeFailure(AlertDescription.BAD_CERTIFICATE, "unparseable peer certificate: " + e.getMessage(), e);
        }
        return chain;
    }

    /**
     * Checks the peer's chain: trust, then key usage and identity where trust rests on PKIX
     * ({@link PeerCertificateCheck}), mapping failures to the RFC 5246 7.2.2 alerts.
     */
    static void verifyPeer(PeerCertificateCheck check, List<X509Certificate> chain, String who) {
        if (check.trust() == null) {
            throw new HandshakeFailure(AlertDescription.INTERNAL_ERROR,
                    "no way to check the " + who + " certificate is configured: set trust anchors (-CAfile), "
                            + "a pinned fingerprint (-fingerprint), or insecure accept-any");
        }
        try {
            check.check(chain);
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new HandshakeFailure(AlertDescription.CERTIFICATE_EXPIRED, who + " certificate rejected: " + e.getMessage(), e);
        } catch (KeyUsagePolicy.UnsuitableCertificateException e) {
            // A key its certificate does not allow for this use (RFC 5280 4.2.1.3, 4.2.1.12).
            throw new HandshakeFailure(AlertDescription.UNSUPPORTED_CERTIFICATE, who + " certificate rejected: "
                    + e.getMessage(), e);
        } catch (CertificateException e) {
            // A chain that leads to no trust anchor is unknown_ca; a pin mismatch, a name the
            // certificate does not carry, or an unusable certificate is bad_certificate.
            AlertDescription alert = e.getCause() instanceof java.security.cert.CertPathValidatorException
                    ? AlertDescription.UNKNOWN_CA : AlertDescription.BAD_CERTIFICATE;
            throw new HandshakeFailure(alert, who + " certificate rejected: " + e.getMessage(), e);
        }
    }

    /** Derives the master secret once the premaster is known (RFC 7627 4 or RFC 5246 8.1). */
    void deriveMasterSecret(byte[] preMaster) {
        if (extendedMasterSecret) {
            // The session hash covers the transcript up to and including ClientKeyExchange.
            masterSecret = KeySchedule.extendedMasterSecret(suite.prfHash, preMaster, transcript.hash(suite.prfHash));
        } else {
            masterSecret = KeySchedule.masterSecret(suite.prfHash, preMaster, clientRandom, serverRandom);
        }
    }

    /** Installs our next write epoch and holds the peer's next read epoch until its ChangeCipherSpec. */
    void deriveTrafficKeys() {
        KeyBlock keys = KeySchedule.keyBlock(suite, masterSecret, clientRandom, serverRandom);
        boolean client = isClient();
        pendingReadProtection = RecordProtections.forReading(suite, keys, client, encryptThenMac);
        nextWriteProtection = RecordProtections.forWriting(suite, keys, client, encryptThenMac, config.random());
    }


    /**
     * Ends our flight with ChangeCipherSpec in the current epoch and Finished in the next one
     * (RFC 5246 7.1): the write epoch changes between the two.
     */
    void addChangeCipherSpecAndFinished(List<Flight.Item> flight) {
        int epoch = engine.writeEpoch();
        flight.add(new Flight.ChangeCipherSpecItem(epoch));
        engine.installWriteEpoch(nextWriteProtection);
        flight.add(new Flight.HandshakeItem(epoch + 1, ourFinished()));
    }

    /** Our Finished over the transcript so far, which it then joins (RFC 5246 7.4.9). */
    HandshakeMessage ourFinished() {
        byte[] verifyData = KeySchedule.verifyData(suite.prfHash, masterSecret, isClient(), transcript.hash(suite.prfHash));
        HandshakeMessage finished = engine.newMessage(HandshakeType.FINISHED, new Finished(verifyData).encode());
        transcript.add(finished);
        return finished;
    }

    /** Checks the peer's Finished against the transcript before it, in constant time. */
    void verifyPeerFinished(HandshakeMessage message) {
        Finished finished = decode(message, Finished::decode);
        byte[] expected = KeySchedule.verifyData(suite.prfHash, masterSecret, !isClient(), transcript.hash(suite.prfHash));
        if (!MessageDigest.isEqual(expected, finished.verifyData())) {
            throw new HandshakeFailure(AlertDescription.DECRYPT_ERROR,
                    "peer Finished verify_data does not match the transcript (tampered handshake or wrong keys)");
        }
        transcript.add(message);
    }

    /** Drops what only the handshake needed, so an idle association holds little more than its keys. */
    void releaseHandshakeState() {
        transcript.clear();
        ephemeral = null;
        peerKey = null;
        pendingReadProtection = null;
        nextWriteProtection = null;
        // The session holds its own copies; a completed handshake only refuses renegotiation.
        masterSecret = null;
        clientRandom = null;
        serverRandom = null;
        sessionId = null;
        resumable = null;
    }

    DtlsSession session() {
        return new DtlsSession(ProtocolVersion.DTLS_1_2, suite, group, peerCertificates, localCertificates,
                extendedMasterSecret, masterSecret, clientRandom, serverRandom, pskIdentity,
                new DtlsSession.Negotiated(srtpProfile, applicationProtocol, serverName, peerRecordSizeLimit,
                        resumed, sessionId, resumable, encryptThenMac,
                        peerConnectionId == null ? null : engine.localConnectionId(), peerConnectionId, srtpMki,
                        returnRoutabilityCheck));
    }

    /** What a later abbreviated handshake needs to resume this one. */
    SessionState sessionState(long now) {
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate c : peerCertificates) {
            try {
                der.add(c.getEncoded());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        byte[] psk = pskIdentity == null ? null : pskKeyFor(pskIdentity);
        return new SessionState(suite, masterSecret, extendedMasterSecret, der, pskIdentity, now, serverName,
                psk == null ? null : SessionState.pskKeyCheck(psk));
    }

    /** The key this side holds for a PSK identity now, or {@code null}. */
    abstract byte[] pskKeyFor(byte[] identity);

    /** Restores what a resumed session carries over (RFC 5246 7.3: same master secret, new randoms). */
    void restore(SessionState state) {
        resumed = true;
        suite = state.suite();
        masterSecret = state.masterSecret();
        extendedMasterSecret = state.extendedMasterSecret();
        pskIdentity = state.pskIdentity().length == 0 ? null : state.pskIdentity();
        serverName = state.serverName();
        List<byte[]> der = state.peerCertificates();
        peerCertificates = der.isEmpty() ? List.of() : parseCertificates(new CertificateMessage(der));
    }

    static boolean keyMatchesSuite(SignatureScheme.KeyType keyType, CipherSuite suite) {
        return switch (suite.keyExchange) {
            case ECDHE_ECDSA -> keyType == SignatureScheme.KeyType.EC;
            case ECDHE_RSA -> keyType == SignatureScheme.KeyType.RSA;
            case PSK, ECDHE_PSK -> false;
        };
    }

    static SignatureScheme.KeyType keyType(java.security.Key key) {
        String alg = key.getAlgorithm();
        if (alg.equals("EC") || alg.equals("ECDSA")) {
            return SignatureScheme.KeyType.EC;
        }
        if (alg.equals("RSA") || alg.equals("RSASSA-PSS")) {
            return SignatureScheme.KeyType.RSA;
        }
        return null;
    }
}
