package org.dtlsip.dtls.util;

import java.util.Arrays;

/** Growable big-endian writer with length-prefixed vectors filled in after their contents. */
public final class ByteWriter {
    private byte[] buf;
    private int pos;

    public ByteWriter() {
        this(256);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    public int size() {
        return pos;
    }

    public ByteWriter u8(int v) {
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteWriter u16(int v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteWriter u24(int v) {
        ensure(3);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    public ByteWriter u48(long v) {
        ensure(6);
        for (int i = 5; i >= 0; i--) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public ByteWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public ByteWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    public ByteWriter vector8(byte[] b) {
        checkLength(b.length, 0xff);
        return u8(b.length).bytes(b);
    }

    public ByteWriter vector16(byte[] b) {
        checkLength(b.length, 0xffff);
        return u16(b.length).bytes(b);
    }

    public ByteWriter vector24(byte[] b) {
        checkLength(b.length, 0xffffff);
        return u24(b.length).bytes(b);
    }

    /** Reserves a {@code width}-byte length prefix; pass the result to {@link #endVector}. */
    public int startVector(int width) {
        ensure(width);
        int mark = pos;
        pos += width;
        return mark | (width << 28);
    }

    public void endVector(int token) {
        int width = token >>> 28;
        int mark = token & 0x0fffffff;
        int len = pos - mark - width;
        checkLength(len, width == 1 ? 0xff : width == 2 ? 0xffff : 0xffffff);
        for (int i = 0; i < width; i++) {
            buf[mark + i] = (byte) (len >>> (8 * (width - 1 - i)));
        }
    }

    private static void checkLength(int len, int max) {
        if (len > max) {
            throw new IllegalArgumentException("vector of " + len + " bytes exceeds " + max);
        }
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }
}
