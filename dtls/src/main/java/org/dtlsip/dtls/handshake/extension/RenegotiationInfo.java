package org.dtlsip.dtls.handshake.extension;

import java.util.Arrays;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * renegotiation_info (RFC 5746 3.2): {@code opaque renegotiated_connection<0..255>}. On an
 * initial handshake it is empty; this implementation never renegotiates, so it only sends
 * and accepts the empty form (or the equivalent SCSV), and the engine checks emptiness.
 */
public record RenegotiationInfo(byte[] renegotiatedConnection) {

    /** renegotiated_connection is an opaque8 vector. */
    public static final int MAX_LENGTH = 0xff;

    /** @throws IllegalArgumentException if longer than {@link #MAX_LENGTH} */
    public RenegotiationInfo {
        if (renegotiatedConnection.length > MAX_LENGTH) {
            throw new IllegalArgumentException("renegotiated_connection too long: "
                    + renegotiatedConnection.length);
        }
        renegotiatedConnection = renegotiatedConnection.clone();
    }

    /** The initial-handshake form: an empty renegotiated_connection. */
    public static RenegotiationInfo initial() {
        return new RenegotiationInfo(new byte[0]);
    }

    /**
     * @throws IllegalArgumentException if {@code e} is not renegotiation_info
     * @throws org.dtlsip.dtls.util.DecodeException if its data is malformed
     */
    public static RenegotiationInfo from(Extension e) {
        CodeLists.requireType(e, ExtensionType.RENEGOTIATION_INFO);
        return decode(e.data());
    }

    public static RenegotiationInfo decode(byte[] data) {
        ByteReader r = new ByteReader(data);
        byte[] v = r.vector8();
        r.expectEnd("renegotiation_info");
        return new RenegotiationInfo(v);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.RENEGOTIATION_INFO,
                new ByteWriter(1 + renegotiatedConnection.length).vector8(renegotiatedConnection).toByteArray());
    }

    @Override
    public byte[] renegotiatedConnection() {
        return renegotiatedConnection.clone();
    }

    public boolean isEmpty() {
        return renegotiatedConnection.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenegotiationInfo ri
                && Arrays.equals(renegotiatedConnection, ri.renegotiatedConnection);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(renegotiatedConnection);
    }

    @Override
    public String toString() {
        return "RenegotiationInfo[" + renegotiatedConnection.length + " bytes]";
    }
}
