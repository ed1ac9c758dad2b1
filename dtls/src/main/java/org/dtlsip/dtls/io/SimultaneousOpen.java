package org.dtlsip.dtls.io;

import java.util.Arrays;

/**
 * Two peers that each open a client-role association to the other at the same moment send
 * ClientHellos that cross. DTLS has no rule for it (RFC 6347 4.2.8 only covers a new handshake
 * replacing an established one), and a ClientHello at a handshaking client is otherwise an
 * unexpected message, fatal on both sides. Both sides see the same two ClientHello randoms,
 * ours and the peer's, so a comparison of them is a tie-break both reach without talking: the
 * side whose own random is the smaller (unsigned, byte by byte) yields. It abandons its client
 * handshake and answers the peer's ClientHello as a server, once the peer has returned a
 * cookie (RFC 6347 4.2.1), which a spoofed ClientHello cannot; the other side ignores the
 * peer's ClientHello and completes its own handshake as the client. The random of a DTLS 1.2
 * ClientHello stays the same when it is resent with a cookie (RFC 6347 4.2.1), so the decision
 * does not change between the two. docs/SECURITY.md says why this is safe.
 */
final class SimultaneousOpen {
    /** Record header (RFC 6347 4.1) plus handshake header (4.2.2) plus client_version. */
    private static final int RANDOM_OFFSET = 13 + 12 + 2;
    private static final int RANDOM_LENGTH = 32;

    private SimultaneousOpen() {
    }

    /**
     * The random of the ClientHello that starts {@code datagram} (an epoch-0 handshake record
     * holding the first fragment of a ClientHello), or {@code null} if it holds none.
     */
    static byte[] clientHelloRandom(byte[] datagram, int length) {
        if (length < RANDOM_OFFSET + RANDOM_LENGTH || datagram[0] != 22 || datagram[3] != 0 || datagram[4] != 0
                || datagram[13] != 1) {
            return null;
        }
        int recordLength = u16(datagram, 11);
        int fragmentOffset = u24(datagram, 19);
        int fragmentLength = u24(datagram, 22);
        if (fragmentOffset != 0 || fragmentLength < 2 + RANDOM_LENGTH || recordLength < 12 + 2 + RANDOM_LENGTH) {
            return null;
        }
        return Arrays.copyOfRange(datagram, RANDOM_OFFSET, RANDOM_OFFSET + RANDOM_LENGTH);
    }

    /**
     * Whether the side that sent {@code ours} yields to the side that sent {@code theirs}:
     * when ours is the smaller. Equal randoms (a reflected ClientHello of our own, or a 2^-256
     * coincidence) never yield.
     */
    static boolean yields(byte[] ours, byte[] theirs) {
        return ours != null && theirs != null && Arrays.compareUnsigned(ours, theirs) < 0;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    private static int u24(byte[] b, int i) {
        return (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
    }
}
