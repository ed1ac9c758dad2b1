package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.EpochRelation;
import org.junit.jupiter.api.Test;

/**
 * Properties every DTLS 1.2 state's table must keep, whatever rows are edited later: what only
 * authentication may unlock stays locked before it. The engine tests show the table is obeyed;
 * these show it says the right thing.
 */
class Dtls12AcceptanceTest {
    private record Named(String state, Acceptance table, boolean established, boolean client) {
    }

    private static List<Named> all() {
        List<Named> out = new ArrayList<>();
        for (ClientHandshake.State s : ClientHandshake.State.values()) {
            out.add(new Named("client " + s, s.accepts, s == ClientHandshake.State.COMPLETE, true));
        }
        for (ServerHandshake.State s : ServerHandshake.State.values()) {
            out.add(new Named("server " + s, s.accepts, s == ServerHandshake.State.COMPLETE, false));
        }
        return out;
    }

    @Test
    void applicationDataIsReadOnlyWhenEstablishedAndOnlyInTheCurrentEpoch() {
        for (Named n : all()) {
            for (EpochRelation e : EpochRelation.values()) {
                boolean processed = n.table().rule(e, ContentType.APPLICATION_DATA).action() == Acceptance.Action.PROCESS;
                assertEquals(n.established() && e == EpochRelation.CURRENT, processed, n.state() + " " + e);
            }
        }
    }

    @Test
    void aChangeCipherSpecIsReadOnlyWhereOneIsDue() {
        for (Named n : all()) {
            for (EpochRelation e : EpochRelation.values()) {
                Acceptance.Rule r = n.table().rule(e, ContentType.CHANGE_CIPHER_SPEC);
                boolean due = n.state().endsWith("WAIT_CHANGE_CIPHER_SPEC") && e == EpochRelation.CURRENT;
                assertEquals(due, r.action() == Acceptance.Action.PROCESS, n.state() + " " + e);
                if (!due && e != EpochRelation.NEXT) {
                    assertEquals(Acceptance.Action.DISCARD, r.action(), n.state() + " " + e + ": discarded, never alerted");
                }
            }
        }
    }

    @Test
    void oldEpochsOnlyRepeatAndFutureOnesAreHeldOnlyBeforeTheKeysChange() {
        for (Named n : all()) {
            for (ContentType t : ContentType.values()) {
                Acceptance.Action previous = n.table().rule(EpochRelation.PREVIOUS, t).action();
                assertEquals(t == ContentType.HANDSHAKE ? Acceptance.Action.REPEATS_ONLY : Acceptance.Action.DISCARD,
                        previous, n.state() + " " + t);
                assertEquals(Acceptance.Action.DISCARD, n.table().rule(EpochRelation.OTHER, t).action());
                Acceptance.Action next = n.table().rule(EpochRelation.NEXT, t).action();
                boolean beforeKeysChange = !n.established() && !n.state().endsWith("WAIT_FINISHED");
                assertEquals(beforeKeysChange ? Acceptance.Action.BUFFER : Acceptance.Action.DISCARD, next, n.state() + " " + t);
            }
        }
    }

    @Test
    void heartbeatsAndNestedConnectionIdRecordsAreNeverRead() {
        for (Named n : all()) {
            for (EpochRelation e : EpochRelation.values()) {
                for (ContentType t : List.of(ContentType.HEARTBEAT, ContentType.TLS12_CID)) {
                    assertNotEquals(Acceptance.Action.PROCESS, n.table().rule(e, t).action(), n.state() + " " + e + " " + t);
                }
            }
        }
    }

    @Test
    void onlyANegotiatingClientIgnoresHelloRequestAndEveryStateNamesItsSource() {
        for (Named n : all()) {
            boolean ignores = n.table().ignores(HandshakeType.HELLO_REQUEST);
            assertEquals(n.client() && !n.established(), ignores, n.state());
            assertFalse(n.table().messagesRfc().isBlank(), n.state());
            for (EpochRelation e : EpochRelation.values()) {
                for (ContentType t : ContentType.values()) {
                    assertTrue(n.table().rule(e, t).rfc().startsWith("RFC "), n.state() + " " + e + " " + t);
                }
            }
        }
    }

    @Test
    void aTableMustDecideEveryRecord() {
        Acceptance.Builder partial = Acceptance.builder().on(EpochRelation.CURRENT, ContentType.HANDSHAKE,
                Acceptance.Action.PROCESS, "RFC 6347 4.2.2");
        IllegalStateException e = assertThrows(IllegalStateException.class, partial::build);
        assertTrue(e.getMessage().startsWith("no rule for"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Acceptance.builder()
                .discard(EpochRelation.CURRENT, ContentType.ALERT, null, "RFC 6347 4.1.2.7"));
        IllegalArgumentException notHandshake = assertThrows(IllegalArgumentException.class, () -> new Acceptance.Rule(
                EpochRelation.PREVIOUS, ContentType.ALERT, Acceptance.Action.REPEATS_ONLY, DropReason.UNEXPECTED_EPOCH, "x"));
        assertTrue(notHandshake.getMessage().contains("handshake records only"), notHandshake.getMessage());
    }
}
