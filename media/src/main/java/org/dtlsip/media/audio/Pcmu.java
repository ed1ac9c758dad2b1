package org.dtlsip.media.audio;

/**
 * G.711 µ-law (PCMU, RTP payload type 0 at 8000 Hz, RFC 3551 4.5.14): 16-bit linear samples
 * to 8-bit codes and back. The encoder adds the bias 0x84 (132), finds the segment (exponent)
 * from the highest set bit, keeps four mantissa bits and inverts all bits of the code.
 */
public final class Pcmu {
    /** RFC 3551 table 4. */
    public static final int PAYLOAD_TYPE = 0;
    public static final int CLOCK_RATE = 8000;
    private static final int BIAS = 0x84;
    /** Largest magnitude that still fits the top segment once biased. */
    private static final int CLIP = 32635;

    private Pcmu() {
    }

    public static byte encode(short sample) {
        int s = sample;
        int sign = s < 0 ? 0x80 : 0;
        int magnitude = Math.min(Math.abs(s), CLIP) + BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (magnitude >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    public static short decode(byte code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = ((mantissa << 3) + BIAS) << exponent;
        return (short) ((u & 0x80) != 0 ? BIAS - magnitude : magnitude - BIAS);
    }

    public static byte[] encode(short[] samples) {
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = encode(samples[i]);
        }
        return out;
    }

    public static short[] decode(byte[] codes) {
        short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = decode(codes[i]);
        }
        return out;
    }
}
