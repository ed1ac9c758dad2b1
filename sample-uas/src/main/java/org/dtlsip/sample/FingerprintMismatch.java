package org.dtlsip.sample;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples' words for a peer whose certificate is not the pinned one ({@code --fingerprint}),
 * the same over TLS and DTLS-UDP: that the fingerprint did not match, the peer's and the expected
 * ones, and the fix.
 */
public final class FingerprintMismatch {
    /** How the DTLS library's FingerprintVerifier and {@link PinnedTrustManager} name the peer's fingerprint. */
    private static final Pattern ACTUAL = Pattern.compile("fingerprint SHA-256 ([0-9A-F]{2}(?::[0-9A-F]{2}){31}) matches none of");

    private FingerprintMismatch() {
    }

    /** The reason a TLS peer's certificate {@code actual} is refused, pins {@code expected}. */
    static String reason(String actual, List<String> expected) {
        return withFix("peer certificate fingerprint SHA-256 " + actual + " matches none of the expected " + expected);
    }

    /**
     * {@code reason} with the fix appended if it is a fingerprint mismatch ("...; if that is the
     * peer you meant, pin it: --fingerprint AB:CD:..."), else {@code reason} as it is.
     */
    public static String withFix(String reason) {
        Matcher m = ACTUAL.matcher(reason);
        if (!m.find() || reason.contains("--fingerprint " + m.group(1))) {
            return reason;
        }
        return reason + "; if that is the peer you meant, pin it: --fingerprint " + m.group(1);
    }
}
