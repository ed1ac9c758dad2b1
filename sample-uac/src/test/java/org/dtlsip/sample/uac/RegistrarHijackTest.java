package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.digest.DigestClient;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15 review, the registrar as an attacker with an account would try it (RFC 3261 10.3
 * step 6): bob, authenticated with his own password, cannot bind a contact to alice's
 * address-of-record (403); alice can; and bob's registration of his own AOR goes through.
 */
@Timeout(60)
class RegistrarHijackTest {
    private static final Map<String, String> ACCOUNTS = Map.of("alice", "wonderland", "bob", "builder");

    @Test
    void anAuthenticatedUserCannotRegisterAnotherUsersAddressOfRecord() throws Exception {
        Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured out = new Captured();
        try (Uas uas = Uas.start(uasCreds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, true, out.stream,
                new Uas.Auth("dtlsip.test", ACCOUNTS));
                UasMethodsTest.Client client = new UasMethodsTest.Client(Transport.DTLS_UDP,
                        Credentials.of(null, null, "registrar-hijack-test", null, List.of(uasCreds.fingerprint())))) {
            assertEquals(403, register(client, uas, "alice", "bob", "builder"), "bob binding alice's AOR");
            assertEquals(200, register(client, uas, "bob", "bob", "builder"), "bob's own AOR");
            assertEquals(200, register(client, uas, "alice", "alice", "wonderland"), "alice's own AOR");
        }
    }

    /** REGISTER of {@code aor}@127.0.0.1 with {@code user}'s credentials; the final status. */
    private static int register(UasMethodsTest.Client client, Uas uas, String aor, String user, String password) throws Exception {
        Request r = client.request(uas, Request.REGISTER, null, null);
        SipURI registrar = client.sip.addresses.createSipURI(null, "127.0.0.1");
        registrar.setPort(uas.port(Transport.DTLS_UDP));
        registrar.setTransportParam(Transport.DTLS_UDP.uriParam());
        r.setRequestURI(registrar);
        ToHeader to = client.sip.headers.createToHeader(
                client.sip.addresses.createAddress(client.sip.addresses.createSipURI(aor, "127.0.0.1")), null);
        r.setHeader(to);
        Response challenge = client.send(r).finalResponse();
        assertEquals(401, challenge.getStatusCode());
        DigestClient digest = new DigestClient(user, password, client.sip.headers);
        assertTrue(digest.learn(r, challenge));
        Request again = (Request) r.clone();
        ((CSeqHeader) again.getHeader(CSeqHeader.NAME)).setSeqNumber(2);
        ((ViaHeader) again.getHeader(ViaHeader.NAME)).removeParameter("branch");
        digest.authorize(again);
        return client.send(again).finalResponse().getStatusCode();
    }
}
