package org.dtlsip.dtls.handshake.message;

import java.util.Arrays;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The downgrade protection of RFC 8446 4.1.3, which RFC 9147 5.3 applies to DTLS: a server able
 * to speak DTLS 1.3 that negotiates DTLS 1.2 ends its ServerHello.random with
 * {@code 44 4F 57 4E 47 52 44 01} ("DOWNGRD" 01), or with {@code ... 00} for DTLS 1.0. A
 * DTLS 1.3 client that negotiated an older version and finds the sentinel aborts with
 * illegal_parameter: an attacker removed DTLS 1.3 from its hello. The signatures over the
 * randoms (ServerKeyExchange) protect the sentinel itself.
 */
public enum DowngradeSentinel {
    /** Negotiated DTLS 1.2 although 1.3 was possible. */
    DTLS_1_2(new byte[] {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01}),
    /** Negotiated DTLS 1.0 although 1.3 was possible. */
    DTLS_1_0(new byte[] {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00});

    public static final int LENGTH = 8;
    private final byte[] bytes;

    DowngradeSentinel(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The sentinel a DTLS 1.3-capable server writes for the version it negotiated, or null for 1.3. */
    public static DowngradeSentinel forNegotiated(int version) {
        return switch (version) {
            case ProtocolVersion.DTLS_1_3 -> null;
            case ProtocolVersion.DTLS_1_2 -> DTLS_1_2;
            default -> DTLS_1_0;
        };
    }

    /** Overwrites the last 8 bytes of a 32-byte ServerHello.random. */
    public void writeInto(byte[] serverRandom) {
        System.arraycopy(bytes, 0, serverRandom, serverRandom.length - LENGTH, LENGTH);
    }

    /** The sentinel at the end of {@code serverRandom}, or {@code null}. */
    public static DowngradeSentinel find(byte[] serverRandom) {
        for (DowngradeSentinel s : values()) {
            if (Arrays.equals(serverRandom, serverRandom.length - LENGTH, serverRandom.length, s.bytes, 0, LENGTH)) {
                return s;
            }
        }
        return null;
    }
}
