package org.dtlsip.dtls.handshake.extension;

import java.util.Arrays;

/**
 * One hello extension as it appears on the wire (RFC 5246 7.4.1.4):
 * {@code struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }}.
 * The data is left uninterpreted; typed views such as {@link SupportedGroups} parse it.
 */
public record Extension(int type, byte[] data) {

    /** Largest extension_data: the vector has a uint16 length. */
    public static final int MAX_DATA_LENGTH = 0xffff;

    /** @throws IllegalArgumentException if type or data length do not fit their uint16 fields */
    public Extension {
        if (type < 0 || type > 0xffff) {
            throw new IllegalArgumentException("extension type out of range: " + type);
        }
        if (data.length > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException("extension data too long: " + data.length);
        }
        data = data.clone();
    }

    /** A copy of the extension_data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    public int dataLength() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Extension e && type == e.type && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return ExtensionType.name(type) + "(" + data.length + " bytes)";
    }
}
