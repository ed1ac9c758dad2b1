package org.dtlsip.dtls.crypto;

import java.util.Arrays;

/**
 * A pair of traffic secrets, one per direction (RFC 8446 7.1): the handshake ones for epoch 2
 * or the first application ones for epoch 3. The client writes with {@code client} and reads
 * with {@code server}; the server the other way round.
 */
public record TrafficSecrets(byte[] client, byte[] server) {
    public TrafficSecrets {
        client = client.clone();
        server = server.clone();
    }

    @Override
    public byte[] client() {
        return client.clone();
    }

    @Override
    public byte[] server() {
        return server.clone();
    }

    /** The secret we protect records with. */
    public byte[] writing(boolean weAreClient) {
        return weAreClient ? client() : server();
    }

    /** The secret the peer protects its records with. */
    public byte[] reading(boolean weAreClient) {
        return weAreClient ? server() : client();
    }

    /** Overwrites both secrets. */
    public void destroy() {
        Arrays.fill(client, (byte) 0);
        Arrays.fill(server, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficSecrets t && Arrays.equals(client, t.client) && Arrays.equals(server, t.server);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(client) + Arrays.hashCode(server);
    }

    @Override
    public String toString() {
        return "TrafficSecrets[redacted]";
    }
}
