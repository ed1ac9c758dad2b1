package org.dtlsip.dtls.handshake.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a TLS 1.3 CertificateVerify signs (RFC 8446 4.4.3): 64 spaces, a context string, a zero
 * byte and the transcript hash through the Certificate. The spaces keep a TLS 1.2 signature (whose
 * input starts with 32 random bytes) from ever matching; the context strings keep client and
 * server signatures apart. DTLS 1.3 uses the same strings: RFC 9147 5.9 changes only the HKDF
 * labels. The message itself has the TLS 1.2 layout ({@link CertificateVerify}).
 */
public final class CertificateVerifyContent {
    private static final int PAD_LENGTH = 64;
    private static final byte[] SERVER = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT = "TLS 1.3, client CertificateVerify".getBytes(StandardCharsets.US_ASCII);

    private CertificateVerifyContent() {
    }

    /**
     * @param server true for the server's CertificateVerify
     * @param transcriptHash Transcript-Hash through the Certificate just sent
     */
    public static byte[] of(boolean server, byte[] transcriptHash) {
        byte[] context = server ? SERVER : CLIENT;
        byte[] out = new byte[PAD_LENGTH + context.length + 1 + transcriptHash.length];
        Arrays.fill(out, 0, PAD_LENGTH, (byte) 0x20);
        System.arraycopy(context, 0, out, PAD_LENGTH, context.length);
        System.arraycopy(transcriptHash, 0, out, PAD_LENGTH + context.length + 1, transcriptHash.length);
        return out;
    }
}
