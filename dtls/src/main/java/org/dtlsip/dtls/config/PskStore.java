package org.dtlsip.dtls.config;

/**
 * The server's map from PSK identity to key (RFC 4279 5.1). Called on the handshake thread for
 * each ClientKeyExchange; return {@code null} for an unknown identity, which ends the handshake
 * with {@code unknown_psk_identity}.
 */
@FunctionalInterface
public interface PskStore {
    byte[] keyFor(byte[] identity);
}
