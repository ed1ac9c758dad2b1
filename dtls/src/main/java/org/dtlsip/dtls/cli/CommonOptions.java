package org.dtlsip.dtls.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.config.KeyLog;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.MessageTraceFormat;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.util.Hex;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.Pem;

/** Options both command-line peers take, and how they become a {@link DtlsConfig}. */
final class CommonOptions {
    static final Set<String> FLAGS = Set.of("-quiet", "-insecure", "-verify", "-Verify", "-help", "-msg", "-dtls1_2", "-dtls1_3");
    static final Set<String> VALUES = Set.of("-cert", "-key", "-CAfile", "-fingerprint", "-cipher", "-mtu",
            "-timeout-ms", "-handshake-timeout-ms", "-psk", "-psk_identity", "-psk_hint", "-keylogfile",
            "-use_srtp", "-keymatexport", "-keymatexportlen", "-alpn", "-servername", "-cid", "-ciphersuites",
            "-min_protocol", "-max_protocol");

    static final String USAGE = """
              -cert FILE            PEM certificate chain (leaf first)
              -key FILE             PEM private key for -cert
              -CAfile FILE          PEM trust anchors for the peer's chain
              -fingerprint HEX      accept only a peer certificate with this SHA-256 fingerprint
              -insecure             accept any peer certificate (testing only)
              -cipher LIST          DTLS 1.2 suites, OpenSSL or IANA names separated by ':'
              -ciphersuites LIST    DTLS 1.3 suites, IANA names separated by ':'
              -dtls1_2, -dtls1_3    speak only DTLS 1.2, or only DTLS 1.3 (RFC 9147)
              -min_protocol V, -max_protocol V  the versions spoken, DTLSv1.2 or DTLSv1.3 (default:
                                    both); the highest both sides share is used
              -mtu N                link MTU, as OpenSSL's -mtu: datagrams stay within N less the
                                    IP and UDP headers (default: 1400-byte datagrams)
              -timeout-ms N         initial retransmission timer (default %d)
              -handshake-timeout-ms N  give up a handshake after this long (default %d); the server
                                    also evicts a handshake not complete by then
              -psk HEX              pre-shared key (enables the PSK suites when -cipher is absent)
              -psk_identity ID      client: identity to send; server: the only identity accepted
              -psk_hint HINT        server: identity hint to send
              -keylogfile FILE      append NSS key log lines for Wireshark (also: SSLKEYLOGFILE)
              -use_srtp PROFILES    offer/accept DTLS-SRTP profiles, e.g. SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM
              -keymatexport LABEL   print RFC 5705 keying material for LABEL after the handshake
              -keymatexportlen N    bytes of keying material to print (default 20)
              -alpn LIST            ALPN protocols, comma separated, in preference order
              -servername NAME      client: send server_name NAME (default: the name checked, if a host name)
              -cid N                negotiate a connection ID (RFC 9146): receive on N-byte IDs (0: send only)
              -msg                  print every record and handshake message sent (>>>) and received
                                    (<<<): epoch, sequence number, type, size, message_seq, fragment;
                                    retransmissions, alerts and dropped records marked
              -quiet                print only application data and errors
            """.formatted(DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS, DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);

    private CommonOptions() {
    }

    /** IPv4 (20) plus UDP (8) header bytes: what a link MTU holds besides the datagram. */
    static final int IPV4_UDP_HEADERS = 28;
    /** IPv6 (40) plus UDP (8) header bytes. */
    static final int IPV6_UDP_HEADERS = 48;

