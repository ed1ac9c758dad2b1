package org.dtlsip.dtls.handshake.extension;

import java.util.Arrays;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * {@code struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;}
 * (RFC 8446 4.2.8): one ephemeral public value. Whether it is well formed for its group (length,
 * point on the curve) is checked when it is used ({@link org.dtlsip.dtls.crypto.EphemeralKeyPair#agree}).
 */
public record KeyShareEntry(int group, byte[] keyExchange) {
    public KeyShareEntry {
        if (group < 0 || group > 0xffff) {
            throw new IllegalArgumentException("group out of range: " + group);
        }
        if (keyExchange.length == 0 || keyExchange.length > 0xffff) {
            throw new IllegalArgumentException("key_exchange of " + keyExchange.length + " bytes");
        }
        keyExchange = keyExchange.clone();
    }

    public static KeyShareEntry of(NamedGroup group, byte[] publicValue) {
        return new KeyShareEntry(group.code, publicValue);
    }

    static KeyShareEntry read(ByteReader r) {
        int group = r.u16();
        byte[] keyExchange = r.vector16();
        if (keyExchange.length == 0) {
            throw new DecodeException("key_share: empty key_exchange");
        }
        return new KeyShareEntry(group, keyExchange);
    }

    void write(ByteWriter w) {
        w.u16(group).vector16(keyExchange);
    }

    int encodedLength() {
        return 4 + keyExchange.length;
    }

    /** The group, or {@code null} when we do not implement it. */
    public NamedGroup namedGroup() {
        return NamedGroup.of(group);
    }

    @Override
    public byte[] keyExchange() {
        return keyExchange.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyShareEntry k && group == k.group && Arrays.equals(keyExchange, k.keyExchange);
    }

    @Override
    public int hashCode() {
        return group * 31 + Arrays.hashCode(keyExchange);
    }

    @Override
    public String toString() {
        NamedGroup g = namedGroup();
        return "KeyShareEntry[" + (g != null ? g.rfcName : "group " + group) + ", " + keyExchange.length + " bytes]";
    }
}
