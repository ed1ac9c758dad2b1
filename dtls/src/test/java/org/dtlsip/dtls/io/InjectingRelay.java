package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The network between one client and its server on loopback, as an on-path attacker holds it:
 * it forwards every datagram unchanged, keeps the most recent ones each way for replays, and
 * injects datagrams that arrive from the very address the peer expects (the server sees the
 * relay's back socket as its client; the client sees the front socket as its server).
 */
final class InjectingRelay implements AutoCloseable {
    /** Datagrams kept per direction for replays. */
    static final int KEPT = 64;

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final Thread thread;
    private final Object lock = new Object();
    private final List<byte[]> toServer = new ArrayList<>();
    private final List<byte[]> toClient = new ArrayList<>();
    private volatile SocketAddress client;

    InjectingRelay(InetSocketAddress server) throws IOException {
        front = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK);
        back = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK).connect(server);
        thread = new Thread(this::forward, "injecting-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the client sends: the server, as far as it knows. */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    /** The client's address as the server sees it. */
    InetSocketAddress clientAsSeenByServer() throws IOException {
        return (InetSocketAddress) back.getLocalAddress();
    }

    /** Sends {@code datagram} to the server from the client's address. */
    void injectToServer(byte[] datagram) throws IOException {
        back.write(ByteBuffer.wrap(datagram));
    }

    /** Sends {@code datagram} to the client from the server's address (once the client has spoken). */
    void injectToClient(byte[] datagram) throws IOException {
        SocketAddress c = client;
        if (c != null) {
            front.send(ByteBuffer.wrap(datagram), c);
        }
    }

    /** Recent real datagrams to the server (for replays). */
    List<byte[]> sentToServer() {
        synchronized (lock) {
            return List.copyOf(toServer);
        }
    }

    /** Recent real datagrams to the client. */
    List<byte[]> sentToClient() {
        synchronized (lock) {
            return List.copyOf(toClient);
        }
    }

    private void forward() {
        ByteBuffer b = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
        try (Selector selector = Selector.open()) {
            front.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            back.configureBlocking(false).register(selector, SelectionKey.OP_READ);
            while (front.isOpen()) {
                selector.select();
                selector.selectedKeys().clear();
                SocketAddress from;
                // Kept only once forwarded: a replay never overtakes its original.
                while ((from = receive(front, b)) != null) {
                    client = from;
                    back.write(b.duplicate());
                    keep(toServer, b);
                }
                while (receive(back, b) != null) {
                    if (client != null) {
                        front.send(b.duplicate(), client);
                    }
                    keep(toClient, b);
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // closed
        }
    }

    private static SocketAddress receive(DatagramChannel ch, ByteBuffer b) throws IOException {
        b.clear();
        SocketAddress from;
        try {
            from = ch.receive(b);
        } catch (java.net.PortUnreachableException e) {
            return null; // a peer already gone; the test reports what matters
        }
        b.flip();
        return from;
    }

    private void keep(List<byte[]> list, ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        synchronized (lock) {
            if (list.size() == KEPT) {
                list.remove(0);
            }
            list.add(copy);
        }
    }

    @Override
    public void close() throws IOException {
        front.close();
        back.close();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
