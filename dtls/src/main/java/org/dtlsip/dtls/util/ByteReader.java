package org.dtlsip.dtls.util;

import java.util.Arrays;

/**
 * Bounds-checked big-endian reader over a slice of a byte array. Every read that would pass
 * the end of the slice throws {@link DecodeException}, so codecs never index out of range.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("slice out of range");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    public int position() {
        return pos;
    }

    /** The underlying array; with {@link #position()} lets callers slice without copying. */
    public byte[] array() {
        return buf;
    }

    private void need(int n) {
        if (n < 0 || end - pos < n) {
            throw new DecodeException("truncated: need " + n + " bytes, have " + (end - pos));
        }
    }

    public int u8() {
        need(1);
        return buf[pos++] & 0xff;
    }

    public int u16() {
        need(2);
        int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int u24() {
        need(3);
        int v = ((buf[pos] & 0xff) << 16) | ((buf[pos + 1] & 0xff) << 8) | (buf[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    public long u48() {
        need(6);
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        pos += 6;
        return v;
    }

    public byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }

    /** An opaque vector with a 1-byte length prefix ({@code opaque x<0..2^8-1>}). */
    public byte[] vector8() {
        return bytes(u8());
    }

    /** An opaque vector with a 2-byte length prefix. */
    public byte[] vector16() {
        return bytes(u16());
    }

    /** An opaque vector with a 3-byte length prefix. */
    public byte[] vector24() {
        return bytes(u24());
    }

    /** A sub-reader over the next {@code n} bytes, which this reader skips. */
    public ByteReader slice(int n) {
        need(n);
        ByteReader r = new ByteReader(buf, pos, n);
        pos += n;
        return r;
    }

    /** Throws unless every byte was consumed: trailing garbage is a decode error. */
    public void expectEnd(String what) {
        if (pos != end) {
            throw new DecodeException(what + ": " + (end - pos) + " trailing bytes");
        }
    }
}
