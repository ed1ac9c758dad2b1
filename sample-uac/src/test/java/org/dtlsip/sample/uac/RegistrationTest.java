package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Registration and digest authentication between the samples over DTLS-UDP (RFC 3261 10 and
 * 22, RFC 8760): the UAS challenges REGISTER and INVITE and is the registrar of its domain;
 * the UAC answers the challenges, registers, refreshes and unregisters.
 */
@Timeout(90)
class RegistrationTest {
    private static final Map<String, String> ACCOUNTS = Map.of("alice", "wonderland", "bob", "builder");

    private static int uac(String... args) {
        return SampleUac.run(args, System.out, System.out);
    }

    @Test
    void registerCallRefreshUnregisterAnd404ForOthers() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        try (Uas uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream,
                new Uas.Auth("dtlsip.test", ACCOUNTS))) {
            String host = "127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp";
            String[] common = {"--fingerprint", creds.fingerprint(), "--no-progress", "--hold-ms", "0", "--timeout-ms", "5000"};

            Captured anonymous = new Captured();
            assertEquals(1, SampleUac.run(concat(new String[] {"--target", "sip:alice@" + host}, common), anonymous.stream,
                    anonymous.stream), anonymous.text());
            assertTrue(anonymous.text().contains("INVITE answered 401 Unauthorized (give --user and --password)"), anonymous.text());

            Captured wrong = new Captured();
            assertEquals(1, SampleUac.run(concat(new String[] {"--target", "sip:alice@" + host, "--user", "alice", "--password",
                "guess"}, common), wrong.stream, wrong.stream), wrong.text());
            assertTrue(wrong.text().contains("INVITE answered 401 Unauthorized (credentials of alice refused)"), wrong.text());

            Captured notYet = new Captured();
            assertEquals(1, SampleUac.run(concat(new String[] {"--target", "sip:alice@" + host, "--user", "bob", "--password",
                "builder"}, common), notYet.stream, notYet.stream), notYet.text());
            assertTrue(notYet.text().contains("INVITE answered 404 Not found"), "alice has not registered:\n" + notYet.text());

            // alice registers for 2 s, calls for longer than that (the binding is refreshed), and
            // unregisters at exit.
            Captured alice = new Captured();
            int rc = SampleUac.run(new String[] {"--target", "sip:alice@" + host, "--user", "alice", "--password", "wonderland",
                "--register", "--expires", "2", "--calls", "3", "--hold-ms", "1000", "--fingerprint", creds.fingerprint(),
                "--no-progress"}, alice.stream, alice.stream);
            assertEquals(0, rc, alice.text());
            assertTrue(alice.text().contains("3 ok, 0 failed"), alice.text());
            assertTrue(alice.text().contains("uac: registered sip:alice@127.0.0.1:"), alice.text());
            Matcher m = Pattern.compile("uac: unregistered sip:alice@\\S+ \\((\\d+) refresh").matcher(alice.text());
            assertTrue(m.find(), alice.text());
            assertTrue(Integer.parseInt(m.group(1)) >= 1, "refreshed before its 2 s ran out:\n" + alice.text());
            assertTrue(uasOut.text().contains("uas: alice registered sip:alice@127.0.0.1:"), uasOut.text());
            assertTrue(uasOut.text().contains("uas: alice unregistered sip:alice@127.0.0.1:"), uasOut.text());

            Captured after = new Captured();
            assertEquals(1, SampleUac.run(concat(new String[] {"--target", "sip:alice@" + host, "--user", "bob", "--password",
                "builder"}, common), after.stream, after.stream), after.text());
            assertTrue(after.text().contains("INVITE answered 404 Not found"), "unregistered:\n" + after.text());
        }
    }

    /** A nonce past its lifetime with the right password: stale=true, and the UAC retries without failing the call. */
    @Test
    void staleNoncesAreRenewedWithoutFailingACall() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        try (Uas uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, true, uasOut.stream,
                new Uas.Auth("dtlsip.test", ACCOUNTS, 1_000))) {
            Captured out = new Captured();
            int rc = SampleUac.run(new String[] {"--target", "sip:bob@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp",
                "--user", "bob", "--password", "builder", "--register", "--expires", "60", "--calls", "2", "--hold-ms", "1200",
                "--fingerprint", creds.fingerprint(), "--no-progress"}, out.stream, out.stream);
            assertEquals(0, rc, out.text());
            assertTrue(out.text().contains("2 ok, 0 failed"), out.text());
            // REGISTER challenged once; the first INVITE reuses that nonce; the second, 1.2 s
            // later, meets stale=true; the unREGISTER at exit too.
            String summary = uas.summary();
            Matcher m = Pattern.compile("401 (\\d+)").matcher(summary);
            assertTrue(m.find(), summary);
            assertTrue(Integer.parseInt(m.group(1)) >= 2, "a stale challenge besides the first:\n" + summary);
        }
    }

    @Test
    void usageErrors() {
        Captured c = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:alice@127.0.0.1", "--register"}, c.stream, c.stream));
        assertEquals("sample-uac: --register needs --user and --password", c.text().trim());
        Captured d = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:alice@127.0.0.1", "--user", "alice"}, d.stream, d.stream));
        assertEquals("sample-uac: give both --user and --password", d.text().trim());
        Captured e = new Captured();
        assertEquals(2, org.dtlsip.sample.uas.SampleUas.run(new String[] {"--auth", "alice"}, e.stream, e.stream,
                new java.util.concurrent.CountDownLatch(0)));
        assertEquals("sample-uas: --auth wants USER:PASSWORD, got 'alice'", e.text().trim());
        Captured f = new Captured();
        assertEquals(2, org.dtlsip.sample.uas.SampleUas.run(new String[] {"--realm", "x"}, f.stream, f.stream,
                new java.util.concurrent.CountDownLatch(0)));
        assertEquals("sample-uas: --realm needs --auth USER:PASSWORD", f.text().trim());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
