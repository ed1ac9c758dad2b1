package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16: a UAC calling a UDP or DTLS-UDP port where nothing listens fails at once with that
 * reason (the ICMP port unreachable its probe draws, {@link PortProbe}), every call of the run,
 * rather than waiting for {@code --timeout-ms} or the INVITE's timer B (64*T1 = 32 s, RFC 3261
 * 17.1.1.2) per call. The test's timeout is below timer B: waiting for either would fail it.
 */
@Timeout(25)
class UnreachableTargetTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transport.class, names = {"UDP", "DTLS_UDP"})
    void callsToAPortNothingListensOnFailAtOnceNamingTheTargetAndTheFix(Transport t) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free again once closed: nothing listens there
        }
        String pin = Credentials.fingerprintOf(SelfSigned.ecdsa("nobody", NamedGroup.SECP256R1).leaf());
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + port + ";transport=" + t.uriParam(),
            "--fingerprint", pin, "--calls", "3", "--timeout-ms", "600000", "--no-progress"}, out.stream, out.stream);
        assertEquals(1, rc, out.text());
        String reason = "nothing listens on " + t.uriParam() + " 127.0.0.1:" + port + " (ICMP port unreachable): "
                + "is sample-uas running on 127.0.0.1:" + port + "?";
        assertTrue(out.text().contains("uac: calls          0 ok, 3 failed (of 3,"), out.text());
        assertEquals(List.of("uac:   failed    3  " + reason),
                out.text().lines().filter(l -> l.startsWith("uac:   failed")).toList(), out.text());
    }
}
