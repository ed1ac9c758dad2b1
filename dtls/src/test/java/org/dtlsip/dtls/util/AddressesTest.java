package org.dtlsip.dtls.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Addresses print as people write them (RFC 5952 4 for IPv6, brackets before a port). */
class AddressesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | 4433 | 127.0.0.1:4433",
        "::1 | 5108 | [::1]:5108",
        "0:0:0:0:0:0:0:0 | 1 | [::]:1",
        "2001:db8:0:0:1:0:0:1 | 5061 | [2001:db8::1:0:0:1]:5061",
        "2001:0db8:0000:0001:0001:0001:0001:0001 | 5061 | [2001:db8:0:1:1:1:1:1]:5061",
        "2001:db8:0:0:0:0:2:1 | 80 | [2001:db8::2:1]:80",
        "fe80:0:0:0:0:0:0:0 | 80 | [fe80::]:80",
        "1:0:0:2:0:0:0:3 | 80 | [1:0:0:2::3]:80",
    })
    void formatsLikeRfc5952(String ip, int port, String expected) throws Exception {
        assertEquals(expected, Addresses.format(new InetSocketAddress(InetAddress.getByName(ip), port)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"nosuchhost.invalid | 4433 | nosuchhost.invalid:4433"})
    void unresolvedKeepsTheName(String host, int port, String expected) {
        assertEquals(expected, Addresses.format(InetSocketAddress.createUnresolved(host, port)));
    }
}
