package org.dtlsip.dtls.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.record.RecordCodec;

/**
 * A deterministic network with addresses, for the return routability check (RFC 9853): client
 * engines sit behind NATs whose public address can change, and one server keeps its
 * associations in an address table and a connection-ID table, as a multi-peer server does.
 * Its rule for a peer's new address is the one RFC 9853 asks of the engine's callers: a
 * datagram that {@link DtlsEngine.Received#movesPeerAddress() may move} the peer starts a
 * {@link DtlsEngine#challengePath check} of its source, data keeps going to the old address,
 * and the peer moves on {@link EngineEvent.Kind#PATH_VALIDATED} (without rrc, at once, as
 * RFC 9146 6 alone allows). A datagram to an address no client holds reaches a "stranger"
 * (the victim of a spoofed source), which is recorded and answers nothing.
 *
 * <p>Handshakes run on a {@link SimulatedNetwork} first; the engines then move here. Every link
 * has the same fixed delay; a filter can drop datagrams. Time jumps to the next delivery or
 * engine deadline.
 */
public final class PathNetwork {
    public static final String SERVER = "server:4433";

    /** One datagram in flight or delivered. */
    public record Datagram(long time, String from, String to, byte[] bytes) {
    }

    private record Delivery(Datagram d, long order) implements Comparable<Delivery> {
        @Override
        public int compareTo(Delivery o) {
            int c = Long.compare(d.time(), o.d.time());
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** A client engine and the public address its NAT gives it now. */
    public final class Client {
        public final DtlsEngine engine;
        public String address;
        public final List<byte[]> received = new ArrayList<>();
        public final List<EngineEvent> events = new ArrayList<>();

        Client(DtlsEngine engine, String address) {
            this.engine = engine;
            this.address = address;
        }

        public void send(byte[] data) throws Exception {
            engine.send(data);
            drain(this);
        }

        /** Asks the engine to check {@code path} (e.g. the server's address) and sends what it queued. */
        public DtlsEngine.PathCheck challenge(String path) {
            DtlsEngine.PathCheck check = engine.challengePath(path, now);
            drain(this);
            return check;
        }

        /** The NAT rebinds: from now on the client sends from, and receives at, {@code newAddress} only. */
        public void rebind(String newAddress) {
            address = newAddress;
        }
    }

    /** One server association: the engine, the address it sends to, what it received and reported. */
    public final class Association {
        public final DtlsEngine engine;
        public String peer;
        public final List<byte[]> received = new ArrayList<>();
        public final List<EngineEvent> events = new ArrayList<>();
        public final List<DtlsEngine.PathCheck> checks = new ArrayList<>();
        public boolean evicted;

        Association(DtlsEngine engine, String peer) {
            this.engine = engine;
            this.peer = peer;
        }

        public void send(byte[] data) throws Exception {
            engine.send(data);
            drain(this);
        }
    }

    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>();
    private final List<Datagram> delivered = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private final List<Association> associations = new ArrayList<>();
    private final Map<String, Association> byAddress = new HashMap<>();
    private final Map<ByteBuffer, Association> byConnectionId = new HashMap<>();
    private final Map<String, List<byte[]>> strangers = new HashMap<>();
    private final Map<String, String> relays = new HashMap<>();
    private final int serverConnectionIdLength;
    private long delay = 10;
    private Predicate<Datagram> drop = d -> false;
    private long now;
    private long order;

    public PathNetwork(int serverConnectionIdLength) {
        this.serverConnectionIdLength = serverConnectionIdLength;
    }

    /** Runs a handshake between the two configurations and adds the pair, the client at {@code address}. */
    public Client connect(DtlsConfig client, DtlsConfig server, String address) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), clients.size() + 1);
        if (!net.runHandshake(60_000)) {
            throw new AssertionError("handshake: " + net.client().failure() + " / "
                    + (net.server() == null ? "no server" : net.server().failure()));
        }
        now = Math.max(now, net.now()) + 1;
        Client c = new Client(net.client(), address);
        Association a = new Association(net.server(), address);
        clients.add(c);
        associations.add(a);
        byAddress.put(address, a);
        byte[] cid = net.server().session().connectionId();
        if (cid != null && cid.length > 0) {
            byConnectionId.put(ByteBuffer.wrap(cid), a);
        }
        return c;
    }

    public Association association(Client c) {
        return associations.get(clients.indexOf(c));
    }

    public long now() {
        return now;
    }

    /** Sets the one-way delay of every link. */
    public PathNetwork delay(long millis) {
        this.delay = millis;
        return this;
    }

    /** Datagrams for which {@code rule} holds are lost. */
    public PathNetwork drop(Predicate<Datagram> rule) {
        this.drop = rule;
        return this;
    }

    /**
     * An off-path attacker at {@code address} forwards what reaches it to {@code to}, keeping
     * the source (RFC 9853 8.1.2).
     */
    public PathNetwork relay(String address, String to) {
        relays.put(address, to);
        return this;
    }

    /** Every datagram that reached its destination (or a stranger), in order. */
    public List<Datagram> delivered() {
        return delivered;
    }

    /** What reached {@code address} when no client held it. */
    public List<byte[]> stranger(String address) {
        return strangers.getOrDefault(address, List.of());
    }

    /** The association holding {@code address} in the server's table, or {@code null}. */
    public Association atAddress(String address) {
        return byAddress.get(address);
    }

    /** An attacker's datagram: put on the wire now, with any source address it likes. */
    public void inject(byte[] bytes, String from, String to) {
        post(from, to, bytes);
    }

    private void post(String from, String to, byte[] bytes) {
        Datagram d = new Datagram(now + delay, from, to, bytes);
        if (!drop.test(d)) {
            inFlight.add(new Delivery(d, order++));
        }
    }

    private void drain(Client c) {
        byte[] d;
        while ((d = c.engine.pollDatagram()) != null) {
            post(c.address, SERVER, d);
        }
        DtlsEngine.PathDatagram p;
        while ((p = c.engine.pollPathDatagram()) != null) {
            post(c.address, (String) p.path(), p.datagram());
        }
        EngineEvent e;
        while ((e = c.engine.pollEvent()) != null) {
            c.events.add(e);
        }
        while ((d = c.engine.pollApplicationData()) != null) {
            c.received.add(d);
        }
    }

    private void drain(Association a) {
        EngineEvent e;
        while ((e = a.engine.pollEvent()) != null) {
            a.events.add(e);
            if (e.kind() == EngineEvent.Kind.PATH_VALIDATED) {
                move(a, (String) e.path());
            }
        }
        byte[] d;
        while ((d = a.engine.pollDatagram()) != null) {
            post(SERVER, a.peer, d);
        }
        DtlsEngine.PathDatagram p;
        while ((p = a.engine.pollPathDatagram()) != null) {
            post(SERVER, (String) p.path(), p.datagram());
        }
        while ((d = a.engine.pollApplicationData()) != null) {
            a.received.add(d);
        }
    }

    /** The server's table follows the peer; whoever held the address loses it (its NAT mapping is gone). */
    private void move(Association a, String to) {
        Association displaced = byAddress.get(to);
        if (displaced != null && displaced != a) {
            displaced.evicted = true;
        }
        byAddress.remove(a.peer, a);
        a.peer = to;
        byAddress.put(to, a);
    }

    private void deliver(Datagram d) {
        delivered.add(d);
        if (d.to().equals(SERVER)) {
            toServer(d);
            return;
        }
        String to = relays.getOrDefault(d.to(), d.to());
        for (Client c : clients) {
            if (c.address.equals(to)) {
                c.engine.receive(d.bytes(), 0, d.bytes().length, d.from(), now);
                drain(c);
                return;
            }
        }
        strangers.computeIfAbsent(d.to(), k -> new ArrayList<>()).add(d.bytes());
    }

    private void toServer(Datagram d) {
        byte[] cid = RecordCodec.firstConnectionId(d.bytes(), 0, d.bytes().length, serverConnectionIdLength);
        Association a = cid != null ? byConnectionId.get(ByteBuffer.wrap(cid)) : byAddress.get(d.from());
        if (a == null || a.evicted) {
            return;
        }
        DtlsEngine.Received r = a.engine.receive(d.bytes(), 0, d.bytes().length, d.from(), now);
        if (r.movesPeerAddress() && !d.from().equals(a.peer)) {
            if (a.engine.validatesPaths()) {
                a.checks.add(a.engine.challengePath(d.from(), now));
            } else {
                move(a, d.from());
            }
        }
        drain(a);
    }

    /** Runs one delivery or timer; false when nothing is due before {@code limit}. */
    public boolean step(long limit) {
        long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().d().time();
        for (Client c : clients) {
            next = Math.min(next, c.engine.nextDeadline());
        }
        for (Association a : associations) {
            if (!a.evicted) {
                next = Math.min(next, a.engine.nextDeadline());
            }
        }
        if (next == Long.MAX_VALUE || next > limit) {
            return false;
        }
        now = Math.max(now, next);
        if (!inFlight.isEmpty() && inFlight.peek().d().time() <= now) {
            deliver(inFlight.poll().d());
            return true;
        }
        for (Client c : clients) {
            if (c.engine.nextDeadline() <= now) {
                c.engine.handleTimeout(now);
                drain(c);
            }
        }
        for (Association a : associations) {
            if (!a.evicted && a.engine.nextDeadline() <= now) {
                a.engine.handleTimeout(now);
                drain(a);
            }
        }
        return true;
    }

    /** Runs everything due up to {@code limit}; the clock then reads {@code limit}. */
    public void runUntil(long limit) {
        while (step(limit)) {
            // keep going
        }
        now = Math.max(now, limit);
    }

    /** Runs for {@code millis} from now. */
    public void run(long millis) {
        runUntil(now + millis);
    }
}
