package org.dtlsip.dtls.record;

/**
 * DTLS version numbers are the one's complement of the TLS ones (RFC 6347 4.1): DTLS 1.0 is
 * {254, 255} and DTLS 1.2 is {254, 253}, so a larger wire value is an older version. DTLS 1.3
 * (0xfefc) appears only in supported_versions: its records and hellos say DTLS 1.2
 * (RFC 9147 5.3).
 */
public final class ProtocolVersion {
    public static final int DTLS_1_0 = 0xfeff;
    public static final int DTLS_1_2 = 0xfefd;
    public static final int DTLS_1_3 = 0xfefc;

    private ProtocolVersion() {
    }

    public static String name(int version) {
        return switch (version) {
            case DTLS_1_0 -> "DTLSv1";
            case DTLS_1_2 -> "DTLSv1.2";
            case DTLS_1_3 -> "DTLSv1.3";
            default -> String.format("0x%04x", version);
        };
    }

    /**
     * The version named as OpenSSL 4.1 spells it ({@code DTLSv1.2}, {@code DTLSv1.3}), the only
     * two a configuration may speak.
     *
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static int parse(String name) {
        return switch (name.trim()) {
            case "DTLSv1.2" -> DTLS_1_2;
            case "DTLSv1.3" -> DTLS_1_3;
            default -> throw new IllegalArgumentException("unknown protocol version \"" + name.trim()
                    + "\"; use DTLSv1.2 or DTLSv1.3");
        };
    }
}
