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
    private final ByteWriter bytes = new ByteWriter(4096);

    void add(HandshakeMessage message) {
        bytes.bytes(message.transcriptBytes());
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
