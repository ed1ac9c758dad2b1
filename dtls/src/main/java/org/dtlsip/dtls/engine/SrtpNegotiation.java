package org.dtlsip.dtls.engine;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.extension.UseSrtp;
import org.dtlsip.dtls.util.Hex;

/**
 * use_srtp (RFC 5764 4.1.1) for both versions: in DTLS 1.2 the server answers in ServerHello,
 * in DTLS 1.3 in EncryptedExtensions (RFC 8446 4.2's table: use_srtp goes in CH and EE); the
 * rules for what it may answer are the same.
 */
final class SrtpNegotiation {
    private SrtpNegotiation() {
    }

    /** The profile and MKI both sides agreed. */
    record Agreed(SrtpProfile profile, byte[] mki) {
        /** The server's answer: exactly this profile and the MKI it uses. */
        Extension toExtension() {
            return new UseSrtp(List.of(profile.code), mki).toExtension();
        }
    }

    /**
     * Server: our first configured profile the client offers, with an empty MKI (we use none,
     * whatever the client offered, RFC 5764 4.1.1); {@code null} when the client did not offer
     * use_srtp or we share no profile, and then the extension is not answered.
     */
    static Agreed choose(DtlsConfig config, List<Extension> clientExtensions) {
        Extension srtp = Extensions.find(clientExtensions, ExtensionType.USE_SRTP);
        if (srtp == null || config.srtpProfiles().isEmpty()) {
            return null;
        }
        List<Integer> offered = UseSrtp.from(srtp).profiles();
        for (SrtpProfile p : config.srtpProfiles()) {
            if (offered.contains(p.code)) {
                return new Agreed(p, new byte[0]);
            }
        }
        return null;
    }

    /**
     * Client: checks the server's answer against what we offered in {@code ourExtensions}.
     *
     * @throws HandshakeFailure illegal_parameter when the server chose other than exactly one
     *     of our profiles, or an MKI that is neither ours nor empty (RFC 5764 4.1.1)
     */
    static Agreed check(DtlsConfig config, List<Extension> ourExtensions, Extension answer) {
        UseSrtp chosen = UseSrtp.from(answer);
        SrtpProfile p = chosen.profiles().size() == 1 ? SrtpProfile.of(chosen.profiles().get(0)) : null;
        if (p == null || !config.srtpProfiles().contains(p)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "server chose SRTP profiles "
                    + chosen.profiles() + ", not one of those offered");
        }
        byte[] offered = UseSrtp.from(Extensions.find(ourExtensions, ExtensionType.USE_SRTP)).mki();
        byte[] mki = chosen.mki();
        if (mki.length > 0 && !Arrays.equals(mki, offered)) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER, "server answered use_srtp with MKI 0x"
                    + Hex.encode(mki) + ", not the one offered (" + (offered.length == 0 ? "none" : "0x" + Hex.encode(offered)) + ")");
        }
        return new Agreed(p, mki);
    }
}
