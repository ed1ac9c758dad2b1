package org.dtlsip.bench.peers;

import java.net.InetSocketAddress;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;

/** dtlsip's blocking {@link DtlsClient} against its multi-peer {@link DtlsServer}. */
public final class Ours implements Contender {
    private final Keys keys;
    private final ReceiveCounters received = new ReceiveCounters();
    private DtlsServer server;

    public Ours(Keys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        server = DtlsServer.bind(new InetSocketAddress("127.0.0.1", 0), keys.oursServer(), (association, data) -> {
            received.record(data.length);
        }).start();
        return server.localAddress();
    }

    @Override
    public Connection connect(InetSocketAddress target) throws Exception {
        return connectClient(target, keys);
    }

    /** Our client as a connection; also used against other servers. */
    static Connection connectClient(InetSocketAddress target, Keys keys) throws Exception {
        DtlsClient client = DtlsClient.connect(target, keys.oursClient());
        return new Connection() {
            @Override
            public void send(byte[] payload) throws Exception {
                client.send(payload);
            }

            @Override
            public void send(java.nio.ByteBuffer[] records) throws Exception {
                client.send(records);
            }

            @Override
            public void close() throws Exception {
                client.close();
            }
        };
    }

    @Override
    public ReceiveCounters received() {
        return received;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
