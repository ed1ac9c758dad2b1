package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link NewHandshakeRule} reads a record header before any engine does; it must read bytes 3
 * and 4 as an epoch only where they are one (RFC 6347 4.1), never in a DTLS 1.3 unified header
 * (RFC 9147 4.1), where they belong to a connection ID, the sequence number or the length.
 */
class NewHandshakeRuleTest {
    @Test
    void plaintextEpochZeroGoesToTheNewHandshakeOnly() {
        byte[] d = new byte[40];
        d[0] = 22; // handshake, DTLSPlaintext
        d[1] = (byte) 0xfe;
        d[2] = (byte) 0xfd;
        assertTrue(NewHandshakeRule.forNewHandshakeOnly(d, d.length));
        d[4] = 1; // epoch 1
        assertFalse(NewHandshakeRule.forNewHandshakeOnly(d, d.length));
    }

    @Test
    void unifiedHeaderWithZeroesWhereAnEpochWouldBeStillReachesTheOldAssociation() {
        for (int first = 0x20; first <= 0x3f; first++) {
            byte[] d = new byte[40]; // C/S/L bits and epoch bits as they come; bytes 1-4 all zero
            d[0] = (byte) first;
            assertFalse(NewHandshakeRule.forNewHandshakeOnly(d, d.length), Integer.toHexString(first));
            assertFalse(NewHandshakeRule.looksLikeInitialClientHello(d, d.length), Integer.toHexString(first));
        }
    }
}
