package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ServerTransactionExt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server side of RFC 5922: a UAS or proxy authorizes a client's SIP domain with
 * {@code extractCertIdentities()}. The method below is the snippet in README.md, "SIP over
 * DTLS-UDP", and {@link #readmeShowsThisSnippet} keeps the two identical.
 */
@Timeout(60)
class ClientDomainAuthorizationTest {

    // README snippet start
    /** Whether the client's certificate names one of the SIP domains served here (RFC 5922 7.1). */
    static boolean fromAllowedDomain(ServerTransaction st, Set<String> allowedDomains)
            throws SSLPeerUnverifiedException {
        for (String domain : ((ServerTransactionExt) st).extractCertIdentities()) {
            if (allowedDomains.contains(domain.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
    // README snippet end

    @Test
    void aClientFromAnAllowedDomainIsServedAndAnotherGets403() throws Exception {
        try (SipPeer bob = new SipPeer("bob");
             SipPeer alice = new SipPeer("alice", new Properties(), 0, List.of("sip:Alice.Example"));
             SipPeer mallory = new SipPeer("mallory", new Properties(), 0, List.of("sip:mallory.example"))) {
            bob.admission = st -> fromAllowedDomain(st, Set.of("alice.example"));
            assertEquals(200, alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob))).getStatusCode());
            assertEquals(List.of("Alice.Example"), SipPeer.ext(bob.awaitRequest(Request.OPTIONS).getServerTransaction())
                    .extractCertIdentities());
            assertEquals(403, mallory.awaitFinal(mallory.send(mallory.request(Request.OPTIONS, bob))).getStatusCode());
        }
    }

    @Test
    void readmeShowsThisSnippet() throws Exception {
        String source = Files.readString(Path.of("src/test/java/org/dtlsip/sip/ClientDomainAuthorizationTest.java"));
        String snippet = source.substring(source.indexOf("// README snippet start\n") + "// README snippet start\n".length(),
                source.indexOf("    // README snippet end"));
        String readme = Files.readString(Path.of("../README.md"));
        String unindented = snippet.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                .reduce("", (a, b) -> a + b + "\n");
        assertTrue(readme.contains(unindented), "README.md must show, verbatim:\n" + unindented);
    }
}
