package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An outbound proxy with loose routing (RFC 3261 8.1.2, 16.12): the UAC's REGISTER and INVITE
 * carry a Route to the proxy; the proxy Record-Routes, so the ACK for the 2xx and the BYE come
 * back through it (12.2.1.1). DTLS-UDP on both legs; the digest challenges pass through too.
 */
@Timeout(90)
class ProxyTest {
    @Test
    void registerAndCallThroughARecordRoutingProxy() throws Exception {
        Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
        Credentials proxyCreds = Credentials.of(null, null, "test-proxy", null, List.of(uasCreds.fingerprint()));
        Captured uasOut = new Captured();
        try (Uas uas = Uas.start(uasCreds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream,
                new Uas.Auth("dtlsip.test", Map.of("alice", "wonderland")));
                TestProxy proxy = new TestProxy(proxyCreds)) {
            Captured out = new Captured();
            int rc = SampleUac.run(new String[] {
                "--target", "sip:alice@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp",
                "--proxy", proxy.uri(), "--user", "alice", "--password", "wonderland", "--register",
                "--calls", "2", "--hold-ms", "0", "--fingerprint", proxyCreds.fingerprint(), "--no-progress"},
                    out.stream, out.stream);
            assertEquals(0, rc, out.text() + "\nproxy forwarded " + proxy.forwarded + "\n" + uasOut.text());
            assertTrue(out.text().contains("2 ok, 0 failed"), out.text());
            assertTrue(out.text().contains("DTLS handshake with 127.0.0.1:" + proxy.port() + " complete"),
                    "the UAC's only DTLS peer is the proxy:\n" + out.text());

            // REGISTER: challenged, registered, unregistered; INVITE challenged once then sent
            // with the nonce learned; ACK and BYE by the Record-Route.
            assertTrue(proxy.count("REGISTER") >= 3, proxy.forwarded.toString());
            assertTrue(proxy.count("INVITE") >= 2, proxy.forwarded.toString());
            assertEquals(2, proxy.count("ACK"), "the ACKs for the 2xx follow the route set: " + proxy.forwarded);
            assertEquals(2, proxy.count("BYE"), "the BYEs follow the route set: " + proxy.forwarded);
            assertTrue(uasOut.text().contains("call 1 over DTLS-UDP from 127.0.0.1:" + proxy.port() + ": INVITE 200, ACK, BYE 200"),
                    "the UAS hears the proxy:\n" + uasOut.text());
        }
    }

    @Test
    void aProxyWithoutLrOrOnAnotherTransportIsAUsageError() {
        Captured a = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:alice@127.0.0.1:5061;transport=dtls-udp",
            "--proxy", "sip:127.0.0.1:5071;transport=dtls-udp"}, a.stream, a.stream));
        assertEquals("sample-uac: --proxy sip:127.0.0.1:5071;transport=dtls-udp has no ;lr: only loose routers are supported "
                + "(RFC 3261 16.12)", a.text().trim());
        Captured b = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:alice@127.0.0.1:5061;transport=dtls-udp",
            "--proxy", "sip:127.0.0.1:5071;transport=udp;lr"}, b.stream, b.stream));
        assertEquals("sample-uac: --proxy is on udp but the call is on dtls-udp: give the proxy ;transport=dtls-udp",
                b.text().trim());
    }
}
