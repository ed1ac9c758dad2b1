package org.dtlsip.dtls.crypto;

import java.util.Arrays;

/**
 * Derives the TLS 1.2 secrets from the premaster secret: master secret, key block, Finished
 * verify_data and exported keying material. DTLS 1.2 uses the TLS 1.2 derivations unchanged
 * (RFC 6347 section 4.2).
 */
public final class KeySchedule {
    /** Every TLS 1.2 master secret is 48 bytes (RFC 5246 section 8.1). */
    public static final int MASTER_SECRET_LENGTH = 48;
    /** verify_data length for every TLS 1.2 suite we support (RFC 5246 section 7.4.9). */
    public static final int VERIFY_DATA_LENGTH = 12;

    private KeySchedule() {
    }

    /**
     * RFC 7627 section 4: binds the master secret to the whole handshake transcript up to and
     * including ClientKeyExchange, which defeats the triple-handshake attack.
     *
     * @param sessionHash the transcript hash ({@code Hash(handshake_messages)})
     */
    public static byte[] extendedMasterSecret(PrfHash h, byte[] preMaster, byte[] sessionHash) {
        return Prf.prf(h, preMaster, "extended master secret", sessionHash, MASTER_SECRET_LENGTH);
    }

    /** RFC 5246 section 8.1: the legacy derivation, seeded only with the two randoms. */
    public static byte[] masterSecret(PrfHash h, byte[] preMaster, byte[] clientRandom,
            byte[] serverRandom) {
        return Prf.prf(h, preMaster, "master secret", concat(clientRandom, serverRandom, null),
                MASTER_SECRET_LENGTH);
    }

    /**
     * RFC 5246 section 6.3. Note the seed order is server_random + client_random, the
     * reverse of the master secret's. The block is client_write_MAC_key, server_write_MAC_key,
     * client_write_key, server_write_key, client_write_IV, server_write_IV; AEAD suites have no
     * MAC keys and CBC suites no IVs (their IV travels in each record), so those parts are
     * zero-length.
     */
    public static KeyBlock keyBlock(CipherSuite s, byte[] master, byte[] clientRandom,
            byte[] serverRandom) {
        int macLen = s.bulkCipher.type == CipherSuite.CipherType.CBC ? s.bulkCipher.macLength : 0;
        int keyLen = s.bulkCipher.keyLength;
        int ivLen = s.bulkCipher.fixedIvLength;
        byte[] block = Prf.prf(s.prfHash, master, "key expansion",
                concat(serverRandom, clientRandom, null), 2 * macLen + 2 * keyLen + 2 * ivLen);
        int off = 0;
        byte[] clientMacKey = Arrays.copyOfRange(block, off, off += macLen);
        byte[] serverMacKey = Arrays.copyOfRange(block, off, off += macLen);
        byte[] clientKey = Arrays.copyOfRange(block, off, off += keyLen);
        byte[] serverKey = Arrays.copyOfRange(block, off, off += keyLen);
        byte[] clientIv = Arrays.copyOfRange(block, off, off += ivLen);
        byte[] serverIv = Arrays.copyOfRange(block, off, off += ivLen);
        Arrays.fill(block, (byte) 0);
        return new KeyBlock(clientMacKey, serverMacKey, clientKey, serverKey, clientIv, serverIv);
    }

    /**
     * RFC 5246 section 7.4.9: {@code PRF(master_secret, finished_label, Hash(handshake_messages))}
     * truncated to 12 bytes.
     *
     * @param fromClient true for the client's Finished ("client finished")
     */
    public static byte[] verifyData(PrfHash h, byte[] master, boolean fromClient,
            byte[] handshakeHash) {
        return Prf.prf(h, master, fromClient ? "client finished" : "server finished",
                handshakeHash, VERIFY_DATA_LENGTH);
    }

    /**
     * RFC 5705 section 4 keying material exporter (used by DTLS-SRTP, RFC 5764). With a context
     * the seed is client_random + server_random + uint16 context length + context; without one
     * (null) the length field is omitted, which is a different output from an empty context.
     */
    public static byte[] exportKeyingMaterial(PrfHash h, byte[] master, String label,
            byte[] clientRandom, byte[] serverRandom, byte[] context, int length) {
        byte[] ctx = null;
        if (context != null) {
            if (context.length > 0xffff) {
                throw new IllegalArgumentException("exporter context longer than 65535 bytes");
            }
            ctx = new byte[2 + context.length];
            ctx[0] = (byte) (context.length >>> 8);
            ctx[1] = (byte) context.length;
            System.arraycopy(context, 0, ctx, 2, context.length);
        }
        return Prf.prf(h, master, label, concat(clientRandom, serverRandom, ctx), length);
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        int cLen = c == null ? 0 : c.length;
        byte[] out = new byte[a.length + b.length + cLen];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        if (c != null) {
            System.arraycopy(c, 0, out, a.length + b.length, cLen);
        }
        return out;
    }
}
