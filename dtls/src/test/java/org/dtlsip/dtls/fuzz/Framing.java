package org.dtlsip.dtls.fuzz;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.util.ByteWriter;

/** A fuzz input as a sequence of datagrams: each a 2-byte big-endian length and that many bytes. */
final class Framing {
    private Framing() {
    }

    static List<byte[]> split(byte[] input) {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        while (i + 2 <= input.length) {
            int len = Math.min(((input[i] & 0xff) << 8) | (input[i + 1] & 0xff), input.length - i - 2);
            out.add(java.util.Arrays.copyOfRange(input, i + 2, i + 2 + len));
            i += 2 + len;
        }
        return out;
    }

    static byte[] join(List<byte[]> datagrams) {
        ByteWriter w = new ByteWriter();
        for (byte[] d : datagrams) {
            w.u16(d.length).bytes(d);
        }
        return w.toByteArray();
    }
}
