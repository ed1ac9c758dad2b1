package org.dtlsip.bench.jmh;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.dtlsip.bench.Keys;
import org.dtlsip.dtls.io.DtlsChannel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The socket write path of a bulk sender: {@link DtlsChannel#write} of one 1,200-byte record
 * over a connected UDP channel on loopback (seal, then one {@code write} system call), after a
 * handshake with a {@link DtlsChannel#accept} server that is then left alone: its socket's
 * receive buffer fills and the kernel drops what follows, so the figures are the sender's alone
 * (with {@code -prof gc}, its bytes allocated per record).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChannelWriteBench {
    private static final long HANDSHAKE_MILLIS = 20_000;

    @Param({"1200"})
    public int size;

    private DtlsChannel client;
    private DtlsChannel server;
    private ByteBuffer payload;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Keys keys = Keys.generate();
        DatagramChannel serverSocket = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        server = DtlsChannel.accept(serverSocket, keys.oursServer());
        client = DtlsChannel.open((InetSocketAddress) serverSocket.getLocalAddress(), keys.oursClient());
        long until = System.currentTimeMillis() + HANDSHAKE_MILLIS;
        // One thread drives both ends until both are done.
        while (client.handshake() != DtlsChannel.Status.OK | server.handshake() != DtlsChannel.Status.OK) {
            if (System.currentTimeMillis() > until) {
                throw new IllegalStateException("no handshake within " + HANDSHAKE_MILLIS + " ms");
            }
            Thread.sleep(1);
        }
        payload = ByteBuffer.wrap(new byte[size]);
    }

    @Benchmark
    public DtlsChannel.Status write() throws Exception {
        payload.clear();
        return client.write(payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        client.close();
        server.close();
    }
}
