package org.dtlsip.dtls.handshake.extension;

import java.util.List;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * use_srtp (RFC 5764 4.1.1): {@code SRTPProtectionProfile profiles<2..2^16-1>; opaque
 * srtp_mki<0..255>}. The client lists the profiles it supports; the server answers with the
 * one it chose.
 */
public record UseSrtp(List<Integer> profiles, byte[] mki) {

    public UseSrtp {
        profiles = CodeLists.check(profiles, 2, 2, "use_srtp profiles");
        mki = mki.clone();
        if (mki.length > 255) {
            throw new IllegalArgumentException("srtp_mki longer than 255 bytes");
        }
    }

    public static UseSrtp from(Extension e) {
        CodeLists.requireType(e, ExtensionType.USE_SRTP);
        ByteReader r = new ByteReader(e.data());
        List<Integer> profiles = CodeLists.read(r, 2, 2, "use_srtp profiles");
        byte[] mki = r.vector8();
        r.expectEnd("use_srtp");
        return new UseSrtp(profiles, mki);
    }

    public Extension toExtension() {
        ByteWriter w = new ByteWriter(4 + 2 * profiles.size() + mki.length);
        CodeLists.write(w, 2, 2, profiles);
        w.vector8(mki);
        return new Extension(ExtensionType.USE_SRTP, w.toByteArray());
    }

    @Override
    public byte[] mki() {
        return mki.clone();
    }
}
