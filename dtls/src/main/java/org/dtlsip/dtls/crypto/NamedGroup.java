package org.dtlsip.dtls.crypto;

/** Supported ECDHE groups (RFC 8422 5.1.1, RFC 7748). */
public enum NamedGroup {
    SECP256R1(23, "secp256r1", "P-256", 65),
    SECP384R1(24, "secp384r1", "P-384", 97),
    X25519(29, "x25519", "X25519", 32);

    public final int code;
    public final String rfcName;
    public final String shortName;
    /** Length of the encoded public value (uncompressed point, or the raw X25519 u-coordinate). */
    public final int publicLength;

    NamedGroup(int code, String rfcName, String shortName, int publicLength) {
        this.code = code;
        this.rfcName = rfcName;
        this.shortName = shortName;
        this.publicLength = publicLength;
    }

    public static NamedGroup of(int code) {
        for (NamedGroup g : values()) {
            if (g.code == code) {
                return g;
            }
        }
        return null;
    }
}
