package org.dtlsip.dtls.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;

/**
 * Our own server engine on loopback that closes every association the moment its handshake is
 * done, and sends that close_notify in the same datagram as its final flight (ChangeCipherSpec,
 * Finished): the worst case of a server with nothing to say, deterministic where two datagrams
 * would race. One daemon thread; serves any number of clients one datagram at a time.
 */
final class ClosingServer implements AutoCloseable {
    private final DatagramChannel channel;
    private final DtlsConfig config;
    private final Thread thread;
    private final AtomicInteger closedAfterHandshake = new AtomicInteger();

    ClosingServer(DtlsConfig config) throws IOException {
        this.config = config;
        this.channel = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK);
        this.thread = new Thread(this::serve, "closing-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Associations closed right after their handshake so far. */
    int closedAfterHandshake() {
        return closedAfterHandshake.get();
    }

    private void serve() {
        CookieExchange cookies = new CookieExchange(config);
        Map<SocketAddress, DtlsEngine> engines = new HashMap<>();
        ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
        try {
            while (true) {
                in.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(in);
                long now = DtlsChannel.now();
                DtlsEngine engine = engines.get(from);
                if (engine == null || engine.status() != DtlsEngine.Status.HANDSHAKING && isClientHello(in)) {
                    CookieExchange.Verdict v = cookies.check(in.array(), 0, in.position(), PeerIds.of(from), now);
                    if (v instanceof CookieExchange.Reply reply) {
                        channel.send(ByteBuffer.wrap(reply.datagram()), from);
                        continue;
                    }
                    if (!(v instanceof CookieExchange.Accept accept)) {
                        continue;
                    }
                    engine = DtlsEngine.server(config, accept, now);
                    engines.put(from, engine);
                }
                boolean wasHandshaking = engine.status() == DtlsEngine.Status.HANDSHAKING;
                engine.receive(in.array(), 0, in.position(), now);
                if (wasHandshaking && engine.status() == DtlsEngine.Status.ESTABLISHED) {
                    engine.close();
                    closedAfterHandshake.incrementAndGet();
                    ByteArrayOutputStream one = new ByteArrayOutputStream();
                    byte[] d;
                    while ((d = engine.pollDatagram()) != null) {
                        one.writeBytes(d);
                    }
                    channel.send(ByteBuffer.wrap(one.toByteArray()), from);
                } else {
                    byte[] d;
                    while ((d = engine.pollDatagram()) != null) {
                        channel.send(ByteBuffer.wrap(d), from);
                    }
                }
            }
        } catch (ClosedChannelException e) {
            // closed by the test
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isClientHello(ByteBuffer in) {
        // A plaintext handshake record whose first message is a ClientHello (type 1).
        return in.position() > 13 && in.get(0) == 22 && in.get(3) == 0 && in.get(4) == 0 && in.get(13) == 1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
