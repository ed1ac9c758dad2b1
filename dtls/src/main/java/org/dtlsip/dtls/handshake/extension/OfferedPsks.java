package org.dtlsip.dtls.handshake.extension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * pre_shared_key in a ClientHello (RFC 8446 4.2.11):
 *
 * <pre>
 * struct {
 *     PskIdentity identities&lt;7..2^16-1&gt;;
 *     PskBinderEntry binders&lt;33..2^16-1&gt;;      // opaque PskBinderEntry&lt;32..255&gt;
 * } OfferedPsks;
 * </pre>
 *
 * It must be the last extension of the ClientHello, because each binder is an HMAC over the
 * ClientHello up to the binders list ({@link #bindersLength()} is what to cut). A client builds
 * the extension with placeholder binders of the right lengths, encodes the hello, computes the
 * binders over the truncated hello and then replaces them ({@link #withBinders}); the length of
 * everything stays the same.
 *
 * <p>Decoding checks structure only; that there are as many binders as identities, that the
 * extension came last and that the binders verify are the handshake's checks
 * ({@link #bindersMatchIdentities()}), answered with illegal_parameter or decrypt_error.
 */
public record OfferedPsks(List<PskIdentity> identities, List<byte[]> binders) {
    /** {@code opaque PskBinderEntry<32..255>}. */
    public static final int MIN_BINDER_LENGTH = 32;
    public static final int MAX_BINDER_LENGTH = 255;

    public OfferedPsks {
        identities = List.copyOf(identities);
        if (identities.isEmpty() || binders.isEmpty()) {
            throw new IllegalArgumentException("pre_shared_key needs at least one identity and one binder");
        }
        List<byte[]> copy = new ArrayList<>(binders.size());
        for (byte[] b : binders) {
            if (b.length < MIN_BINDER_LENGTH || b.length > MAX_BINDER_LENGTH) {
                throw new IllegalArgumentException("PSK binder of " + b.length + " bytes");
            }
            copy.add(b.clone());
        }
        binders = List.copyOf(copy);
    }

    /** Placeholder binders of {@code binderLength} zero bytes, one per identity. */
    public static OfferedPsks withPlaceholderBinders(List<PskIdentity> identities, int binderLength) {
        List<byte[]> binders = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            binders.add(new byte[binderLength]);
        }
        return new OfferedPsks(identities, binders);
    }

    /**
     * @throws DecodeException if a vector is empty or overruns, a binder is outside 32..255
     *     bytes, or bytes trail
     */
    public static OfferedPsks from(Extension e) {
        CodeLists.requireType(e, ExtensionType.PRE_SHARED_KEY);
        ByteReader r = new ByteReader(e.data());
        ByteReader ids = r.slice(r.u16());
        List<PskIdentity> identities = new ArrayList<>();
        while (ids.hasRemaining()) {
            identities.add(PskIdentity.read(ids));
        }
        ByteReader list = r.slice(r.u16());
        r.expectEnd("pre_shared_key");
        List<byte[]> binders = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] b = list.vector8();
            if (b.length < MIN_BINDER_LENGTH) {
                throw new DecodeException("pre_shared_key: binder of " + b.length + " bytes");
            }
            binders.add(b);
        }
        if (identities.isEmpty() || binders.isEmpty()) {
            throw new DecodeException("pre_shared_key: no identities or no binders");
        }
        return new OfferedPsks(identities, binders);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(4 + identities.stream().mapToInt(PskIdentity::encodedLength).sum()
                + bindersLength());
        int token = w.startVector(2);
        for (PskIdentity id : identities) {
            id.write(w);
        }
        w.endVector(token);
        token = w.startVector(2);
        for (byte[] b : binders) {
            w.vector8(b);
        }
        w.endVector(token);
        return new Extension(ExtensionType.PRE_SHARED_KEY, w.toByteArray());
    }

    /**
     * Bytes the binders list takes at the end of the ClientHello, its two-byte length included:
     * what {@link org.dtlsip.dtls.handshake.Transcript13#hashWithTruncatedClientHello} cuts.
     */
    public int bindersLength() {
        int n = 2;
        for (byte[] b : binders) {
            n += 1 + b.length;
        }
        return n;
    }

    /** The same identities with the real binders, which must have the placeholders' lengths. */
    public OfferedPsks withBinders(List<byte[]> realBinders) {
        if (realBinders.size() != binders.size()) {
            throw new IllegalArgumentException(realBinders.size() + " binders for " + binders.size());
        }
        for (int i = 0; i < binders.size(); i++) {
            if (realBinders.get(i).length != binders.get(i).length) {
                throw new IllegalArgumentException("binder " + i + " changes length");
            }
        }
        return new OfferedPsks(identities, realBinders);
    }

    /** RFC 8446 4.2.11: one binder per identity, or the server aborts with illegal_parameter. */
    public boolean bindersMatchIdentities() {
        return binders.size() == identities.size();
    }

    @Override
    public List<byte[]> binders() {
        List<byte[]> out = new ArrayList<>(binders.size());
        for (byte[] b : binders) {
            out.add(b.clone());
        }
        return out;
    }

    /** A copy of binder {@code i}. */
    public byte[] binder(int i) {
        return binders.get(i).clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OfferedPsks p) || !identities.equals(p.identities) || binders.size() != p.binders.size()) {
            return false;
        }
        for (int i = 0; i < binders.size(); i++) {
            if (!Arrays.equals(binders.get(i), p.binders.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return identities.hashCode();
    }

    @Override
    public String toString() {
        return "OfferedPsks[" + identities + ", " + binders.size() + " binders]";
    }
}
