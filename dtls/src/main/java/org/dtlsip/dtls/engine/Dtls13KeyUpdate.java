package org.dtlsip.dtls.engine;

import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;

/**
 * The application traffic secrets of a DTLS 1.3 association and where a KeyUpdate stands
 * (RFC 8446 4.6.3, 7.2; RFC 9147 8): each update derives the next secret of one direction,
 * which keys the next epoch. Ours is applied only once the peer acknowledged our KeyUpdate
 * ({@link #pending}); a peer asking for an update while we cannot send one yet is owed one.
 */
final class Dtls13KeyUpdate {
    final Tls13Hkdf hkdf;
    final Tls13CipherSuite suite;
    private byte[] writeSecret;
    private byte[] readSecret;
    private boolean pending;
    private boolean owed;
    private boolean requestOwed;

    Dtls13KeyUpdate(Tls13Hkdf hkdf, Tls13CipherSuite suite, byte[] writeSecret, byte[] readSecret) {
        this.hkdf = hkdf;
        this.suite = suite;
        this.writeSecret = writeSecret;
        this.readSecret = readSecret;
    }

    /** {@code application_traffic_secret_N+1} for our direction (RFC 8446 7.2). */
    byte[] nextWriteSecret() {
        writeSecret = hkdf.nextTrafficSecret(writeSecret);
        return writeSecret;
    }

    /** {@code application_traffic_secret_N+1} for the peer's direction. */
    byte[] nextReadSecret() {
        readSecret = hkdf.nextTrafficSecret(readSecret);
        return readSecret;
    }

    /** Our KeyUpdate is out and not yet acknowledged. */
    boolean pending() {
        return pending;
    }

    void pending(boolean value) {
        pending = value;
    }

    /** The peer asked for an update we could not send at once. */
    boolean owed() {
        return owed;
    }

    void owed(boolean value) {
        owed = value;
    }

    /**
     * We must ask the peer for new keys (RFC 9147 4.5.3: its key nears the integrity limit) but
     * another flight of ours, such as a NewSessionTicket, is not yet acknowledged.
     */
    boolean requestOwed() {
        return requestOwed;
    }

    void requestOwed(boolean value) {
        requestOwed = value;
    }
}
