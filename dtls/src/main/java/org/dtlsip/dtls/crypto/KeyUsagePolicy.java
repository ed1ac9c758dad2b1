package org.dtlsip.dtls.crypto;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a DTLS peer's leaf certificate must allow its key to be used for, when it says at all
 * (both extensions are optional; absent means unrestricted):
 * <ul>
 * <li>keyUsage (RFC 5280 4.2.1.3) must include digitalSignature: every certificate suite we
 *     speak is ECDHE, where the server signs ServerKeyExchange (RFC 5246 7.4.2: the certificate
 *     "MUST allow the key to be used for signing") and a client signs CertificateVerify
 *     (7.4.6). keyEncipherment (RSA key transport) or keyAgreement (static ECDH) are not
 *     enough;
 * <li>extendedKeyUsage (RFC 5280 4.2.1.12) must include serverAuth for a server and clientAuth
 *     for a client, or anyExtendedKeyUsage: "the certificate MUST only be used for one of the
 *     purposes indicated".
 * </ul>
 */
public final class KeyUsagePolicy {
    /** RFC 5280 4.2.1.3 bit 0. */
    static final int DIGITAL_SIGNATURE = 0;
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final String KEY_USAGE_OID = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE_OID = "2.5.29.37";
    private static final String[] KEY_USAGE_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
    private static final Map<String, String> PURPOSE_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth", "1.3.6.1.5.5.7.3.2", "clientAuth", "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection", "1.3.6.1.5.5.7.3.8", "timeStamping", "1.3.6.1.5.5.7.3.9",
            "OCSPSigning", ANY_EXTENDED_KEY_USAGE, "anyExtendedKeyUsage");

    /** The role the certificate's holder plays in the handshake. */
    public enum Purpose {
        /** id-kp-serverAuth, RFC 5280 4.2.1.12. */
        TLS_SERVER("server", "1.3.6.1.5.5.7.3.1", "serverAuth"),
        /** id-kp-clientAuth. */
        TLS_CLIENT("client", "1.3.6.1.5.5.7.3.2", "clientAuth");

        final String role;
        final String oid;
        final String name;

        Purpose(String role, String oid, String name) {
            this.role = role;
            this.oid = oid;
            this.name = name;
        }
    }

    /** The leaf's key usage does not allow this use; the engine sends unsupported_certificate. */
    public static final class UnsuitableCertificateException extends CertificateException {
        private static final long serialVersionUID = 1L;

        UnsuitableCertificateException(String message) {
            super(message);
        }
    }

    private KeyUsagePolicy() {
    }

    /** @throws CertificateException naming what the certificate allows and what it must allow */
    public static void check(X509Certificate leaf, Purpose purpose) throws CertificateException {
        boolean[] keyUsage = leaf.getKeyUsage();
        requireReadable(leaf, KEY_USAGE_OID, keyUsage != null, "keyUsage", purpose);
        if (keyUsage != null && !(keyUsage.length > DIGITAL_SIGNATURE && keyUsage[DIGITAL_SIGNATURE])) {
            throw new UnsuitableCertificateException("the " + purpose.role + " certificate's keyUsage ("
                    + String.join(", ", keyUsageNames(keyUsage)) + ") does not allow digitalSignature, which an ECDHE "
                    + (purpose == Purpose.TLS_SERVER ? "server needs to sign ServerKeyExchange (RFC 5246 7.4.2"
                            : "client needs to sign CertificateVerify (RFC 5246 7.4.6")
                    + ", RFC 5280 4.2.1.3); reissue it with keyUsage digitalSignature");
        }
        List<String> extended;
        try {
            extended = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("malformed extendedKeyUsage in the " + purpose.role + " certificate: "
                    + e.getMessage(), e);
        }
        requireReadable(leaf, EXTENDED_KEY_USAGE_OID, extended != null, "extendedKeyUsage", purpose);
        if (extended != null && !extended.contains(purpose.oid) && !extended.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new UnsuitableCertificateException("the " + purpose.role + " certificate's extendedKeyUsage ("
                    + String.join(", ", purposeNames(extended)) + ") does not include " + purpose.name
                    + " (RFC 5280 4.2.1.12); reissue it "
                    + "with extendedKeyUsage " + purpose.name);
        }
    }

    /**
     * The CA certificates above the leaf: one that restricts its extendedKeyUsage must allow
     * the leaf's purpose (or anyExtendedKeyUsage). RFC 5280 4.2.1.12 says the extension
     * "will appear only in end entity certificates" and leaves a CA's to the application;
     * OpenSSL (X509_check_purpose, "unsuitable certificate purpose" at the CA's depth), NSS and
     * the Web PKI read it as a constraint on what the CA may issue: that is how a sub-CA is
     * limited to e-mail (S/MIME) or to client certificates. Without this such a CA could issue
     * a server certificate that we alone would accept. Self-signed certificates (roots, sent
     * or not) are trust anchors and not checked, whether or not the peer sends them.
     *
     * @param chain leaf first, as received; it has passed PKIX validation
     */
    public static void checkIssuers(List<X509Certificate> chain, Purpose purpose) throws CertificateException {
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate ca = chain.get(i);
            if (ca.getSubjectX500Principal().equals(ca.getIssuerX500Principal())) {
                break;
            }
            List<String> extended;
            try {
                extended = ca.getExtendedKeyUsage();
            } catch (CertificateParsingException e) {
                throw new CertificateException("malformed extendedKeyUsage in the " + purpose.role + " certificate's issuer '"
                        + ca.getSubjectX500Principal().getName() + "': " + e.getMessage(), e);
            }
            requireReadable(ca, EXTENDED_KEY_USAGE_OID, extended != null, "issuer's extendedKeyUsage", purpose);
            if (extended != null && !extended.contains(purpose.oid) && !extended.contains(ANY_EXTENDED_KEY_USAGE)) {
                throw new UnsuitableCertificateException("the " + purpose.role + " certificate was issued by '"
                        + ca.getSubjectX500Principal().getName() + "', a CA whose extendedKeyUsage (" + String.join(", ",
                        purposeNames(extended)) + ") does not include " + purpose.name + ": it may not issue "
                        + purpose.role + " certificates (as OpenSSL's purpose check along the chain)");
            }
        }
    }

    /**
     * The JDK keeps a non-critical extension it cannot decode as raw bytes and then reports it
     * as absent, which here would mean "unrestricted": a certificate that restricts its key in
     * a way we cannot read is refused instead (a corrupt certificate: bad_certificate).
     */
    private static void requireReadable(X509Certificate leaf, String oid, boolean decoded, String name, Purpose purpose)
            throws CertificateException {
        if (!decoded && leaf.getExtensionValue(oid) != null) {
            throw new CertificateException("the " + purpose.role + " certificate's " + name + " extension (" + oid
                    + ") is malformed, so what its key may be used for is unknown (RFC 5280 4.2.1.3, 4.2.1.12); "
                    + "reissue it");
        }
    }

    private static List<String> purposeNames(List<String> oids) {
        List<String> names = new ArrayList<>();
        for (String oid : oids) {
            names.add(PURPOSE_NAMES.getOrDefault(oid, oid));
        }
        return names;
    }

    private static List<String> keyUsageNames(boolean[] bits) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bits.length && i < KEY_USAGE_NAMES.length; i++) {
            if (bits[i]) {
                names.add(KEY_USAGE_NAMES[i]);
            }
        }
        return names.isEmpty() ? List.of("none") : names;
    }
}
