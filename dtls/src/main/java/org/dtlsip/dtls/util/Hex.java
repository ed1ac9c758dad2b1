package org.dtlsip.dtls.util;

/** Hex encoding for logs, fingerprints and CLI arguments. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String encode(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = DIGITS[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = DIGITS[b[i] & 0xf];
        }
        return new String(out);
    }

    /** Decodes hex, ignoring ':' separators and case (the form fingerprints are printed in). */
    public static byte[] decode(String s) {
        String clean = s.replace(":", "").trim();
        if (clean.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + s);
        }
        byte[] out = new byte[clean.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(clean.charAt(2 * i), 16);
            int lo = Character.digit(clean.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex string: " + s);
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Upper-case colon-separated form, as {@code openssl x509 -fingerprint} prints it. */
    public static String colonSeparated(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 3);
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(DIGITS[(b[i] >> 4) & 0xf]));
            sb.append(Character.toUpperCase(DIGITS[b[i] & 0xf]));
        }
        return sb.toString();
    }
}
