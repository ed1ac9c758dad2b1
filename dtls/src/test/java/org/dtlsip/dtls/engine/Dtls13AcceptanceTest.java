package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.EpochRelation;
import org.junit.jupiter.api.Test;

/**
 * Properties every DTLS 1.3 state's table keeps (RFC 9147, RFC 8446), as
 * {@link Dtls12AcceptanceTest} does for DTLS 1.2, and the state x message table itself: which
 * handshake messages each state processes; every other type is unexpected_message.
 */
class Dtls13AcceptanceTest {
    private record Named(String state, Acceptance table, boolean client) {
        boolean established() {
            return state.startsWith("CONNECTED");
        }

        boolean hello() {
            return state.startsWith("EXPECT_SERVER_HELLO") || state.startsWith("EXPECT_CLIENT_HELLO");
        }
    }

    private static List<Named> all() {
        List<Named> out = new ArrayList<>();
        Tls13Client.tables().forEach((s, t) -> out.add(new Named(s, t, true)));
        Tls13Server.tables().forEach((s, t) -> out.add(new Named(s, t, false)));
        return out;
    }

    private static Acceptance.Action action(Named n, EpochRelation e, ContentType t) {
        return n.table().rule(e, t).action();
    }

    /** The state x message table (RFC 8446 2, 4): each state processes exactly these types. */
    @Test
    void eachStateProcessesExactlyItsMessages() {
        Map<String, Set<HandshakeType>> expected = Map.ofEntries(
                Map.entry("client EXPECT_SERVER_HELLO", Set.of(HandshakeType.SERVER_HELLO)),
                Map.entry("client EXPECT_ENCRYPTED_EXTENSIONS", Set.of(HandshakeType.ENCRYPTED_EXTENSIONS)),
                Map.entry("client EXPECT_CERTIFICATE_OR_REQUEST", Set.of(HandshakeType.CERTIFICATE_REQUEST, HandshakeType.CERTIFICATE)),
                Map.entry("client EXPECT_CERTIFICATE", Set.of(HandshakeType.CERTIFICATE)),
                Map.entry("client EXPECT_CERTIFICATE_VERIFY", Set.of(HandshakeType.CERTIFICATE_VERIFY)),
                Map.entry("client EXPECT_FINISHED", Set.of(HandshakeType.FINISHED)),
                Map.entry("client CONNECTED", Set.of(HandshakeType.NEW_SESSION_TICKET, HandshakeType.KEY_UPDATE)),
                Map.entry("client CONNECTED_UPDATED", Set.of(HandshakeType.NEW_SESSION_TICKET, HandshakeType.KEY_UPDATE)),
                Map.entry("server EXPECT_CLIENT_HELLO", Set.of(HandshakeType.CLIENT_HELLO)),
                Map.entry("server EXPECT_CLIENT_HELLO_RETRY", Set.of(HandshakeType.CLIENT_HELLO)),
                Map.entry("server EXPECT_CLIENT_CERTIFICATE", Set.of(HandshakeType.CERTIFICATE)),
                Map.entry("server EXPECT_CLIENT_CERTIFICATE_VERIFY", Set.of(HandshakeType.CERTIFICATE_VERIFY)),
                Map.entry("server EXPECT_CLIENT_FINISHED", Set.of(HandshakeType.FINISHED)),
                Map.entry("server CONNECTED", Set.of(HandshakeType.KEY_UPDATE)),
                Map.entry("server CONNECTED_UPDATED", Set.of(HandshakeType.KEY_UPDATE)));
        List<Named> all = all();
        assertEquals(expected.size(), all.size());
        for (Named n : all) {
            String key = (n.client() ? "client " : "server ") + n.state();
            assertEquals(expected.get(key), n.table().messages(), key);
            for (HandshakeType t : HandshakeType.values()) {
                assertEquals(expected.get(key).contains(t), n.table().accepts(t), key + " " + t);
            }
            assertTrue(n.table().ignored().isEmpty(), key + ": DTLS 1.3 ignores no handshake message");
        }
    }

    @Test
    void applicationDataOnlyOnceEstablishedAndThePreviousEpochOnlyAfterAKeyUpdate() {
        for (Named n : all()) {
            for (EpochRelation e : EpochRelation.values()) {
                boolean processed = action(n, e, ContentType.APPLICATION_DATA) == Acceptance.Action.PROCESS;
                boolean expected = n.established() && (e == EpochRelation.CURRENT
                        || (e == EpochRelation.PREVIOUS && n.state().endsWith("UPDATED")));
                assertEquals(expected, processed, n.state() + " " + e);
            }
        }
    }

    /** RFC 9147 7: an ACK in plaintext epoch 0 could stop our retransmissions; none is read there. */
    @Test
    void acksAreReadOnlyUnderProtection() {
        for (Named n : all()) {
            // The current epoch is 0 only in the hello states; the previous is 0 until established.
            assertEquals(!n.hello(), action(n, EpochRelation.CURRENT, ContentType.ACK) == Acceptance.Action.PROCESS, n.state());
            assertEquals(n.established(), action(n, EpochRelation.PREVIOUS, ContentType.ACK) == Acceptance.Action.PROCESS,
                    n.state());
        }
    }

    @Test
    void plaintextAlertsAreReadOnlyBeforeKeysAndPreviousEpochsOnlyRepeat() {
        for (Named n : all()) {
            assertEquals(n.established(), action(n, EpochRelation.PREVIOUS, ContentType.ALERT) == Acceptance.Action.PROCESS,
                    n.state());
            assertEquals(Acceptance.Action.REPEATS_ONLY, action(n, EpochRelation.PREVIOUS, ContentType.HANDSHAKE), n.state());
            for (ContentType t : ContentType.values()) {
                assertEquals(Acceptance.Action.DISCARD, action(n, EpochRelation.OTHER, t), n.state() + " " + t);
                assertEquals(Acceptance.Action.DISCARD, action(n, EpochRelation.NEXT, t), n.state() + " " + t);
                assertNotEquals(Acceptance.Action.BUFFER, action(n, EpochRelation.CURRENT, t), n.state() + " " + t);
            }
        }
    }

    /** RFC 9147 5: no middlebox compatibility mode, so no ChangeCipherSpec; heartbeat and tls12_cid are not DTLS 1.3's. */
    @Test
    void changeCipherSpecHeartbeatAndTls12CidAreNeverRead() {
        for (Named n : all()) {
            for (EpochRelation e : EpochRelation.values()) {
                for (ContentType t : List.of(ContentType.CHANGE_CIPHER_SPEC, ContentType.HEARTBEAT, ContentType.TLS12_CID)) {
                    assertEquals(Acceptance.Action.DISCARD, action(n, e, t), n.state() + " " + e + " " + t);
                }
                for (ContentType t : ContentType.values()) {
                    assertTrue(n.table().rule(e, t).rfc().startsWith("RFC "), n.state() + " " + e + " " + t);
                }
            }
            assertFalse(n.table().messagesRfc().isBlank(), n.state());
        }
    }
}
