package org.dtlsip.dtls.engine;

import static org.dtlsip.dtls.engine.Acceptance.Action.BUFFER;
import static org.dtlsip.dtls.engine.Acceptance.Action.DISCARD;
import static org.dtlsip.dtls.engine.Acceptance.Action.PROCESS;
import static org.dtlsip.dtls.record.ContentType.ALERT;
import static org.dtlsip.dtls.record.ContentType.APPLICATION_DATA;
import static org.dtlsip.dtls.record.ContentType.CHANGE_CIPHER_SPEC;
import static org.dtlsip.dtls.record.ContentType.HANDSHAKE;
import static org.dtlsip.dtls.record.ContentType.HEARTBEAT;
import static org.dtlsip.dtls.record.ContentType.RETURN_ROUTABILITY_CHECK;
import static org.dtlsip.dtls.record.ContentType.TLS12_CID;
import static org.dtlsip.dtls.record.EpochRelation.CURRENT;
import static org.dtlsip.dtls.record.EpochRelation.NEXT;
import static org.dtlsip.dtls.record.EpochRelation.OTHER;
import static org.dtlsip.dtls.record.EpochRelation.PREVIOUS;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.DropReason;

/**
 * The DTLS 1.2 acceptance tables. Every state of {@link ClientHandshake.State} and
 * {@link ServerHandshake.State} is in one of four phases and names the handshake messages it
 * processes; the phase decides everything else. Read epoch 0 is plaintext; after the peer's
 * ChangeCipherSpec the read epoch is 1 and epoch 0 is the previous one (no renegotiation, so
 * there is never an epoch 2).
 *
 * <pre>
 * phase               epoch     handshake          ChangeCipherSpec  alert     application_data
 * PLAINTEXT           current   the state's types  discard           process   discard
 * CHANGE_CIPHER_SPEC  current   (none)             process           process   discard
 *   both              next      buffer             buffer            buffer    buffer
 * ENCRYPTED           current   Finished           discard           process   discard
 * ESTABLISHED         current   refused renego.    discard           process   process
 *   both              previous  repeats only       discard           discard   discard
 * all                 other     discard            discard           discard   discard
 * </pre>
 *
 * return_routability_check records (RFC 9853) are processed only when ESTABLISHED, in the
 * current epoch (the engine then drops them unless rrc was agreed), and discarded elsewhere.
 * Heartbeat records are discarded everywhere (never negotiated), and a tls12_cid record whose
 * inner type claims tls12_cid again is discarded. A client also ignores HelloRequest until
 * its handshake completes.
 */
final class Dtls12Acceptance {
    /** Where a state stands relative to the peer's ChangeCipherSpec. */
    enum Phase {
        /** Reading epoch 0; the peer's ChangeCipherSpec is not due yet. */
        PLAINTEXT,
        /** Reading epoch 0; the peer's ChangeCipherSpec is the next thing due. */
        CHANGE_CIPHER_SPEC,
        /** Reading epoch 1; the peer's Finished is due. */
        ENCRYPTED,
        /** Both Finished messages verified. */
        ESTABLISHED
    }

    private Dtls12Acceptance() {
    }

    /** A client state's table: as {@link #server}, and a HelloRequest is ignored while negotiating. */
    static Acceptance client(Phase phase, String rfc, HandshakeType... messages) {
        Acceptance.Builder b = rows(phase, rfc, messages);
        if (phase != Phase.ESTABLISHED) {
            b.ignore("RFC 5246 7.4.1.1: ignored by a client that is negotiating", HandshakeType.HELLO_REQUEST);
        }
        return b.build();
    }

    static Acceptance server(Phase phase, String rfc, HandshakeType... messages) {
        return rows(phase, rfc, messages).build();
    }

    private static Acceptance.Builder rows(Phase phase, String rfc, HandshakeType... messages) {
        boolean encrypted = phase == Phase.ENCRYPTED || phase == Phase.ESTABLISHED;
        Acceptance.Builder b = Acceptance.builder().messages(rfc, messages)
                .all(OTHER, DISCARD, DropReason.UNEXPECTED_EPOCH, "RFC 6347 4.1: no keys for that epoch")
                // First, so that a content type added for DTLS 1.3 (ack) is discarded here.
                .all(CURRENT, DISCARD, DropReason.UNKNOWN_CONTENT_TYPE, "RFC 6347 4.1.2.7: not a DTLS 1.2 content type")
                .on(CURRENT, HANDSHAKE, PROCESS, "RFC 6347 4.2.2")
                .on(CURRENT, ALERT, PROCESS, "RFC 5246 7.2")
                .discard(CURRENT, CHANGE_CIPHER_SPEC, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC,
                        "RFC 5246 7.1: only between the key exchange and Finished; RFC 6347 4.1.2.7")
                .discard(CURRENT, APPLICATION_DATA, DropReason.APPLICATION_DATA_BEFORE_HANDSHAKE,
                        "RFC 5246 7.4.9: application data only after Finished")
                .discard(CURRENT, HEARTBEAT, DropReason.HEARTBEAT, "RFC 6520 2: never negotiated")
                .discard(CURRENT, TLS12_CID, DropReason.UNKNOWN_CONTENT_TYPE, "RFC 9146 4: never an inner type")
                .discard(CURRENT, RETURN_ROUTABILITY_CHECK, DropReason.RRC_NOT_NEGOTIATED,
                        "RFC 9853 4: only under the security context of a completed handshake")
                .all(PREVIOUS, DISCARD, DropReason.UNEXPECTED_EPOCH, "RFC 6347 4.1: stale or forged")
                .discard(PREVIOUS, CHANGE_CIPHER_SPEC, DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC,
                        "RFC 6347 4.1.2.7: a repeated or spoofed ChangeCipherSpec")
                .discard(PREVIOUS, APPLICATION_DATA, DropReason.APPLICATION_DATA_BEFORE_HANDSHAKE,
                        "RFC 5246 7.4.9: never in epoch 0")
                .repeatsOnly(PREVIOUS, DropReason.UNEXPECTED_EPOCH,
                        "RFC 6347 4.2.4: the peer's repeats tell us our flight was lost; new messages come in the new epoch")
                .all(NEXT, encrypted ? DISCARD : BUFFER, encrypted ? DropReason.UNEXPECTED_EPOCH : null,
                        encrypted ? "RFC 6347 4.1: no renegotiation, so no further epoch"
                                : "RFC 6347 4.1: the peer's Finished may overtake its ChangeCipherSpec");
        switch (phase) {
            case CHANGE_CIPHER_SPEC -> b.on(CURRENT, CHANGE_CIPHER_SPEC, PROCESS, "RFC 5246 7.1");
            case ESTABLISHED -> b.on(CURRENT, APPLICATION_DATA, PROCESS, "RFC 5246 6.2")
                    .on(CURRENT, RETURN_ROUTABILITY_CHECK, PROCESS,
                            "RFC 9853 4: under the active security context, once rrc was agreed");
            case PLAINTEXT, ENCRYPTED -> {
            }
        }
        return b;
    }
}
