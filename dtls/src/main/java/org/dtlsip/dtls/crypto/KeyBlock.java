package org.dtlsip.dtls.crypto;

/**
 * The traffic keys cut from the key block (RFC 5246 section 6.3), in the block's own order:
 * client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
 * client_write_IV, server_write_IV.
 *
 * <p>AEAD suites have no MAC keys (empty arrays): only the write keys and the implicit IV parts
 * remain (RFC 5288 section 3, RFC 6655 section 3, RFC 7905 section 2). CBC suites have MAC keys
 * and empty IVs, because every record carries its own IV (RFC 5246 section 6.2.3.2).
 *
 * <p>The arrays are not copied: the record is a transport between {@link KeySchedule} and the
 * record layer, which must treat them as read-only.
 */
public record KeyBlock(byte[] clientWriteMacKey, byte[] serverWriteMacKey, byte[] clientWriteKey,
        byte[] serverWriteKey, byte[] clientWriteIv, byte[] serverWriteIv) {
    private static final byte[] NONE = new byte[0];

    /** An AEAD key block: no MAC keys. */
    public KeyBlock(byte[] clientWriteKey, byte[] serverWriteKey, byte[] clientWriteIv,
            byte[] serverWriteIv) {
        this(NONE, NONE, clientWriteKey, serverWriteKey, clientWriteIv, serverWriteIv);
    }
}
