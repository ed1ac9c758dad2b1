package org.dtlsip.dtls.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;

/**
 * A deterministic network and clock for one client and one server engine: datagrams are lost,
 * duplicated and delayed (hence reordered) by a seeded random source, and time jumps straight
 * to the next delivery or engine deadline. The server side goes through the stateless
 * {@link CookieExchange} until a ClientHello with a valid cookie arrives, as a real server does.
 */
public final class SimulatedNetwork {
    /** Network behaviour; probabilities in [0, 1], delays in milliseconds. */
    public record Conditions(double loss, double duplication, long minDelay, long maxDelay) {
        public static Conditions perfect() {
            return new Conditions(0, 0, 1, 1);
        }
    }

    /** One datagram on the wire, for tests that inspect or tamper with traffic. */
    public record Datagram(long time, boolean toServer, byte[] bytes) {
    }

    /** Decides, per datagram, whether to deliver it; the default delivers per {@link Conditions}. */
    public interface Filter {
        boolean deliver(Datagram d);
    }

    private record Delivery(long time, long order, boolean toServer, byte[] bytes) implements Comparable<Delivery> {
        @Override
        public int compareTo(Delivery o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private static final byte[] CLIENT_ID = {127, 0, 0, 1, 0x30, 0x39};

    private final Random random;
    private final Conditions conditions;
    private final DtlsConfig serverConfig;
    private final CookieExchange cookieExchange;
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>();
    private final List<Datagram> sent = new ArrayList<>();
    private final List<EngineEvent> clientEvents = new ArrayList<>();
    private final List<EngineEvent> serverEvents = new ArrayList<>();
    private final List<byte[]> clientReceived = new ArrayList<>();
    private final List<byte[]> serverReceived = new ArrayList<>();
    private Filter filter = d -> true;
    private long now;
    private long order;
    private final DtlsEngine client;
    private DtlsEngine server;

    public SimulatedNetwork(DtlsConfig clientConfig, DtlsConfig serverConfig, Conditions conditions, long seed) {
        this(clientConfig, serverConfig, conditions, seed, 0);
    }

    /** A network whose clock starts at {@code startMillis}, e.g. to meet a session long after it was saved. */
    public SimulatedNetwork(DtlsConfig clientConfig, DtlsConfig serverConfig, Conditions conditions, long seed,
            long startMillis) {
        this.now = startMillis;
        this.random = new Random(seed);
        this.conditions = conditions;
        this.serverConfig = serverConfig;
        this.cookieExchange = new CookieExchange(serverConfig);
        this.client = DtlsEngine.client(clientConfig, now);
        drain(client, true);
    }

    public SimulatedNetwork filter(Filter f) {
        this.filter = f;
        return this;
    }

    public long now() {
        return now;
    }

    public DtlsEngine client() {
        return client;
    }

    /** The server association, or {@code null} while no ClientHello has passed the cookie check. */
    public DtlsEngine server() {
        return server;
    }

    public List<Datagram> sent() {
        return sent;
    }

    public List<EngineEvent> clientEvents() {
        return clientEvents;
    }

    public List<EngineEvent> serverEvents() {
        return serverEvents;
    }

    public List<byte[]> clientReceived() {
        return clientReceived;
    }

    public List<byte[]> serverReceived() {
        return serverReceived;
    }

    private void drain(DtlsEngine engine, boolean isClient) {
        byte[] d;
        while ((d = engine.pollDatagram()) != null) {
            transmit(d, isClient);
        }
        EngineEvent e;
        while ((e = engine.pollEvent()) != null) {
            (isClient ? clientEvents : serverEvents).add(e);
        }
        while ((d = engine.pollApplicationData()) != null) {
            (isClient ? clientReceived : serverReceived).add(d);
        }
    }

    /** Puts a datagram on the wire, subject to the filter and the network conditions. */
    public void transmit(byte[] bytes, boolean toServer) {
        Datagram datagram = new Datagram(now, toServer, bytes);
        sent.add(datagram);
        if (!filter.deliver(datagram) || random.nextDouble() < conditions.loss()) {
            return;
        }
        int copies = random.nextDouble() < conditions.duplication() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = conditions.minDelay()
                    + (long) (random.nextDouble() * (conditions.maxDelay() - conditions.minDelay()));
            inFlight.add(new Delivery(now + delay, order++, toServer, bytes));
        }
    }

