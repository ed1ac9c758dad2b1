package org.dtlsip.dtls.config;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The versions a configuration speaks when it names none: DTLS 1.3 and 1.2, the highest both
 * peers share being used (RFC 8446 4.2.1, RFC 9147 5.3), except where the configuration asks
 * for something only our DTLS 1.2 provides. Turning 1.3 on by default must never take a
 * feature away from a deployment that did not ask for 1.3, silently: such a configuration
 * speaks DTLS 1.2 alone, and names the reason at debug level. A configuration that names its
 * versions gets exactly those ({@link DtlsConfig.Builder#protocols}).
 */
final class DefaultProtocols {
    /** Both versions, highest first (DTLS versions count down: 0xfefc is 1.3). */
    static final List<Integer> BOTH = List.of(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
    /** DTLS 1.2 alone, for the configurations {@link #reasonsToLeaveOutDtls13} names. */
    static final List<Integer> DTLS_1_2_ONLY = List.of(ProtocolVersion.DTLS_1_2);

    private DefaultProtocols() {
    }

    /** The facts of a configuration that decide its default versions. */
    record Facts(boolean actsAsServer, boolean actsAsClient, boolean hasCertificate, boolean resumesDtls12Session,
            boolean externalPsk) {
    }

    /** Why DTLS 1.3 cannot serve this configuration; empty when it can. */
    static List<String> reasonsToLeaveOutDtls13(Facts facts) {
        List<String> reasons = new ArrayList<>();
        if (facts.actsAsServer() && !facts.hasCertificate()) {
            // RFC 8446 4.4.2: a 1.3 server without a PSK proves itself with a certificate; external
            // PSKs (RFC 4279 suites) have no DTLS 1.3 counterpart here yet.
            reasons.add("a server with a PSK store and no certificate");
        }
        if (facts.actsAsClient() && facts.externalPsk()) {
            reasons.add("an external PSK (RFC 4279 suites, DTLS 1.2 only here)");
        }
        if (facts.resumesDtls12Session()) {
            // A DTLS 1.2 session cannot be resumed by a DTLS 1.3 handshake (RFC 8446 2.2, D.1).
            reasons.add("resuming a DTLS 1.2 session");
        }
        return reasons;
    }

    /** The versions for a configuration that names none. */
    static List<Integer> choose(Facts facts) {
        return reasonsToLeaveOutDtls13(facts).isEmpty() ? BOTH : DTLS_1_2_ONLY;
    }
}
