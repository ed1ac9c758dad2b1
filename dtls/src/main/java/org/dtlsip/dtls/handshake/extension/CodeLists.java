package org.dtlsip.dtls.handshake.extension;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/** Non-empty vectors of uint8 or uint16 code points, the shape of most list extensions. */
final class CodeLists {

    private CodeLists() {
    }

    /** Reads {@code T list<W..2^(8*lengthWidth)-1>} of {@code elementWidth}-byte codes, non-empty. */
    static List<Integer> read(ByteReader r, int lengthWidth, int elementWidth, String what) {
        int len = lengthWidth == 1 ? r.u8() : r.u16();
        if (len == 0) {
            throw new DecodeException(what + ": empty list");
        }
        if (len % elementWidth != 0) {
            throw new DecodeException(what + ": length " + len + " not a multiple of " + elementWidth);
        }
        ByteReader v = r.slice(len);
        List<Integer> out = new ArrayList<>(len / elementWidth);
        while (v.hasRemaining()) {
            out.add(elementWidth == 1 ? v.u8() : v.u16());
        }
        return List.copyOf(out);
    }

    static void write(ByteWriter w, int lengthWidth, int elementWidth, List<Integer> codes) {
        int token = w.startVector(lengthWidth);
        for (int c : codes) {
            if (elementWidth == 1) {
                w.u8(c);
            } else {
                w.u16(c);
            }
        }
        w.endVector(token);
    }

    /**
     * An immutable copy of a list about to be sent.
     *
     * @throws IllegalArgumentException if empty, too long, or a code does not fit its width
     */
    static List<Integer> check(List<Integer> codes, int lengthWidth, int elementWidth, String what) {
        List<Integer> copy = List.copyOf(codes);
        int max = elementWidth == 1 ? 0xff : 0xffff;
        int maxCount = (lengthWidth == 1 ? 0xff : 0xffff) / elementWidth;
        if (copy.isEmpty() || copy.size() > maxCount) {
            throw new IllegalArgumentException(what + ": need 1.." + maxCount + " entries, got " + copy.size());
        }
        for (int c : copy) {
            if (c < 0 || c > max) {
                throw new IllegalArgumentException(what + ": code out of range: " + c);
            }
        }
        return copy;
    }

    /** @throws IllegalArgumentException if {@code e} is not of the expected type */
    static void requireType(Extension e, int type) {
        if (e.type() != type) {
            throw new IllegalArgumentException("expected " + ExtensionType.name(type) + ", got "
                    + ExtensionType.name(e.type()));
        }
    }
}
