package org.dtlsip.dtls.handshake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.dtlsip.dtls.crypto.PrfHash;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * The DTLS 1.3 handshake transcript. Unlike DTLS 1.2 (RFC 6347 4.2.6), it covers each message
 * in its TLS 1.3 form, {@code msg_type || uint24 length || body}, without message_seq,
 * fragment_offset and fragment_length (RFC 9147 5.2).
 *
 * <p>The bytes are kept rather than a running hash, because the hash is not known when the
 * client sends its ClientHello (the suite comes later) and because a PSK binder covers a
 * truncated ClientHello that is never part of the transcript itself. A transcript holds a few
 * KiB and is hashed a handful of times per handshake.
 *
 * <p>After a HelloRetryRequest the first ClientHello is replaced by the synthetic message_hash
 * message (RFC 8446 4.4.1), which is why a stateless server can rebuild the transcript from the
 * cookie alone.
 */
public final class Transcript13 {
    /** RFC 8446 4: the handshake type of the synthetic message_hash message; never on the wire. */
    public static final int MESSAGE_HASH = 254;
    /** msg_type(1) + length(3): the TLS 1.3 handshake header (RFC 8446 4). */
    public static final int HEADER_LENGTH = 4;
    /** Starting capacity: a flight with one certificate fits without growing. */
    private static final int INITIAL_CAPACITY = 2048;

    private ByteWriter bytes = new ByteWriter(INITIAL_CAPACITY);
    private int messages;

    /** Appends a message in its TLS 1.3 form. */
    public void add(HandshakeMessage message) {
        writeTlsForm(bytes, message.type().code, message.body(), message.length());
        messages++;
    }

    /** Messages added so far, counting a message_hash as one. */
    public int messageCount() {
        return messages;
    }

    /** {@code Transcript-Hash} of everything added so far. */
    public byte[] hash(PrfHash hash) {
        return digest(hash, bytes.toByteArray());
    }

    /**
     * RFC 8446 4.4.1: on a HelloRetryRequest, the transcript so far, which must be exactly the
     * first ClientHello, becomes {@code message_hash || 00 00 Hash.length || Hash(ClientHello1)}.
     * The HelloRetryRequest and everything after it are then added as usual.
     *
     * @throws IllegalStateException unless exactly one message (the first ClientHello) was added
     */
    public void replaceClientHelloWithMessageHash(PrfHash hash) {
        if (messages != 1) {
            throw new IllegalStateException("message_hash replaces the first ClientHello alone, not "
                    + messages + " messages");
        }
        byte[] clientHelloHash = hash(hash);
        bytes = new ByteWriter(INITIAL_CAPACITY);
        bytes.bytes(messageHash(clientHelloHash));
    }

    /**
     * The synthetic message_hash message for a ClientHello hash (RFC 8446 4.4.1): also what a
     * stateless server puts into its cookie to rebuild the transcript later.
     */
    public static byte[] messageHash(byte[] clientHelloHash) {
        ByteWriter w = new ByteWriter(HEADER_LENGTH + clientHelloHash.length);
        writeTlsForm(w, MESSAGE_HASH, clientHelloHash, clientHelloHash.length);
        return w.toByteArray();
    }

    /** A transcript that begins with a message_hash message (a server resuming from its cookie). */
    public static Transcript13 startingWithMessageHash(byte[] clientHelloHash) {
        Transcript13 t = new Transcript13();
        t.bytes.bytes(messageHash(clientHelloHash));
        t.messages = 1;
        return t;
    }

    /**
     * The hash a PSK binder covers (RFC 8446 4.2.11.2): the transcript so far followed by the
     * ClientHello truncated just before its binders list. The header keeps the length of the
     * whole ClientHello, binders included: the truncation cuts bytes, it does not re-encode.
     * Nothing is added to the transcript.
     *
     * @param bindersLength bytes of the binders list at the very end of the ClientHello body,
     *     its two-byte length included ({@code OfferedPsks.bindersLength()})
     */
    public byte[] hashWithTruncatedClientHello(PrfHash hash, HandshakeMessage clientHello, int bindersLength) {
        if (clientHello.type() != HandshakeType.CLIENT_HELLO || bindersLength < 0
                || bindersLength > clientHello.length()) {
            throw new IllegalArgumentException("cannot truncate " + clientHello + " by " + bindersLength + " bytes");
        }
        byte[] body = clientHello.body();
        ByteWriter w = new ByteWriter(bytes.size() + HEADER_LENGTH + body.length);
        w.bytes(bytes.toByteArray());
        w.u8(HandshakeType.CLIENT_HELLO.code).u24(body.length).bytes(body, 0, body.length - bindersLength);
        return digest(hash, w.toByteArray());
    }

    /** Forgets the messages once they are no longer needed (after the client's Finished). */
    public void clear() {
        bytes = new ByteWriter(0);
    }

    private static void writeTlsForm(ByteWriter w, int type, byte[] body, int length) {
        w.u8(type).u24(length).bytes(body);
    }

    private static byte[] digest(PrfHash hash, byte[] data) {
        try {
            return MessageDigest.getInstance(hash.digestName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hash.digestName + " missing from the JDK", e);
        }
    }
}
