package org.dtlsip.dtls.handshake.message;

import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * EncryptedExtensions (RFC 8446 4.3.1): {@code Extension extensions<0..2^16-1>;}, the server's
 * answers that need no place in the ServerHello (ALPN, SNI acknowledgement, use_srtp,
 * record_size_limit, supported_groups as a hint, early_data), sent in epoch 2. Unlike a hello,
 * the list's length is always present, even when empty.
 */
public record EncryptedExtensions(List<Extension> extensions) implements HandshakeBody {

    public EncryptedExtensions {
        extensions = Extensions.copyOf(extensions);
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if truncated, repeated or followed by bytes */
    public static EncryptedExtensions decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        List<Extension> extensions = Extensions13.read(r);
        r.expectEnd("EncryptedExtensions");
        return new EncryptedExtensions(extensions);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        Extensions13.write(w, extensions);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.ENCRYPTED_EXTENSIONS;
    }

    /** The extension of {@code type}, or {@code null}. */
    public Extension extension(int type) {
        return Extensions.find(extensions, type);
    }
}
