package org.dtlsip.dtls.record;

/**
 * Where a record's epoch stands to the epoch the association currently reads (RFC 6347 4.1):
 * the first thing an acceptance table looks at, from the record header alone.
 */
public enum EpochRelation {
    /** The epoch being read now. */
    CURRENT,
    /**
     * The epoch read before the current one, still readable for the peer's retransmissions
     * (RFC 6347 4.2.4). In DTLS 1.2 without renegotiation this is always epoch 0: plaintext.
     */
    PREVIOUS,
    /** The epoch after the current one, whose keys are not installed yet (RFC 6347 4.1 allows holding it). */
    NEXT,
    /** Any other epoch: nothing can read it. */
    OTHER
}
