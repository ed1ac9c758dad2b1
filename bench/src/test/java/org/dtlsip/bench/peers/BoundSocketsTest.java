package org.dtlsip.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundSocketsTest {
    private static final String HEADER =
            "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";

    @Test
    void findsTheInodeOfTheSocketOnTheLoopbackPortOnly() {
        List<String> rows = List.of(HEADER,
                "  1: 0100007F:A669 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 4242 2 0000000000000000 0",
                "  2: 0100007F:1F90 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 777 2 0000000000000000 0");
        assertEquals(4242, BoundSockets.udpInode(rows, 0xA669));
        assertEquals(777, BoundSockets.udpInode(rows, 8080));
        assertEquals(BoundSockets.UNKNOWN, BoundSockets.udpInode(rows, 5060));
        assertEquals(BoundSockets.UNKNOWN, BoundSockets.udpInode(List.of(HEADER), 0xA669));
    }

    /** On Linux the table is there: a socket bound now is found, and a rebound one differs. */
    @Test
    void aReboundPortShowsAnotherInode() throws Exception {
        long first;
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = s.getLocalPort();
            first = BoundSockets.udpInode(port);
            assertNotEquals(BoundSockets.UNKNOWN, first);
        }
        assertEquals(BoundSockets.UNKNOWN, BoundSockets.udpInode(port));
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            long second = BoundSockets.udpInode(port);
            assertNotEquals(BoundSockets.UNKNOWN, second);
            assertNotEquals(first, second);
        }
    }
}
