package org.dtlsip.sip;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.record.Record;

/**
 * What one DTLS 1.2 record adds to the SIP message it carries, before the handshake has said
 * which suite and which connection ID the record will use: the worst the configuration allows.
 * Once a suite is negotiated the association knows the exact figure
 * ({@code DtlsServer.Association#maxApplicationDataLength}).
 *
 * <p>Protection differs by suite (RFC 6347 4.1, RFC 5246 6.2.3): an AEAD suite adds an explicit
 * nonce and a tag (GCM: 8 + 16), a CBC suite an explicit IV, a MAC and up to one block of padding
 * (AES-CBC with HMAC-SHA256: 16 + 32 + 16). Assuming AEAD would let a message through the size
 * check that no record can carry once a CBC suite is agreed.
 */
final class RecordOverhead {
    private RecordOverhead() {
    }

    /**
     * Header, the largest protection of any suite {@code config} offers or accepts, and, when it
     * negotiates connection IDs, the longest ID a peer may ask us to write plus the inner content
     * type (RFC 9146 4: the peer chooses the ID we send, up to 255 bytes).
     */
    static int worstCase(DtlsConfig config) {
        int protection = 0;
        for (CipherSuite suite : config.cipherSuites()) {
            protection = Math.max(protection, suite.bulkCipher.overhead());
        }
        int connectionId = config.connectionIds() ? DtlsConfig.MAX_CONNECTION_ID_LENGTH + 1 : 0;
        return Record.HEADER_LENGTH + protection + connectionId;
    }
}
