package org.dtlsip.bench.peers;

import java.net.InetSocketAddress;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.CpuTimes;
import org.dtlsip.bench.ReceiveCounters;

/**
 * One implementation's client against another's server, e.g. {@code ours-jdk} (our client, the
 * JDK's server) and {@code jdk-ours}: each peer measured in both directions against ours
 * (issue 17), with the same identity and suite as the pairs of one implementation.
 */
public final class Cross implements Contender {
    private final String name;
    private final Contender client;
    private final Contender server;

    /** {@code client} only connects; {@code server} only serves and counts. */
    public Cross(String name, Contender client, Contender server) {
        this.name = name;
        this.client = client;
        this.server = server;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        return server.startServer();
    }

    @Override
    public InetSocketAddress startBulkServer() throws Exception {
        return server.startBulkServer();
    }

    @Override
    public Connection connect(InetSocketAddress target) throws Exception {
        return client.connect(target);
    }

    @Override
    public ReceiveCounters received() {
        return server.received();
    }

    @Override
    public CpuTimes externalReceiverCpu() {
        return server.externalReceiverCpu();
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            client.close();
        }
    }
}
