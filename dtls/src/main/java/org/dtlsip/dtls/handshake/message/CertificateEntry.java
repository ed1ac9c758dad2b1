package org.dtlsip.dtls.handshake.message;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;

/**
 * {@code struct { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; }
 * CertificateEntry;} (RFC 8446 4.4.2), for X.509 certificates: the DER certificate and its
 * per-certificate extensions (OCSP status, SCTs), which we neither send nor need.
 */
public record CertificateEntry(byte[] certData, List<Extension> extensions) {
    public CertificateEntry {
        certData = Wire.checkOpaque(certData, 1, Wire.MAX_UINT24, "cert_data");
        extensions = Extensions.copyOf(extensions);
    }

    /** An entry without extensions. */
    public static CertificateEntry of(byte[] der) {
        return new CertificateEntry(der, List.of());
    }

    @Override
    public byte[] certData() {
        return certData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateEntry c && Arrays.equals(certData, c.certData) && extensions.equals(c.extensions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(certData) * 31 + extensions.hashCode();
    }

    @Override
    public String toString() {
        return "CertificateEntry[" + certData.length + " bytes, " + extensions + "]";
    }
}
