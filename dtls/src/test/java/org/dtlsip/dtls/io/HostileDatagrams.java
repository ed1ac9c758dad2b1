package org.dtlsip.dtls.io;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile datagrams for the loopback tests: DTLS 1.2 record headers with any epoch
 * (0..65535), sequence number (0..2^48-1, the last two included), content type, version and
 * declared length, one to three records a datagram; bodies random or shaped like an alert, a
 * ChangeCipherSpec or a handshake fragment; tls12_cid records carrying the victim's real
 * connection ID (it travels in the clear in the hellos); raw noise; and replays, exact or
 * altered, of datagrams the victim really received. For a server's front door also ClientHello
 * fragments with hostile lengths and offsets ({@link #clientHelloFragment()}) and genuine
 * datagrams renumbered, flipped or cut short ({@link #mutate}, {@link #withSequenceNumber}).
 */
final class HostileDatagrams {
    static final long MAX_SEQUENCE_NUMBER = (1L << 48) - 1;
    /** Offset of the 48-bit sequence number in a DTLS 1.2 record header (RFC 6347 4.1). */
    static final int SEQUENCE_OFFSET = 5;
    private static final int[] CONTENT_TYPES = {20, 21, 22, 23, 24, 25};
    private static final int[] EPOCHS = {0, 1, 2, 65_535};
    private static final long[] SEQUENCE_NUMBERS = {0, 1, MAX_SEQUENCE_NUMBER - 1, MAX_SEQUENCE_NUMBER};

    private final Random random;

    HostileDatagrams(Random random) {
        this.random = random;
    }

    /**
     * One datagram. {@code connectionId} is the victim's receive ID (empty for none);
     * {@code captured} holds datagrams the victim really received (may be empty).
     */
    byte[] next(byte[] connectionId, List<byte[]> captured) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return bytes(random.nextInt(4) == 0 ? random.nextInt(13) : random.nextInt(600)); // noise, short headers
        }
        if (kind <= 2 && !captured.isEmpty()) {
            byte[] real = captured.get(random.nextInt(captured.size())).clone();
            if (kind == 2) {
                alter(real);
            }
            return real; // kind 1: an exact replay
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int records = 1 + random.nextInt(3);
        for (int i = 0; i < records; i++) {
            boolean cid = connectionId.length > 0 && random.nextInt(3) == 0;
            record(out, cid ? connectionId : null);
        }
        return out.toByteArray();
    }

    private void record(ByteArrayOutputStream out, byte[] connectionId) {
        int type = connectionId != null ? 25
                : random.nextInt(5) == 0 ? random.nextInt(256) : CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        int version = random.nextInt(8) == 0 ? random.nextInt(0x10000) : random.nextInt(8) == 0 ? 0xfeff : 0xfefd;
        int epoch = random.nextBoolean() ? EPOCHS[random.nextInt(EPOCHS.length)] : random.nextInt(0x10000);
        long seq = random.nextBoolean() ? SEQUENCE_NUMBERS[random.nextInt(SEQUENCE_NUMBERS.length)]
                : random.nextLong() & MAX_SEQUENCE_NUMBER;
        byte[] body = body(type);
        int declared = random.nextInt(6) == 0 ? random.nextInt(0x10000) : body.length;
        out.write(type);
        out.write(version >> 8);
        out.write(version);
        out.write(epoch >> 8);
        out.write(epoch);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.write((int) (seq >>> shift));
        }
        if (connectionId != null) {
            out.writeBytes(connectionId);
        }
        out.write(declared >> 8);
        out.write(declared);
        out.writeBytes(body);
    }

    private byte[] body(int type) {
        switch (random.nextInt(4) == 0 ? -1 : type) {
            case 20: // ChangeCipherSpec: {1}, or any other body
                return random.nextBoolean() ? new byte[] {1} : bytes(random.nextInt(4));
            case 21: // alert: any level (fatal, warning, nonsense) and description, close_notify often
                return random.nextBoolean() ? new byte[] {(byte) (1 + random.nextInt(2)), random.nextBoolean() ? 0 : (byte) random.nextInt(256)}
                        : bytes(random.nextInt(4));
            case 22: { // a handshake fragment header, plausible or not, then bytes
                byte[] b = bytes(12 + random.nextInt(80));
                b[0] = (byte) random.nextInt(25);
                if (random.nextBoolean()) {
                    int len = b.length - 12;
                    b[1] = 0;
                    b[2] = (byte) (len >> 8);
                    b[3] = (byte) len;
                    b[6] = b[7] = b[8] = 0;
                    b[9] = b[1];
                    b[10] = b[2];
                    b[11] = b[3];
                }
                return b;
            }
            default:
                return bytes(random.nextInt(random.nextInt(8) == 0 ? 1_500 : 120));
        }
    }

    /** A real datagram, changed: a flipped bit, or the header's epoch or sequence number moved. */
    private void alter(byte[] d) {
        if (d.length == 0) {
            return;
        }
        switch (random.nextInt(3)) {
            case 0 -> d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> {
                if (d.length > 4) {
                    d[3] = (byte) random.nextInt(256);
                    d[4] = (byte) random.nextInt(256);
                }
            }
            default -> {
                if (d.length > 10) {
                    d[5 + random.nextInt(6)] = (byte) random.nextInt(256);
                }
            }
        }
    }

    /**
     * A handshake record holding a ClientHello fragment whose message length, message_seq,
     * fragment_offset and fragment_length are hostile (0, the top, one past the end, random).
     */
    byte[] clientHelloFragment() {
        int length = pick(0, 1, 0xffffff, random.nextInt(0x1000000), random.nextInt(300));
        int offset = pick(0, length, length + 1, 0xffffff, random.nextInt(0x1000000)) & 0xffffff;
        byte[] fragment = bytes(random.nextInt(200));
        int fragmentLength = pick(fragment.length, 0, 0xffffff, length, random.nextInt(0x1000000));
        int messageSeq = pick(0, 1, 2, 65_535, random.nextInt(65_536));
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(1); // client_hello
        u24(h, length);
        h.write(messageSeq >> 8);
        h.write(messageSeq);
        u24(h, offset);
        u24(h, fragmentLength);
        h.writeBytes(fragment);
        byte[] body = h.toByteArray();
        int epoch = random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0;
        long seq = random.nextBoolean() ? SEQUENCE_NUMBERS[random.nextInt(SEQUENCE_NUMBERS.length)]
                : random.nextLong() & MAX_SEQUENCE_NUMBER;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(22);
        out.write(0xfe);
        out.write(0xfd);
        out.write(epoch >> 8);
        out.write(epoch);
        for (int shift = 40; shift >= 0; shift -= 8) {
            out.write((int) (seq >>> shift));
        }
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** {@code genuine} with its first record's sequence number set to {@code seq} (e.g. 2^48-2). */
    static byte[] withSequenceNumber(byte[] genuine, long seq) {
        byte[] d = genuine.clone();
        for (int i = 0; i < 6; i++) {
            d[SEQUENCE_OFFSET + i] = (byte) (seq >>> (8 * (5 - i)));
        }
        return d;
    }

    /** {@code genuine} altered ({@link #alter}), cut short, or renumbered to 2^48-1 or 2^48-2. */
    byte[] mutate(byte[] genuine) {
        byte[] d = genuine.clone();
        switch (random.nextInt(3)) {
            case 0 -> alter(d);
            case 1 -> d = java.util.Arrays.copyOf(d, random.nextInt(d.length + 1));
            default -> {
                if (d.length >= SEQUENCE_OFFSET + 6) {
                    d = withSequenceNumber(d, MAX_SEQUENCE_NUMBER - random.nextInt(2));
                }
            }
        }
        return d;
    }

    /**
     * One datagram of DTLS 1.3 DTLSCiphertext records (RFC 9147 4): first byte 001CSLEE with
     * every combination of the C, S and L bits and epoch bits; a connection ID of any length
     * up to 4 (the victim's, or a guess); an 8- or 16-bit sequence number that reconstructs to
     * anything; a length field that is right, short, long or absent; random ciphertext, so
     * that record number decryption and the AEAD see garbage and, with the S bit clear near a
     * wrap, sequence numbers far from the expected one.
     */
    byte[] unifiedHeaderRecords(byte[] connectionId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int records = 1 + random.nextInt(3);
        for (int i = 0; i < records; i++) {
            boolean c = random.nextInt(3) == 0;
            boolean sixteen = random.nextBoolean();
            boolean withLength = random.nextInt(4) != 0;
            out.write(0x20 | (c ? 0x10 : 0) | (sixteen ? 0x08 : 0) | (withLength ? 0x04 : 0) | random.nextInt(4));
            if (c) {
                byte[] cid = connectionId.length > 0 && random.nextBoolean() ? connectionId : bytes(random.nextInt(5));
                out.writeBytes(cid);
            }
            out.writeBytes(bytes(sixteen ? 2 : 1));
            int body = random.nextInt(4) == 0 ? random.nextInt(17) : 17 + random.nextInt(300);
            if (withLength) {
                int declared = switch (random.nextInt(4)) {
                    case 0 -> body + 1 + random.nextInt(100);
                    case 1 -> Math.max(0, body - 1 - random.nextInt(16));
                    case 2 -> random.nextInt(0x10000);
                    default -> body;
                };
                out.write(declared >> 8);
                out.write(declared);
            }
            out.writeBytes(bytes(body));
        }
        return out.toByteArray();
    }

    private int pick(int... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write(v >> 16);
        out.write(v >> 8);
        out.write(v);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
