package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A NAT on loopback: the client talks to {@link #address()}, and the relay forwards to the
 * server from its own outside socket, whose source port changes on {@link #rebind()} as when
 * a NAT drops a mapping and makes a new one. Datagrams the server still sends to the old port
 * are lost. Whatever the server sends to the current outside port goes to the client.
 *
 * <p>One daemon thread owns both sockets; {@link #rebind()} asks it to swap and waits.
 */
final class RebindingRelay implements AutoCloseable {
    private static final int BUFFER = 65_536;

    private final InetSocketAddress server;
    private final DatagramChannel inside;
    private final Selector selector;
    private final Thread thread;
    private DatagramChannel outside;
    private volatile int outsidePort;
    private volatile SocketAddress client;
    private volatile CompletableFuture<Integer> rebindRequest;
    private volatile boolean running = true;

    private RebindingRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        this.selector = Selector.open();
        this.inside = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        inside.configureBlocking(false);
        inside.register(selector, SelectionKey.OP_READ);
        openOutside();
        this.thread = new Thread(this::loop, "rebinding-relay");
        thread.setDaemon(true);
        thread.start();
    }

    static RebindingRelay start(InetSocketAddress server) throws IOException {
        return new RebindingRelay(server);
    }

    /** Where the client sends. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) inside.getLocalAddress();
    }

    /** The source port the server now sees. */
    int outsidePort() {
        return outsidePort;
    }

    /** Moves to a new outside port and returns it; the old port is closed. */
    int rebind() throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        rebindRequest = f;
        selector.wakeup();
        return f.get(5, TimeUnit.SECONDS);
    }

    private void openOutside() throws IOException {
        DatagramChannel old = outside;
        DatagramChannel fresh = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        fresh.configureBlocking(false);
        fresh.register(selector, SelectionKey.OP_READ);
        outside = fresh;
        outsidePort = ((InetSocketAddress) fresh.getLocalAddress()).getPort();
        if (old != null) {
            old.close();
        }
    }

    private void loop() {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (running) {
                selector.select(100);
                selector.selectedKeys().clear();
                CompletableFuture<Integer> request = rebindRequest;
                if (request != null) {
                    rebindRequest = null;
                    openOutside();
                    request.complete(outsidePort);
                }
                SocketAddress from;
                while ((from = receive(inside, buffer)) != null) {
                    client = from;
                    outside.send(buffer, server);
                }
                while (receive(outside, buffer) != null) {
                    if (client != null) {
                        inside.send(buffer, client);
                    }
                }
            }
        } catch (IOException e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    private static SocketAddress receive(DatagramChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear();
        SocketAddress from;
        try {
            from = channel.receive(buffer);
        } catch (java.net.PortUnreachableException e) {
            return null; // ICMP for a datagram to a port nobody listens on any more
        }
        buffer.flip();
        return from;
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
        inside.close();
        outside.close();
    }
}
