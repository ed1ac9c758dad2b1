package org.dtlsip.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** G.711 µ-law, the tone generator, the tone analysis and the WAV writer. */
class AudioTest {
    @Test
    void pcmuKnownCodesAndBoundedError() {
        assertEquals((byte) 0xFF, Pcmu.encode((short) 0), "silence is 0xFF");
        assertEquals(0, Pcmu.decode((byte) 0xFF));
        assertEquals((byte) 0x80, Pcmu.encode(Short.MAX_VALUE), "positive full scale");
        assertEquals((byte) 0x00, Pcmu.encode(Short.MIN_VALUE), "negative full scale");
        assertEquals(32124, Pcmu.decode((byte) 0x80));
        assertEquals(-32124, Pcmu.decode((byte) 0x00));
        for (int s = -32768; s <= 32767; s += 7) {
            int back = Pcmu.decode(Pcmu.encode((short) s));
            // Segment width doubles per exponent: the error stays within 1/16 of the magnitude (plus the smallest step).
            assertTrue(Math.abs(back - Math.max(-32124, Math.min(32124, s))) <= Math.abs(s) / 16 + 8, s + " -> " + back);
        }
        for (int c = 0; c < 256; c++) {
            assertEquals((byte) c == (byte) 0x7F ? (byte) 0xFF : (byte) c, Pcmu.encode(Pcmu.decode((byte) c)), "code " + c);
        }
    }

    @Test
    void toneSurvivesPcmuAndIsFoundAtItsFrequencyOnly() {
        ToneGenerator g = new ToneGenerator(440, 0.5, 8000);
        short[] pcm = new short[8000];
        for (int i = 0; i < 50; i++) {
            System.arraycopy(g.next(160), 0, pcm, i * 160, 160);
        }
        short[] decoded = Pcmu.decode(Pcmu.encode(pcm));
        ToneAnalysis at440 = ToneAnalysis.of(decoded, 440, 8000);
        ToneAnalysis at1000 = ToneAnalysis.of(decoded, 1000, 8000);
        assertEquals(0.5 * 32767 / Math.sqrt(2), at440.rms(), 300);
        assertTrue(at440.toneShare() > 0.95, "share at 440 Hz " + at440.toneShare());
        assertTrue(at1000.toneShare() < 0.01, "share at 1000 Hz " + at1000.toneShare());
        assertEquals(0, ToneAnalysis.of(new short[800], 440, 8000).toneShare());
    }

    @Test
    void wavHeaderAndSamples(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("a.wav");
        short[] samples = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE};
        try (WavWriter w = WavWriter.create(f, 8000)) {
            w.write(samples, 3);
            w.write(Arrays.copyOfRange(samples, 3, 5));
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44 + 10, b.limit());
        byte[] riff = new byte[4];
        b.get(riff);
        assertArrayEquals("RIFF".getBytes(), riff);
        assertEquals(36 + 10, b.getInt());
        assertEquals(1, b.getShort(20), "PCM");
        assertEquals(1, b.getShort(22), "mono");
        assertEquals(8000, b.getInt(24));
        assertEquals(16000, b.getInt(28), "byte rate");
        assertEquals(16, b.getShort(34), "bits per sample");
        assertEquals(10, b.getInt(40), "data size");
        for (int i = 0; i < samples.length; i++) {
            assertEquals(samples[i], b.getShort(44 + 2 * i));
        }
    }
}
