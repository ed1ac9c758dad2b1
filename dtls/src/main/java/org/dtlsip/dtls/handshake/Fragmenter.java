package org.dtlsip.dtls.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an outgoing handshake message into fragments that each fit a datagram
 * (RFC 6347 4.2.3: "each DTLS message MUST fit within a single transport layer datagram",
 * so messages larger than the PMTU are fragmented). Every fragment repeats msg_type, length
 * and message_seq, so the receiver can reassemble them in any order.
 */
public final class Fragmenter {

    private Fragmenter() {
    }

    /**
     * Fragments {@code m} so that no fragment body exceeds {@code maxFragmentBody} bytes. The
     * fragments are contiguous, non-overlapping and in order. A message with an empty body
     * (e.g. ServerHelloDone) yields exactly one zero-length fragment, since the peer still has
     * to receive a header to learn the message exists.
     *
     * @param maxFragmentBody bytes of body per fragment, at least 1; the caller derives it from
     *     the PMTU minus record, protection and {@link HandshakeFragment#HEADER_LENGTH} overhead
     * @throws IllegalArgumentException if {@code maxFragmentBody < 1}
     */
    public static List<HandshakeFragment> fragment(HandshakeMessage m, int maxFragmentBody) {
        if (maxFragmentBody < 1) {
            throw new IllegalArgumentException("maxFragmentBody must be >= 1: " + maxFragmentBody);
        }
        byte[] body = m.body();
        int length = body.length;
        if (length == 0) {
            return List.of(m.asFragment());
        }
        // clamping keeps offset + step within int range for any maxFragmentBody
        int step = Math.min(maxFragmentBody, length);
        List<HandshakeFragment> out = new ArrayList<>((length + step - 1) / step);
        for (int offset = 0; offset < length; offset += step) {
            int end = Math.min(length, offset + step);
            out.add(new HandshakeFragment(m.type().code, length, m.messageSeq(), offset,
                    Arrays.copyOfRange(body, offset, end)));
        }
        return List.copyOf(out);
    }
}
