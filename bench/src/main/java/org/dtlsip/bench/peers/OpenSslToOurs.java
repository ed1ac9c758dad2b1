package org.dtlsip.bench.peers;

import java.net.InetSocketAddress;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.ExternalClient;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;

/**
 * OpenSSL's C client ({@code bench/src/main/c/openssl_dtls_client.c}) against our
 * {@link org.dtlsip.dtls.io.DtlsServer}: the other direction of {@code ours-openssl}, so that
 * both of our ends meet OpenSSL's own C program.
 */
public final class OpenSslToOurs implements Contender, ExternalClient {
    private final Keys keys;
    private final Ours ours;
    private final OpenSsl openssl;

    public OpenSslToOurs(Keys keys) {
        this.keys = keys;
        this.ours = new Ours(keys);
        this.openssl = new OpenSsl(keys, true);
    }

    @Override
    public String name() {
        return "openssl-ours";
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        return ours.startServer();
    }

    @Override
    public Connection connect(InetSocketAddress server) {
        throw new UnsupportedOperationException("the OpenSSL client runs its own loop (ExternalClient)");
    }

    @Override
    public Handshakes handshakes(InetSocketAddress server, int warmup, int count) throws Exception {
        return openssl.handshakes(server, warmup, count);
    }

    @Override
    public Sent bulk(InetSocketAddress server, double seconds, int size) throws Exception {
        return OpenSsl.bulk(keys, server, seconds, size);
    }

    @Override
    public ReceiveCounters received() {
        return ours.received();
    }

    @Override
    public void close() throws Exception {
        ours.close();
    }
}