    /** Delivers a datagram straight to an endpoint now, bypassing loss (for injected attacks). */
    public void inject(byte[] bytes, boolean toServer) {
        deliver(bytes, toServer);
    }

    private void deliver(byte[] bytes, boolean toServer) {
        if (!toServer) {
            client.receive(bytes, now);
            drain(client, true);
            return;
        }
        if (server == null) {
            CookieExchange.Verdict v = cookieExchange.check(bytes, 0, bytes.length, CLIENT_ID, now);
            if (v instanceof CookieExchange.Reply reply) {
                transmit(reply.datagram(), false);
                return;
            }
            if (!(v instanceof CookieExchange.Accept accept)) {
                return;
            }
            server = DtlsEngine.server(serverConfig, accept, now);
        }
        server.receive(bytes, now);
        drain(server, false);
    }

    /** Runs one event (a delivery or a timer); false when there is nothing left to do before {@code limit}. */
    public boolean step(long limit) {
        long next = Long.MAX_VALUE;
        Delivery d = inFlight.peek();
        if (d != null) {
            next = d.time();
        }
        next = Math.min(next, client.nextDeadline());
        if (server != null) {
            next = Math.min(next, server.nextDeadline());
        }
        if (next == Long.MAX_VALUE || next > limit) {
            return false;
        }
        now = Math.max(now, next);
        if (d != null && d.time() <= now) {
            inFlight.poll();
            deliver(d.bytes(), d.toServer());
            return true;
        }
        if (client.nextDeadline() <= now) {
            client.handleTimeout(now);
            drain(client, true);
        }
        if (server != null && server.nextDeadline() <= now) {
            server.handleTimeout(now);
            drain(server, false);
        }
        return true;
    }

    /** Runs until both sides completed (or failed), or until {@code limit}. */
    public boolean runHandshake(long limit) {
        while (!done()) {
            if (!step(limit)) {
                break;
            }
        }
        return client.status() == DtlsEngine.Status.ESTABLISHED && server != null
                && server.status() == DtlsEngine.Status.ESTABLISHED;
    }

    private boolean done() {
        boolean clientDone = client.status() != DtlsEngine.Status.HANDSHAKING;
        boolean serverDone = server != null && server.status() != DtlsEngine.Status.HANDSHAKING;
        return (clientDone && serverDone) || client.status() == DtlsEngine.Status.FAILED
                || (server != null && server.status() == DtlsEngine.Status.FAILED);
    }

    /** Runs everything in flight up to {@code limit}. */
    public void runUntil(long limit) {
        while (step(limit)) {
            // keep going
        }
    }

    public void clientSend(byte[] data) throws Exception {
        client.send(data);
        drain(client, true);
    }

    public void serverSend(byte[] data) throws Exception {
        server.send(data);
        drain(server, false);
    }

    /** The server ends the association with a fatal alert (an application's post-handshake check refused the client). */
    public void serverAbort(org.dtlsip.dtls.engine.AlertDescription alert, String reason) {
        server.abort(alert, reason);
        drain(server, false);
    }

    /** DTLS 1.3: the client sends a KeyUpdate (RFC 9147 8); false when it cannot now. */
    public boolean clientUpdateKeys(boolean requestPeerUpdate) {
        boolean sent = client.updateKeys(requestPeerUpdate, now);
        drain(client, true);
        return sent;
    }

    /** DTLS 1.3: the server sends a KeyUpdate (RFC 9147 8); false when it cannot now. */
    public boolean serverUpdateKeys(boolean requestPeerUpdate) {
        boolean sent = server.updateKeys(requestPeerUpdate, now);
        drain(server, false);
        return sent;
    }

    public void clientClose() {
        client.close();
        drain(client, true);
    }
}
