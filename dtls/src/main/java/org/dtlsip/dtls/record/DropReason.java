package org.dtlsip.dtls.record;

/** Why an incoming record or datagram was discarded (RFC 6347 4.1.2.7: silently, but counted). */
public enum DropReason {
    MALFORMED_RECORD,
    UNKNOWN_CONTENT_TYPE,
    BAD_VERSION,
    UNEXPECTED_EPOCH,
    REPLAY,
    BAD_RECORD_MAC,
    HEARTBEAT,
    MALFORMED_HANDSHAKE,
    HANDSHAKE_FRAGMENT_REJECTED,
    UNEXPECTED_MESSAGE,
    UNEXPECTED_CHANGE_CIPHER_SPEC,
    APPLICATION_DATA_BEFORE_HANDSHAKE,
    NEXT_EPOCH_BUFFER_FULL,
    INVALID_COOKIE,
    NOT_A_CLIENT_HELLO,
    AFTER_CLOSE,
    /** The application did not take received records fast enough; like a full UDP receive buffer. */
    RECEIVE_QUEUE_FULL,
    /** A tls12_cid record although we asked for no connection ID, or in epoch 0 (RFC 9146 3). */
    UNEXPECTED_CONNECTION_ID,
    /** A tls12_cid record whose connection ID is not ours (server: no association has it). */
    UNKNOWN_CONNECTION_ID,
    /** A protected record without the connection ID we asked for (RFC 9146 3: MUST be dropped). */
    MISSING_CONNECTION_ID,
    /**
     * A record without our connection ID in a datagram that begins with one: such a datagram is
     * routed by the ID from any address (RFC 9146 6), so only records that authenticate under
     * it may act.
     */
    PLAINTEXT_IN_CONNECTION_ID_DATAGRAM,
    /** A handshake message the current state ignores (RFC 5246 7.4.1.1: HelloRequest while negotiating). */
    IGNORED_HANDSHAKE_MESSAGE,
    /**
     * A ClientHello whose message_seq no compliant client sends at that point of the cookie
     * exchange (RFC 6347 4.2.2: 0 for the first, one more for each HelloVerifyRequest answered).
     */
    UNEXPECTED_MESSAGE_SEQ,
    /**
     * A ClientHello whose record sequence number, which the server's reply repeats (RFC 6347
     * 4.2.1), leaves too few numbers for the server's epoch 0 (4.1: they never wrap).
     */
    SEQUENCE_NUMBER_TOO_HIGH,
    /**
     * A DTLS 1.3 ACK in plaintext epoch 0: anyone can forge one to stop our retransmissions, and
     * our peers have keys before anything of theirs needs acknowledging (RFC 9147 7).
     */
    UNAUTHENTICATED_ACK,
    /** A return_routability_check record although the hellos did not both carry rrc (RFC 9853 3: MUST NOT be used). */
    RRC_NOT_NEGOTIATED,
    /** A return_routability_check message of a type we do not know (RFC 9853 4: parsed and ignored gracefully). */
    UNKNOWN_RRC_MESSAGE_TYPE,
    /** A return_routability_check message of a known type whose body is not msg_type and an 8-byte cookie. */
    MALFORMED_RRC_MESSAGE,
    /**
     * A path_response or path_drop that answers no challenge of the check in progress: unsolicited,
     * too late, or a second answer (RFC 9853 5.4: silently discarded; 7.1: worth counting, since
     * several answers to one challenge may mean an off-path attacker).
     */
    UNMATCHED_PATH_RESPONSE
}
