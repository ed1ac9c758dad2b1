package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 3: a connection ID space smaller than the table (1 byte: 256 IDs) fills up.
 * The server then refuses the one handshake it cannot give an ID, counts and logs it, and goes
 * on serving; it never searches for a free ID without bound while holding its lock.
 */
class ConnectionIdSpaceTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(1).build();
    /** Clients need not offer connection IDs: the server picks one for every association it creates. */
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).build();
    private static final int ID_SPACE = 256;

    @Test
    void CID_SpaceFull_RefusesThatHandshakeAndKeepsServing() throws IOException {
        ServerLimits limits = ServerLimits.defaults().withHandshakeDeadlineMillis(5_000);
        MemoryNet net = new MemoryNet(SERVER, limits);
        InetSocketAddress established = net.establish(0, 1, CLIENT).get(0);
        for (int i = 1; i < ID_SPACE + 3; i++) {
            net.halfOpenClient(MemoryNet.address(i), CLIENT);
        }
        net.run();

        ServerStats s = net.server.stats();
        assertEquals(ID_SPACE, s.associations(), "every ID is in use once");
        assertEquals(3, s.connectionIdsExhausted(), "the three handshakes beyond the space are refused and counted");
        Set<Integer> ids = new HashSet<>();
        for (DtlsServer.Association a : net.server.associations()) {
            ids.add(a.localConnectionId()[0] & 0xff);
        }
        assertEquals(ID_SPACE, ids.size(), "no ID is shared");
        assertThrows(IOException.class, () -> net.server.connect(MemoryNet.address(9_999)),
                "a client-role association needs an ID too and says why it has none");
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(established));

        // The half-open handshakes reach their deadline and free their IDs: a new client gets one.
        net.advance(limits.handshakeDeadlineMillis() + 1);
        assertEquals(1, net.server.associationCount());
        InetSocketAddress late = MemoryNet.address(5_000);
        net.client(late, CLIENT);
        net.run();
        assertNotNull(net.server.association(late));
        assertTrue(net.server.association(late).isEstablished());
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(established, late));
    }
}
