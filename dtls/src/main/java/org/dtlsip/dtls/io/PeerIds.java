package org.dtlsip.dtls.io;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** The byte form of a peer's address and port that cookies bind to (RFC 6347 4.2.1). */
final class PeerIds {
    private PeerIds() {
    }

    static byte[] of(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return ByteBuffer.allocate(ip.length + 2).put(ip).putShort((short) address.getPort()).array();
    }
}
