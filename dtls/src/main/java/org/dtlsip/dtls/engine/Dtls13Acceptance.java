package org.dtlsip.dtls.engine;

import static org.dtlsip.dtls.engine.Acceptance.Action.DISCARD;
import static org.dtlsip.dtls.engine.Acceptance.Action.PROCESS;
import static org.dtlsip.dtls.record.ContentType.ACK;
import static org.dtlsip.dtls.record.ContentType.ALERT;
import static org.dtlsip.dtls.record.ContentType.APPLICATION_DATA;
import static org.dtlsip.dtls.record.ContentType.HANDSHAKE;
import static org.dtlsip.dtls.record.ContentType.RETURN_ROUTABILITY_CHECK;
import static org.dtlsip.dtls.record.EpochRelation.CURRENT;
import static org.dtlsip.dtls.record.EpochRelation.NEXT;
import static org.dtlsip.dtls.record.EpochRelation.OTHER;
import static org.dtlsip.dtls.record.EpochRelation.PREVIOUS;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.DropReason;

/**
 * The DTLS 1.3 acceptance tables (RFC 9147 with RFC 8446), in the shape of
 * {@link Dtls12Acceptance}. The current epoch is the newest read epoch: 0 while the hellos are
 * exchanged, 2 for the rest of the handshake, 3 and up once it is complete; the previous one is
 * the epoch before (0 during the handshake, 2 or the last application epoch after it). The
 * epoch of a protected record is known only once it authenticates (its header carries two
 * bits, RFC 9147 4.2.2), so these rules are applied after deprotection and before any body is
 * parsed.
 *
 * <pre>
 * phase        epoch     handshake           alert     ack       application_data
 * HELLO        current   the state's types   process   discard*  discard
 * HANDSHAKE    current   the state's types   process   process   discard
 * ESTABLISHED  current   the state's types   process   process   process
 * UPDATED      current   the state's types   process   process   process
 * HANDSHAKE,
 * ESTABLISHED  previous  repeats only        process   process   discard
 * HANDSHAKE    previous  repeats only        discard*  discard*  discard
 * UPDATED      previous  repeats only        process   process   process
 * all          next      discard             discard   discard   discard
 * all          other     discard             discard   discard   discard
 * </pre>
 * (*) nothing in plaintext epoch 0 is read after the hellos but repeats of the peer's hello
 * flight (anyone can forge an alert or an ACK there), and no ACK is read in epoch 0 at all:
 * a forged one would stop our retransmissions. Once established, the previous epoch (2, or the
 * application epoch before a KeyUpdate) still carries the peer's alerts and ACKs. ChangeCipherSpec (RFC 9147 5: no middlebox compatibility mode),
 * heartbeat and tls12_cid are discarded everywhere.
 */
final class Dtls13Acceptance {
    /** Where a state stands in the key schedule. */
    enum Phase {
        /** Reading epoch 0: ClientHello, ServerHello or HelloRetryRequest. */
        HELLO,
        /** Reading epoch 2: EncryptedExtensions through Finished. */
        HANDSHAKE,
        /** Both Finished verified: epoch 3, post-handshake messages and application data; epoch 2 is the previous one. */
        ESTABLISHED,
        /**
         * After a KeyUpdate from the peer (RFC 9147 8): the previous epoch is an application epoch
         * whose records may still arrive, reordered, and are read.
         */
        UPDATED
    }

    private Dtls13Acceptance() {
    }

    static Acceptance of(Phase phase, String rfc, HandshakeType... messages) {
        Acceptance.Builder b = Acceptance.builder().messages(rfc, messages)
                .all(OTHER, DISCARD, DropReason.UNEXPECTED_EPOCH, "RFC 9147 4.2.2: no keys for that epoch")
                .all(NEXT, DISCARD, DropReason.UNEXPECTED_EPOCH, "RFC 9147 4.2.2: keys not derived yet")
                .all(CURRENT, DISCARD, DropReason.UNKNOWN_CONTENT_TYPE, "RFC 9147 4.5.2: not a DTLS 1.3 content type here")
                .on(CURRENT, HANDSHAKE, PROCESS, "RFC 9147 5")
                .on(CURRENT, ALERT, PROCESS, "RFC 8446 6")
                .on(CURRENT, ACK, PROCESS, "RFC 9147 7")
                .discard(CURRENT, APPLICATION_DATA, DropReason.APPLICATION_DATA_BEFORE_HANDSHAKE,
                        "RFC 8446 2: application data only under the application traffic keys")
                .all(PREVIOUS, DISCARD, DropReason.UNEXPECTED_EPOCH, "RFC 9147 4.2.1: stale epoch")
                .repeatsOnly(PREVIOUS, DropReason.UNEXPECTED_EPOCH,
                        "RFC 9147 5.8: the peer's repeats tell us our flight was lost; new messages come in the new epoch")
                .discard(PREVIOUS, ACK, DropReason.UNAUTHENTICATED_ACK,
                        "RFC 9147 7: an ACK in plaintext epoch 0 authenticates nothing");
        if (phase == Phase.HELLO) {
            b.discard(CURRENT, ACK, DropReason.UNAUTHENTICATED_ACK, "RFC 9147 7: an ACK in plaintext epoch 0 authenticates nothing");
        }
        if (phase == Phase.UPDATED) {
            b.on(PREVIOUS, APPLICATION_DATA, PROCESS, "RFC 9147 8: the old keys are kept for reordered records");
        }
        if (phase == Phase.ESTABLISHED || phase == Phase.UPDATED) {
            b.on(PREVIOUS, ACK, PROCESS, "RFC 9147 7: the peer may acknowledge from the epoch it still writes");
            b.on(CURRENT, APPLICATION_DATA, PROCESS, "RFC 9147 6.1: epoch 3 and up carry application data");
            b.on(CURRENT, RETURN_ROUTABILITY_CHECK, PROCESS,
                    "RFC 9853 4: under the currently active keys, once rrc was agreed");
            b.on(PREVIOUS, ALERT, PROCESS, "RFC 8446 6: a peer still writing epoch 2 may alert or close");
        }
        return b.build();
    }
}
