package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.ClientAuthType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import javax.sip.address.Hop;
import javax.sip.message.Request;
import org.dtlsip.dtls.config.DtlsConfig;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
    @Test
    void outboundProxyWithoutPortGets5061() {
        assertEquals("proxy.example:5061/DTLS-UDP", DtlsSipStack.withDtlsProxyPort("proxy.example/DTLS-UDP"));
        assertEquals("[::1]:5061/dtls-udp", DtlsSipStack.withDtlsProxyPort("[::1]/dtls-udp"));
        assertEquals("proxy.example:5070/DTLS-UDP", DtlsSipStack.withDtlsProxyPort("proxy.example:5070/DTLS-UDP"));
        assertEquals("proxy.example/UDP", DtlsSipStack.withDtlsProxyPort("proxy.example/UDP"));
    }

    @Test
    void uriWithoutPortRoutesTo5061() throws Exception {
        try (SipPeer alice = new SipPeer("alice")) {
            Request r = alice.request(Request.OPTIONS, alice);
            ((javax.sip.address.SipURI) r.getRequestURI()).removePort();
            Hop hop = alice.stack.getRouter().getNextHop(r);
            assertEquals(5061, hop.getPort());
            assertEquals("DTLS-UDP", hop.getTransport().toUpperCase());
        }
    }

    @Test
    void propertiesBecomeDtlsConfig() throws Exception {
        Path[] cert = TestPki.get().issue("conf");
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, cert[0].toString());
        p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, cert[1].toString());
        p.setProperty(DtlsSipProperties.PEER_FINGERPRINTS, "00".repeat(32));
        p.setProperty(DtlsSipProperties.CIPHER_SUITES, "ECDHE-ECDSA-AES256-GCM-SHA384");
        p.setProperty(DtlsSipProperties.PMTU, "1200");
        p.setProperty(DtlsSipProperties.INITIAL_RETRANSMIT_MS, "250");
        p.setProperty(DtlsSipProperties.HANDSHAKE_TIMEOUT_MS, "5000");
        p.setProperty(DtlsSipProperties.IDLE_TIMEOUT_MS, "60000");
        DtlsSipProperties s = DtlsSipProperties.from(p, ClientAuthType.Enabled);
        DtlsConfig c = s.dtlsConfig();
        assertEquals(1, c.cipherSuites().size());
        assertEquals(1200, c.pmtu());
        assertEquals(250, c.initialRetransmitMillis());
        assertEquals(5000, c.handshakeTimeoutMillis());
        assertEquals(60000, s.idleTimeoutMillis());
        assertEquals(DtlsConfig.ClientAuth.NEED, c.clientAuth());
    }

    @Test
    void missingCertificateOrVerifierIsExplained() {
        IOException e = assertThrows(IOException.class, () -> DtlsSipProperties.from(new Properties(), ClientAuthType.Default));
        assertTrue(e.getMessage().contains("needs a certificate"), e.getMessage());
        Path[] cert = TestPki.get().issue("conf2");
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, cert[0].toString());
        p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, cert[1].toString());
        e = assertThrows(IOException.class, () -> DtlsSipProperties.from(p, ClientAuthType.Default));
        assertTrue(e.getMessage().contains("no way to check DTLS peers"), e.getMessage());
    }
}
