package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Finished (RFC 5246 7.4.9): {@code opaque verify_data[verify_data_length]}, the whole body.
 * The length is fixed by the cipher suite (12 for every suite we support), so decoding accepts
 * any non-empty body and the engine compares it, length included, in constant time against the
 * expected value: a wrong length is then a decrypt_error like any other mismatch.
 */
public record Finished(byte[] verifyData) implements HandshakeBody {

    /** verify_data_length for all suites in RFC 5246 and RFC 8422 unless a suite says otherwise. */
    public static final int VERIFY_DATA_LENGTH = 12;

    /** @throws IllegalArgumentException if empty or longer than a message can carry */
    public Finished {
        verifyData = Wire.checkOpaque(verifyData, 1, Wire.MAX_UINT24, "verify_data");
    }

    /** @throws DecodeException if the body is empty */
    public static Finished decode(byte[] body) {
        if (body.length == 0) {
            throw new DecodeException("Finished: empty verify_data");
        }
        return new Finished(body);
    }

    @Override
    public byte[] encode() {
        return verifyData.clone();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.FINISHED;
    }

    @Override
    public byte[] verifyData() {
        return verifyData.clone();
    }

    private Object[] parts() {
        return Wire.parts((Object) verifyData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Finished m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("Finished", "verify_data", verifyData);
    }
}
