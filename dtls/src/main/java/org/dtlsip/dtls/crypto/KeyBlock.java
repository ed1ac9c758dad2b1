package org.dtlsip.dtls.crypto;

/**
 * The traffic keys cut from the key block (RFC 5246 section 6.3). AEAD suites have no MAC
 * keys, so only the write keys and the implicit IV parts remain (RFC 5288 section 3,
 * RFC 7905 section 2).
 *
 * <p>The arrays are not copied: the record is a transport between {@link KeySchedule} and the
 * record layer, which must treat them as read-only.
 */
public record KeyBlock(byte[] clientWriteKey, byte[] serverWriteKey, byte[] clientWriteIv,
        byte[] serverWriteIv) {
}
