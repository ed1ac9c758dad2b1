package org.dtlsip.bench.jmh;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.bench.Keys;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One 1,200-byte application record through both engines, no sockets: the client seals it, the
 * server parses, checks the replay window, decrypts and queues it, and the caller takes it, as
 * the bulk benchmark's ends do (ECDHE-ECDSA-AES128-GCM-SHA256, after a real handshake). Next to
 * it, the JDK's bare AES-128-GCM doing the cryptographic part of the same work (one init per
 * record each way, a fresh nonce per seal, the plaintext into a reused array): what the record
 * layer adds on top of the primitive (issue 17 asks for within 1.5x).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordPathBench {
    private static final byte[] CLIENT_ID = {127, 0, 0, 1, 0x30, 0x39};

    @Param({"1200"})
    public int size;

    /** DTLS 1.2 (ECDHE-ECDSA-AES128-GCM-SHA256) or 1.3 (TLS_AES_128_GCM_SHA256, record numbers encrypted). */
    @Param({"DTLSv1.2", "DTLSv1.3"})
    public String protocol;

    private DtlsEngine client;
    private DtlsEngine server;
    private byte[] payload;
    private byte[] datagram;
    private Cipher sealer;
    private Cipher opener;
    private SecretKeySpec key;
    private byte[] nonce;
    private byte[] aad;
    private byte[] plain;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Keys keys = Keys.generate().withOursProtocol(ProtocolVersion.parse(protocol));
        handshake(keys);
        payload = new byte[size];
        datagram = new byte[size + client.recordOverhead()];
        key = new SecretKeySpec(new byte[16], "AES");
        sealer = Cipher.getInstance("AES/GCM/NoPadding");
        opener = Cipher.getInstance("AES/GCM/NoPadding");
        nonce = new byte[12];
        aad = new byte[13];
        plain = new byte[size];
    }

    /** Ours: {@code DtlsEngine.sendInto} a reused buffer, {@code receive}, {@code pollApplicationData}. */
    @Benchmark
    public byte[] sealAndOpen() throws Exception {
        int n = client.sendInto(payload, 0, size, datagram, 0);
        server.receive(datagram, 0, n, 0);
        return take();
    }

    /** Ours through the queue: {@code send}, {@code pollDatagram} (a new array per record), {@code receive}. */
    @Benchmark
    public byte[] queuedSealAndOpen() throws Exception {
        client.send(payload);
        byte[] d = client.pollDatagram();
        server.receive(d, 0);
        return take();
    }

    private byte[] take() {
        byte[] record = server.pollApplicationData();
        if (record == null) {
            throw new IllegalStateException("record not delivered: " + server.drops());
        }
        return record;
    }

    /** The JDK's bare AES-128-GCM: seal into one reused array and open it into another. */
    @Benchmark
    public int jdkCipherSealAndOpen() throws Exception {
        long n = ++seq;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
        }
        sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        sealer.updateAAD(aad);
        int sealed = sealer.doFinal(payload, 0, size, datagram, 0);
        opener.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        opener.updateAAD(aad);
        return opener.doFinal(datagram, 0, sealed, plain, 0);
    }

    private void handshake(Keys keys) {
        CookieExchange cookies = new CookieExchange(keys.oursServer());
        client = DtlsEngine.client(keys.oursClient(), 0);
        ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        drain(client, toServer);
        for (int rounds = 0; rounds < 32; rounds++) {
            byte[] d;
            while ((d = toServer.poll()) != null) {
                if (server == null) {
                    CookieExchange.Verdict v = cookies.check(d, 0, d.length, CLIENT_ID, 0);
                    if (v instanceof CookieExchange.Reply reply) {
                        toClient.add(reply.datagram());
                        continue;
                    }
                    if (!(v instanceof CookieExchange.Accept accept)) {
                        continue;
                    }
                    server = DtlsEngine.server(keys.oursServer(), accept, 0);
                }
                server.receive(d, 0);
                drain(server, toClient);
            }
            while ((d = toClient.poll()) != null) {
                client.receive(d, 0);
                drain(client, toServer);
            }
            if (server != null && client.status() == DtlsEngine.Status.ESTABLISHED
                    && server.status() == DtlsEngine.Status.ESTABLISHED && toServer.isEmpty() && toClient.isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("handshake did not complete");
    }

    private static void drain(DtlsEngine e, ArrayDeque<byte[]> out) {
        byte[] d;
        while ((d = e.pollDatagram()) != null) {
            out.add(d);
        }
        while (e.pollEvent() != null) {
            // not measured
        }
    }
}
