package org.dtlsip.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TransportTest {
    @Test
    void dtlsIsAnotherNameOfDtlsUdpInAnyCase() {
        assertEquals(Transport.DTLS_UDP, Transport.parse("dtls"));
        assertEquals(Transport.DTLS_UDP, Transport.parse("DTLS"));
        assertEquals(Transport.DTLS_UDP, Transport.parse("Dtls-Udp"));
        assertEquals(Transport.UDP, Transport.parse("udp"));
    }

    @Test
    void anUnknownTransportIsAnErrorNotUdp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transport.parse("sctp"));
        assertEquals("unknown transport 'sctp': use udp, tcp, tls, dtls-udp or dtls", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Transport.parse(null));
    }
}
