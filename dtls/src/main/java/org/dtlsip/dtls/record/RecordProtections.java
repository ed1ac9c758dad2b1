package org.dtlsip.dtls.record;

import java.security.SecureRandom;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;
import org.dtlsip.dtls.crypto.KeyBlock;

/**
 * Picks the record protection for a negotiated suite and cuts the right keys from the key
 * block: the client writes with the client_write keys and reads with the server_write ones,
 * and the server the other way round (RFC 5246 6.3).
 */
public final class RecordProtections {
    private RecordProtections() {
    }

    /**
     * @param client true when we are the client
     * @param encryptThenMac whether both sides agreed on encrypt_then_mac (RFC 7366); ignored
     *     for AEAD suites, to which the extension does not apply (RFC 7366 3)
     * @param random the source of per-record IVs for CBC suites
     */
    public static RecordProtection forWriting(CipherSuite suite, KeyBlock keys, boolean client,
            boolean encryptThenMac, SecureRandom random) {
        BulkCipher bulk = suite.bulkCipher;
        byte[] key = client ? keys.clientWriteKey() : keys.serverWriteKey();
        return switch (bulk.type) {
            case AEAD -> AeadProtection.forWriting(bulk, key,
                    client ? keys.clientWriteIv() : keys.serverWriteIv());
            case CBC -> CbcProtection.forWriting(bulk, key,
                    client ? keys.clientWriteMacKey() : keys.serverWriteMacKey(), encryptThenMac, random);
        };
    }

    /** The peer's direction: with {@code client} true, the server_write keys. */
    public static RecordProtection forReading(CipherSuite suite, KeyBlock keys, boolean client,
            boolean encryptThenMac) {
        BulkCipher bulk = suite.bulkCipher;
        byte[] key = client ? keys.serverWriteKey() : keys.clientWriteKey();
        return switch (bulk.type) {
            case AEAD -> AeadProtection.forReading(bulk, key,
                    client ? keys.serverWriteIv() : keys.clientWriteIv());
            case CBC -> CbcProtection.forReading(bulk, key,
                    client ? keys.serverWriteMacKey() : keys.clientWriteMacKey(), encryptThenMac);
        };
    }
}
