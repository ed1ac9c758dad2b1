package org.dtlsip.dtls.handshake.extension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * The extensions block that may end a ClientHello or ServerHello (RFC 5246 7.4.1.2, 7.4.1.3,
 * 7.4.1.4), and helpers for extensions whose data must be empty.
 */
public final class Extensions {

    private Extensions() {
    }

    /**
     * Reads the optional trailing extensions block. RFC 5246 7.4.1.2 lets a hello end right
     * after compression_methods ("the presence of extensions can be detected by determining
     * whether there are bytes following"), so an exhausted reader yields an empty list;
     * otherwise a uint16 length and that many bytes of extensions follow. The caller still
     * checks {@link ByteReader#expectEnd} on {@code r}.
     *
     * @throws DecodeException on truncation, an inner length overrunning the block, or a
     *     repeated type ("There MUST NOT be more than one extension of the same type",
     *     RFC 5246 7.4.1.4)
     */
    public static List<Extension> decode(ByteReader r) {
        if (!r.hasRemaining()) {
            return List.of();
        }
        ByteReader block = r.slice(r.u16());
        List<Extension> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (block.hasRemaining()) {
            int type = block.u16();
            byte[] data = block.vector16();
            if (!seen.add(type)) {
                throw new DecodeException("duplicate extension " + ExtensionType.name(type));
            }
            out.add(new Extension(type, data));
        }
        return List.copyOf(out);
    }

    /**
     * Writes the extensions block, or nothing when {@code exts} is empty (an empty block is
     * legal but omitting it is what peers expect from a hello without extensions).
     *
     * @throws IllegalArgumentException if the block would exceed 2^16-1 bytes
     */
    public static void encode(ByteWriter w, List<Extension> exts) {
        if (exts.isEmpty()) {
            return;
        }
        int token = w.startVector(2);
        for (Extension e : exts) {
            w.u16(e.type()).vector16(e.data());
        }
        w.endVector(token);
    }

    /** The extension of {@code type}, or {@code null} if absent. */
    public static Extension find(List<Extension> exts, int type) {
        for (Extension e : exts) {
            if (e.type() == type) {
                return e;
            }
        }
        return null;
    }

    /** extended_master_secret, whose extension_data is empty (RFC 7627 5.1). */
    public static Extension extendedMasterSecret() {
        return new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]);
    }

    /** encrypt_then_mac, whose extension_data is empty (RFC 7366 2). */
    public static Extension encryptThenMac() {
        return new Extension(ExtensionType.ENCRYPT_THEN_MAC, new byte[0]);
    }

    /**
     * True if the extension carries no data. Flag extensions such as extended_master_secret
     * MUST have empty data (RFC 7627 5.1); the engine answers non-empty data with decode_error.
     */
    public static boolean isEmpty(Extension e) {
        return e.dataLength() == 0;
    }

    /**
     * An immutable copy of {@code exts} for a hello about to be built.
     *
     * @throws IllegalArgumentException if two entries share a type (RFC 5246 7.4.1.4)
     */
    public static List<Extension> copyOf(List<Extension> exts) {
        Set<Integer> seen = new HashSet<>();
        for (Extension e : exts) {
            if (!seen.add(e.type())) {
                throw new IllegalArgumentException("duplicate extension " + ExtensionType.name(e.type()));
            }
        }
        return List.copyOf(exts);
    }
}
