package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** How a {@link DtlsChannel} hands one datagram to its non-blocking socket. */
@FunctionalInterface
interface DatagramSender {
    /** The socket itself: a connected channel takes write(), which does not re-check the address each time. */
    DatagramSender SOCKET = (channel, datagram, peer) -> channel.isConnected() ? channel.write(datagram) : channel.send(datagram, peer);

    /** Bytes sent: the whole datagram, or 0 when the send buffer has no room for it now. */
    int send(DatagramChannel channel, ByteBuffer datagram, InetSocketAddress peer) throws IOException;
}
