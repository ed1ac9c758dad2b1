package org.dtlsip.dtls.config;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.crypto.Signatures;
import org.dtlsip.dtls.handshake.Reassembler;

/**
 * Immutable configuration of a DTLS endpoint. Every limit has a named default below with the
 * reason for its value; {@link #builder()} starts from those defaults.
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

    /** Whether and how a server asks the client for a certificate. */
    public enum ClientAuth { NONE, WANT, NEED }

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

    private DtlsConfig(Builder b) {
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
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
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
        return b;
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

    /** Builder with the documented defaults; {@link #build()} checks consistency. */
    public static final class Builder {
        private List<CipherSuite> cipherSuites = List.of(CipherSuite.values());
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

        private Builder() {
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

        public Builder clientAuth(ClientAuth mode) {
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
            this.cookieExchange = enabled;
            return this;
        }

        public Builder cookieSecretLifetimeMillis(long millis) {
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

        public DtlsConfig build() {
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
            return new DtlsConfig(this);
        }
    }
}
