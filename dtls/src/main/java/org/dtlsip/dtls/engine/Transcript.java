package org.dtlsip.dtls.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.dtlsip.dtls.crypto.PrfHash;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * The handshake transcript: every handshake message with its DTLS header as if unfragmented
 * (RFC 6347 4.2.6), excluding the first ClientHello and HelloVerifyRequest of a cookie
 * exchange. The bytes are kept (a few KiB) because TLS 1.2's CertificateVerify signs the
 * messages themselves, not their hash (RFC 5246 7.4.8).
 */
final class Transcript {
    /** Starting capacity: a flight with one certificate fits without growing. */
    private static final int INITIAL_CAPACITY = 2048;

    private ByteWriter bytes = new ByteWriter(INITIAL_CAPACITY);

    void add(HandshakeMessage message) {
        bytes.bytes(message.transcriptBytes());
    }

    /** Forgets the messages once both Finished are verified; nothing reads them afterwards. */
    void clear() {
        bytes = new ByteWriter(0);
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    byte[] hash(PrfHash hash) {
        try {
            return MessageDigest.getInstance(hash.digestName).digest(bytes.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hash.digestName + " missing from the JDK", e);
        }
    }
}
