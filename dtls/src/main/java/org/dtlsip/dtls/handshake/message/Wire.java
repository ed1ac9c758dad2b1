package org.dtlsip.dtls.handshake.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;
import org.dtlsip.dtls.util.Hex;

/** Vector shapes shared by several message codecs, and value-object plumbing for byte arrays. */
final class Wire {
    static final int MAX_UINT8 = 0xff;
    static final int MAX_UINT16 = 0xffff;
    static final int MAX_UINT24 = 0xff_ffff;

    private Wire() {
    }

    /** Reads a non-empty {@code uint16 list<2..2^16-2>} (cipher suites, signature algorithms). */
    static List<Integer> readU16List(ByteReader r, String what) {
        int len = r.u16();
        if (len == 0 || len % 2 != 0) {
            throw new DecodeException(what + ": bad list length " + len);
        }
        ByteReader v = r.slice(len);
        List<Integer> out = new ArrayList<>(len / 2);
        while (v.hasRemaining()) {
            out.add(v.u16());
        }
        return List.copyOf(out);
    }

    /** Reads a non-empty {@code uint8 list<1..2^8-1>} (compression methods, certificate types). */
    static List<Integer> readU8List(ByteReader r, String what) {
        int len = r.u8();
        if (len == 0) {
            throw new DecodeException(what + ": empty list");
        }
        ByteReader v = r.slice(len);
        List<Integer> out = new ArrayList<>(len);
        while (v.hasRemaining()) {
            out.add(v.u8());
        }
        return List.copyOf(out);
    }

    static void writeU16List(ByteWriter w, List<Integer> codes) {
        int token = w.startVector(2);
        for (int c : codes) {
            w.u16(c);
        }
        w.endVector(token);
    }

    static void writeU8List(ByteWriter w, List<Integer> codes) {
        int token = w.startVector(1);
        for (int c : codes) {
            w.u8(c);
        }
        w.endVector(token);
    }

    /** Reads an opaque8 whose length must be within [min, max]. */
    static byte[] readOpaque8(ByteReader r, int min, int max, String what) {
        int len = r.u8();
        if (len < min || len > max) {
            throw new DecodeException(what + ": length " + len + " outside " + min + ".." + max);
        }
        return r.bytes(len);
    }

    /** An immutable copy of a code list about to be sent; non-empty, each code within max. */
    static List<Integer> checkCodes(List<Integer> codes, int maxCode, int maxCount, String what) {
        List<Integer> copy = List.copyOf(codes);
        if (copy.isEmpty() || copy.size() > maxCount) {
            throw new IllegalArgumentException(what + ": need 1.." + maxCount + " entries, got " + copy.size());
        }
        for (int c : copy) {
            if (c < 0 || c > maxCode) {
                throw new IllegalArgumentException(what + ": code out of range: " + c);
            }
        }
        return copy;
    }

    static int checkRange(int v, int min, int max, String what) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " out of range: " + v);
        }
        return v;
    }

    /** A copy of {@code b} after checking its length is within [min, max]. */
    static byte[] checkOpaque(byte[] b, int min, int max, String what) {
        if (b.length < min || b.length > max) {
            throw new IllegalArgumentException(what + ": length " + b.length + " outside " + min + ".." + max);
        }
        return b.clone();
    }

    /** A deep immutable copy of a list of byte strings, each checked against [min, max]. */
    static List<byte[]> copyAll(List<byte[]> items, int min, int max, String what) {
        List<byte[]> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(checkOpaque(b, min, max, what));
        }
        return List.copyOf(out);
    }

    /** A deep copy for an accessor, so callers cannot reach the stored arrays. */
    static List<byte[]> copyAll(List<byte[]> items) {
        List<byte[]> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(b.clone());
        }
        return out;
    }

    /** Flattens components for deep equality; lists of arrays become arrays of arrays. */
    static Object[] parts(Object... parts) {
        Object[] out = parts.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof List<?> l) {
                out[i] = l.toArray();
            }
        }
        return out;
    }

    static boolean deepEquals(Object[] a, Object[] b) {
        return Arrays.deepEquals(a, b);
    }

    static int deepHash(Object[] parts) {
        return Arrays.deepHashCode(parts);
    }

    /** Renders {@code name[k=v, ...]} with byte arrays as short hex, for logs. */
    static String describe(String name, Object... keyValues) {
        StringBuilder sb = new StringBuilder(name).append('[');
        for (int i = 0; i < keyValues.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(keyValues[i]).append('=');
            Object v = keyValues[i + 1];
            if (v instanceof byte[] b) {
                sb.append(b.length <= 32 ? Hex.encode(b) : b.length + " bytes");
            } else {
                sb.append(v);
            }
        }
        return sb.append(']').toString();
    }
}
