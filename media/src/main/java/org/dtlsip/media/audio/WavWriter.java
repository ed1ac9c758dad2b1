package org.dtlsip.media.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit mono PCM to a RIFF/WAVE file (the canonical 44-byte header: RIFF, fmt with
 * format 1, data). The sizes in the header are written at {@link #close()}, when they are known.
 * Not thread-safe.
 */
public final class WavWriter implements AutoCloseable {
    static final int HEADER_LENGTH = 44;
    /** A WAVE file's sizes are 32-bit: stop writing before the data chunk overflows. */
    public static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - HEADER_LENGTH;

    private final FileChannel file;
    private final int sampleRate;
    private long dataBytes;
    private boolean closed;

    private WavWriter(FileChannel file, int sampleRate) {
        this.file = file;
        this.sampleRate = sampleRate;
    }

    /** Creates (or replaces) {@code path}. */
    public static WavWriter create(Path path, int sampleRate) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        WavWriter w = new WavWriter(ch, sampleRate);
        try {
            w.writeHeader();
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return w;
    }

    public void write(short[] samples, int length) throws IOException {
        if (dataBytes + 2L * length > MAX_DATA_BYTES) {
            throw new IOException("WAV file full (4 GiB): RIFF sizes are 32-bit");
        }
        ByteBuffer b = ByteBuffer.allocate(2 * length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            b.putShort(samples[i]);
        }
        b.flip();
        while (b.hasRemaining()) {
            file.write(b);
        }
        dataBytes += 2L * length;
    }

    public void write(short[] samples) throws IOException {
        write(samples, samples.length);
    }

    /** Seconds of audio written so far. */
    public double seconds() {
        return dataBytes / 2.0 / sampleRate;
    }

    private void writeHeader() throws IOException {
        ByteBuffer h = header(sampleRate, dataBytes);
        file.position(0);
        while (h.hasRemaining()) {
            file.write(h);
        }
        file.position(HEADER_LENGTH + dataBytes);
    }

    /** The 44-byte header for {@code dataBytes} of 16-bit mono samples. */
    static ByteBuffer header(int sampleRate, long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
        return h.flip();
    }

    /** Writes the final sizes and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (file) {
            writeHeader();
        }
    }

    /** The same header and samples to a stream, for a caller that has the whole recording. */
    public static void write(OutputStream out, short[] samples, int sampleRate) throws IOException {
        ByteBuffer h = header(sampleRate, 2L * samples.length);
        out.write(h.array());
        ByteBuffer b = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        out.write(b.array());
    }
}
