package org.dtlsip.dtls.handshake.extension;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.SignatureScheme;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * signature_algorithms (RFC 5246 7.4.1.4.1), and signature_algorithms_cert (RFC 8446 4.2.3),
 * which has the same body and applies to signatures in certificates only:
 * {@code SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>}, each a two-byte
 * (hash, signature) pair written here as one uint16 code. Unknown codes are kept so that the
 * list round-trips; {@link #known()} filters them.
 */
public record SignatureAlgorithms(List<Integer> schemes) {

    /** @throws IllegalArgumentException if empty or a code is not a uint16 */
    public SignatureAlgorithms {
        schemes = CodeLists.check(schemes, 2, 2, "signature_algorithms");
    }

    public static SignatureAlgorithms of(SignatureScheme... schemes) {
        List<Integer> codes = new ArrayList<>();
        for (SignatureScheme s : schemes) {
            codes.add(s.code);
        }
        return new SignatureAlgorithms(codes);
    }

    /**
     * @throws IllegalArgumentException if {@code e} is not signature_algorithms
     * @throws org.dtlsip.dtls.util.DecodeException if its data is malformed
     */
    public static SignatureAlgorithms from(Extension e) {
        CodeLists.requireType(e, ExtensionType.SIGNATURE_ALGORITHMS);
        return decode(e.data());
    }

    /** Parses extension_data; an empty list or odd length is a DecodeException. */
    public static SignatureAlgorithms decode(byte[] data) {
        ByteReader r = new ByteReader(data);
        List<Integer> schemes = CodeLists.read(r, 2, 2, "signature_algorithms");
        r.expectEnd("signature_algorithms");
        return new SignatureAlgorithms(schemes);
    }

    public Extension toExtension() {
        return toExtension(ExtensionType.SIGNATURE_ALGORITHMS);
    }

    /**
     * @throws IllegalArgumentException if {@code e} is not signature_algorithms_cert
     * @throws org.dtlsip.dtls.util.DecodeException if its data is malformed
     */
    public static SignatureAlgorithms fromCert(Extension e) {
        CodeLists.requireType(e, ExtensionType.SIGNATURE_ALGORITHMS_CERT);
        return decode(e.data());
    }

    /** The list as signature_algorithms_cert (RFC 8446 4.2.3). */
    public Extension toCertExtension() {
        return toExtension(ExtensionType.SIGNATURE_ALGORITHMS_CERT);
    }

    private Extension toExtension(int type) {
        ByteWriter w = new ByteWriter(2 + 2 * schemes.size());
        CodeLists.write(w, 2, 2, schemes);
        return new Extension(type, w.toByteArray());
    }

    /** The schemes this implementation knows, in the peer's preference order. */
    public List<SignatureScheme> known() {
        List<SignatureScheme> out = new ArrayList<>();
        for (int c : schemes) {
            SignatureScheme s = SignatureScheme.of(c);
            if (s != null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
