package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtlsip.dtls.record.ReturnRoutabilityCheck.MessageType;
import org.dtlsip.dtls.util.DecodeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The return_routability_check message of RFC 9853 4 (Figure 1) and its registry (10.3). */
class ReturnRoutabilityCheckCodecTest {
    @Test
    void wireFormatIsMsgTypeThenAnEightByteCookieInNetworkOrder() {
        byte[] wire = new ReturnRoutabilityCheck(MessageType.PATH_CHALLENGE, 0x0102030405060708L).encode();
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, wire);
        assertArrayEquals(new byte[] {1, -1, -1, -1, -1, -1, -1, -1, -2},
                new ReturnRoutabilityCheck(MessageType.PATH_RESPONSE, -2L).encode());
        assertEquals(27, ContentType.RETURN_ROUTABILITY_CHECK.code, "RFC 9853 10.1");
    }

    @Test
    void registryCodes() {
        assertEquals(0, MessageType.PATH_CHALLENGE.code);
        assertEquals(1, MessageType.PATH_RESPONSE.code);
        assertEquals(2, MessageType.PATH_DROP.code);
        assertEquals(3, MessageType.values().length);
    }

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void roundTrips(MessageType type) {
        for (long cookie : new long[] {0, 1, -1, Long.MIN_VALUE, 0x1122334455667788L}) {
            ReturnRoutabilityCheck m = new ReturnRoutabilityCheck(type, cookie);
            assertEquals(m, ReturnRoutabilityCheck.decode(m.encode()));
            assertEquals(ReturnRoutabilityCheck.LENGTH, m.encode().length);
        }
    }

    @Test
    void unknownTypesAreRecognisedAsSuchNotAsErrors() {
        // RFC 9853 4: "parse and gracefully ignore messages with an unknown msg_type".
        for (int code : new int[] {3, 100, 253, 254, 255}) {
            byte[] body = {(byte) code, 1, 2};
            assertFalse(ReturnRoutabilityCheck.knownType(body));
            assertThrows(DecodeException.class, () -> ReturnRoutabilityCheck.decode(body));
        }
        assertFalse(ReturnRoutabilityCheck.knownType(new byte[0]));
        assertTrue(ReturnRoutabilityCheck.knownType(new byte[] {2}));
    }

    @Test
    void knownTypesNeedExactlyTheCookie() {
        assertThrows(DecodeException.class, () -> ReturnRoutabilityCheck.decode(new byte[0]));
        assertThrows(DecodeException.class, () -> ReturnRoutabilityCheck.decode(new byte[] {0}));
        assertThrows(DecodeException.class, () -> ReturnRoutabilityCheck.decode(new byte[8]));
        DecodeException e = assertThrows(DecodeException.class, () -> ReturnRoutabilityCheck.decode(new byte[10]));
        assertTrue(e.getMessage().contains("path_challenge of 9 bytes"), e.getMessage());
    }

    @Test
    void onlyAChallengeIsAnsweredAndTheAnswerEchoesItsCookie() {
        ReturnRoutabilityCheck challenge = new ReturnRoutabilityCheck(MessageType.PATH_CHALLENGE, 42);
        assertEquals(new ReturnRoutabilityCheck(MessageType.PATH_RESPONSE, 42), challenge.answer(MessageType.PATH_RESPONSE));
        assertEquals(new ReturnRoutabilityCheck(MessageType.PATH_DROP, 42), challenge.answer(MessageType.PATH_DROP));
        assertThrows(IllegalArgumentException.class, () -> challenge.answer(MessageType.PATH_CHALLENGE));
        assertThrows(IllegalArgumentException.class,
                () -> new ReturnRoutabilityCheck(MessageType.PATH_RESPONSE, 42).answer(MessageType.PATH_RESPONSE));
    }
}
