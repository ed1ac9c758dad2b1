package org.dtlsip.dtls.record;

/**
 * The record header fields that the MAC (CBC suites) or the additional data (AEAD suites)
 * cover, ending in a two-byte length in both forms:
 *
 * <ul>
 *   <li>without a connection ID (RFC 5246 6.2.3, RFC 6347 4.1.2.1): {@code epoch||seq (8) ||
 *       type || version || length}, 13 bytes;
 *   <li>with one (RFC 9146 5): {@code seq_num_placeholder (8 x 0xff) || tls12_cid || cid_length ||
 *       tls12_cid || version || epoch || sequence_number || cid || length}, 23 bytes plus the
 *       ID. The placeholder and the doubled tls12_cid keep the two forms from ever colliding.
 * </ul>
 *
 * What {@code length} counts is up to the caller: the (inner) plaintext for AEAD and
 * MAC-then-encrypt, IV plus ciphertext for encrypt-then-MAC.
 */
final class AuthenticatedHeader {
    static final int PLAIN_LENGTH = 13;
    static final int CID_FIXED_LENGTH = 23;

    private AuthenticatedHeader() {
    }

    static int length(byte[] connectionId) {
        return connectionId.length == 0 ? PLAIN_LENGTH : CID_FIXED_LENGTH + connectionId.length;
    }

    /** A buffer of the right size: {@code reusable} when it fits, else a new array. */
    static byte[] buffer(byte[] reusable, byte[] connectionId) {
        int n = length(connectionId);
        return reusable.length == n ? reusable : new byte[n];
    }

    /** Fills {@code out} (of {@link #length} bytes) for a record with these header fields. */
    static void write(byte[] out, int contentType, int version, int epoch, long seq, byte[] connectionId, int length) {
        int i = 0;
        if (connectionId.length == 0) {
            long epochSeq = Record.epochAndSequence(epoch, seq);
            for (; i < 8; i++) {
                out[i] = (byte) (epochSeq >>> (56 - 8 * i));
            }
            out[i++] = (byte) contentType;
        } else {
            for (; i < 8; i++) {
                out[i] = (byte) 0xff;
            }
            out[i++] = (byte) ContentType.TLS12_CID.code;
            out[i++] = (byte) connectionId.length;
            out[i++] = (byte) ContentType.TLS12_CID.code;
        }
        out[i++] = (byte) (version >>> 8);
        out[i++] = (byte) version;
        if (connectionId.length != 0) {
            out[i++] = (byte) (epoch >>> 8);
            out[i++] = (byte) epoch;
            for (int b = 5; b >= 0; b--) {
                out[i++] = (byte) (seq >>> (8 * b));
            }
            System.arraycopy(connectionId, 0, out, i, connectionId.length);
            i += connectionId.length;
        }
        out[i++] = (byte) (length >>> 8);
        out[i] = (byte) length;
    }
}