    /**
     * @param role {@link DtlsConfig.Role#CLIENT} for dtls-client, {@link DtlsConfig.Role#SERVER}
     *        for dtls-server: an option for the other side is a usage error
     * @param ipv6 whether the peer is reached over IPv6, which decides how much of a link MTU
     *        ({@code -mtu}) the IP and UDP headers take
     */
    static DtlsConfig.Builder toConfig(Args args, DtlsConfig.Role role, boolean ipv6) throws IOException {
        boolean client = role == DtlsConfig.Role.CLIENT;
        DtlsConfig.Builder b = client ? DtlsConfig.forClient() : DtlsConfig.forServer();
        String cert = args.value("-cert");
        String key = args.value("-key");
        if ((cert == null) != (key == null)) {
            throw new Args.UsageException("-cert and -key go together");
        }
        if (cert != null) {
            List<X509Certificate> chain = readFile("certificate", cert, Pem::readCertificates);
            PrivateKey privateKey = readFile("private key", key, Pem::readPrivateKey);
            try {
                b.certifiedKey(new CertifiedKey(chain, privateKey));
            } catch (IllegalArgumentException e) {
                throw new IOException("-key " + key + " does not belong to the first certificate in -cert " + cert
                        + ": " + e.getMessage(), e);
            }
        }
        List<PeerVerifier> verifiers = new ArrayList<>();
        if (args.value("-CAfile") != null) {
            List<X509Certificate> anchors = readFile("CA certificate", args.value("-CAfile"), Pem::readCertificates);
            b.peerVerifier(PeerVerifier.pkix(anchors));
            verifiers.add(null);
        }
        if (args.value("-fingerprint") != null) {
            b.peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.parse(args.value("-fingerprint")))));
            verifiers.add(null);
        }
        if (args.flag("-insecure")) {
            b.peerVerifier(PeerVerifier.insecureAcceptAny());
            verifiers.add(null);
        }
        if (verifiers.size() > 1) {
            throw new Args.UsageException("choose one of -CAfile, -fingerprint and -insecure");
        }
        if (args.value("-psk") != null) {
            byte[] psk;
            try {
                psk = Hex.decode(args.value("-psk"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("-psk takes the key in hex: " + e.getMessage());
            }
            String identity = args.value("-psk_identity");
            if (client) {
                b.psk((identity == null ? "Client_identity" : identity).getBytes(StandardCharsets.UTF_8), psk);
            } else {
                byte[] only = identity == null ? null : identity.getBytes(StandardCharsets.UTF_8);
                b.pskStore(id -> only == null || Arrays.equals(id, only) ? psk : null);
            }
            if (args.value("-cipher") == null) {
                b.cipherSuites(Arrays.stream(CipherSuite.values()).filter(s -> s.keyExchange.usesPsk()).toList());
            }
        }
        if (args.value("-use_srtp") != null) {
            List<SrtpProfile> profiles = new ArrayList<>();
            for (String name : args.value("-use_srtp").split(":")) {
                try {
                    profiles.add(SrtpProfile.byName(name));
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException(e.getMessage());
                }
            }
            b.srtpProfiles(profiles);
        }
        if (args.value("-alpn") != null) {
            b.applicationProtocols(List.of(args.value("-alpn").split(",")));
        }
        if (args.value("-psk_hint") != null) {
            if (client) {
                throw new Args.UsageException("-psk_hint is a server option (the hint the server sends)");
            }
            b.pskIdentityHint(args.value("-psk_hint").getBytes(StandardCharsets.UTF_8));
        }
        if (args.value("-servername") != null) {
            if (!client) {
                throw new Args.UsageException("-servername is a client option (the server_name it sends)");
            }
            b.serverName(args.value("-servername"));
        }
        if (args.value("-cid") != null) {
            int length = args.intValue("-cid", 0);
            try {
                if (length == 0) {
                    b.emptyConnectionId();
                } else {
                    b.connectionIdLength(length);
                }
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("-cid: " + e.getMessage());
            }
        }
        if (args.value("-keylogfile") != null) {
            b.keyLog(KeyLog.toFile(Path.of(args.value("-keylogfile"))));
        }
        protocols(args, b);
        if (args.value("-ciphersuites") != null) {
            List<Tls13CipherSuite> suites = new java.util.ArrayList<>();
            for (String name : args.value("-ciphersuites").split("[:,]")) {
                if (!name.isBlank()) {
                    try {
                        suites.add(Tls13CipherSuite.byName(name.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new Args.UsageException("-ciphersuites: " + e.getMessage());
                    }
                }
            }
            b.tls13CipherSuites(suites);
        }
        if (args.value("-cipher") != null) {
            try {
                b.cipherSuites(args.value("-cipher"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        if (args.value("-mtu") != null) {
            // OpenSSL's -mtu is the link MTU (DTLS_set_link_mtu); the engine's PMTU is the datagram.
            int link = args.intValue("-mtu", 0);
            int headers = ipv6 ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS;
            if (link - headers < DtlsConfig.MIN_PMTU || link - headers > DtlsConfig.MAX_PMTU) {
                throw new Args.UsageException("-mtu " + link + " is out of range: the link MTU must be from "
                        + (DtlsConfig.MIN_PMTU + headers) + " to " + (DtlsConfig.MAX_PMTU + headers) + " (a datagram of "
                        + DtlsConfig.MIN_PMTU + " to " + DtlsConfig.MAX_PMTU + " bytes after the " + headers
                        + " bytes of " + (ipv6 ? "IPv6" : "IPv4") + " and UDP headers)");
            }
            b.pmtu(link - headers);
        }
        b.initialRetransmitMillis(args.intValue("-timeout-ms", (int) DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS));
        b.handshakeTimeoutMillis(args.intValue("-handshake-timeout-ms", (int) DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS));
        return b;
    }

    /**
     * {@code -dtls1_2}, {@code -dtls1_3}, {@code -min_protocol}, {@code -max_protocol} as OpenSSL
     * 4.1 spells them; none of them keeps the library's default versions.
     */
    private static void protocols(Args args, DtlsConfig.Builder b) {
        boolean only12 = args.flag("-dtls1_2");
        boolean only13 = args.flag("-dtls1_3");
        String min = args.value("-min_protocol");
        String max = args.value("-max_protocol");
        if (only12 && only13) {
            throw new Args.UsageException("-dtls1_2 and -dtls1_3 exclude each other; use -min_protocol DTLSv1.2 "
                    + "-max_protocol DTLSv1.3 for both");
        }
        if ((only12 || only13) && (min != null || max != null)) {
            throw new Args.UsageException("-dtls1_2/-dtls1_3 pin one version; leave out -min_protocol and -max_protocol");
        }
        if (only12) {
            b.protocols(ProtocolVersion.DTLS_1_2);
        } else if (only13) {
            b.protocols(ProtocolVersion.DTLS_1_3);
        } else if (min != null || max != null) {
            int low = min == null ? ProtocolVersion.DTLS_1_2 : version("-min_protocol", min);
            int high = max == null ? ProtocolVersion.DTLS_1_3 : version("-max_protocol", max);
            // DTLS versions count down: 1.3 (0xfefc) is below 1.2 (0xfefd).
            if (high > low) {
                throw new Args.UsageException("-max_protocol " + max + " is below -min_protocol " + min);
            }
            b.protocols(low == high ? new int[] {low} : new int[] {ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2});
        }
    }

    private static int version(String option, String value) {
        return switch (value) {
            case "DTLSv1.2" -> ProtocolVersion.DTLS_1_2;
            case "DTLSv1.3" -> ProtocolVersion.DTLS_1_3;
            default -> throw new Args.UsageException(option + " takes DTLSv1.2 or DTLSv1.3, not " + value);
        };
    }

    /**
     * {@code -msg}: one line per record and handshake message on {@code out}, like
     * {@code openssl s_client -msg} (see {@link MessageTraceFormat}).
     */
    static void messageTrace(Args args, DtlsConfig.Builder b, PrintStream out) {
        if (args.flag("-msg")) {
            b.messageTrace(event -> {
                out.println(MessageTraceFormat.line(event));
                out.flush();
            });
        }
    }

    /** Reads one file named by an option; a missing or unreadable file is one line naming both. */
    interface FileReader<T> {
        T read(Path file) throws IOException;
    }

    /**
     * @param what what the file holds, for the message: "cannot read certificate file x.pem: no such file"
     * @throws IOException naming the file and the reason; the readers' own messages (not PEM, no key
     *     in it) already name the file
     */
    static <T> T readFile(String what, String file, FileReader<T> reader) throws IOException {
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
            throw new IOException("cannot read " + what + " file " + file + ": it is a directory");
        }
        try {
            return reader.read(path);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read " + what + " file " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + what + " file " + file + ": permission denied", e);
        } catch (FileSystemException e) {
            throw new IOException("cannot read " + what + " file " + file + ": "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()), e);
        }
    }

    /** A UDP port number; {@code lowest} is 0 where "any free port" makes sense (-port), else 1. */
    static int port(String option, String value, int lowest) {
        try {
            int port = Integer.parseInt(value);
            if (port >= lowest && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new Args.UsageException(option + " takes a port number from " + lowest + " to 65535, got '" + value + "'");
    }

    static boolean hasVerifier(Args args) {
        return args.value("-CAfile") != null || args.value("-fingerprint") != null || args.flag("-insecure")
                || args.value("-psk") != null;
    }

    /** After a handshake: what the extensions agreed, and exported keying material if asked (like s_client). */
    static void printNegotiated(PrintStream out, Args args, DtlsSession session) {
        if (session.srtpProfile() != null) {
            out.println("SRTP Extension negotiated, profile=" + session.srtpProfile().name());
        }
        if (session.connectionIdNegotiated()) {
            out.println("Connection ID: ours " + hexOrNone(session.connectionId()) + ", peer's "
                    + hexOrNone(session.peerConnectionId()));
        }
        if (session.returnRoutabilityCheck()) {
            out.println("Return routability check (RFC 9853): negotiated");
        }
        if (session.applicationProtocol() != null) {
            out.println("ALPN protocol: " + session.applicationProtocol());
        }
        String label = args.value("-keymatexport");
        if (label != null) {
            int length = args.intValue("-keymatexportlen", 20);
            out.println("Keying material exporter:");
            out.println("    Label: '" + label + "'");
            out.println("    Length: " + length + " bytes");
            out.println("    Keying material: " + Hex.encode(session.exportKeyingMaterial(label, null, length)).toUpperCase(java.util.Locale.ROOT));
        }
        out.flush();
    }

    private static String hexOrNone(byte[] id) {
        return id == null || id.length == 0 ? "(empty)" : Hex.encode(id);
    }

    static void printFingerprint(PrintStream out, String who, CertifiedKey key) {
        out.println(who + " certificate SHA-256 fingerprint: " + Fingerprint.format(Fingerprint.sha256(key.leaf())));
    }
}
