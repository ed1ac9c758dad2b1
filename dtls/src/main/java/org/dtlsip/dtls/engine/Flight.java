package org.dtlsip.dtls.engine;

import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeMessage;

/**
 * One flight (RFC 6347 4.2.4): the messages we send in one go, each with the epoch it was
 * first sent in, so a retransmission repeats them in the same epochs with fresh record
 * sequence numbers.
 *
 * @param items the flight's messages in order
 * @param awaitsReply true when the peer answers this flight (its loss is detected by our
 *        timer); false for the final flight, which is resent only when the peer repeats its own
 * @param peerTriggerSeq message_seq of the last message of the peer flight this one answers:
 *        seeing it again means the peer did not get this flight; -1 if none
 */
record Flight(List<Item> items, boolean awaitsReply, int peerTriggerSeq) {
    sealed interface Item permits HandshakeItem, ChangeCipherSpecItem {
        int epoch();
    }

    record HandshakeItem(int epoch, HandshakeMessage message) implements Item {
    }

    record ChangeCipherSpecItem(int epoch) implements Item {
    }
}
