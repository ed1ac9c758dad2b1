package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retained heap per idle established server association: N handshakes on the in-memory
 * network, the client engines dropped, then heap used after GC compared with before. The unit
 * test bounds it for 1,000 associations; {@code -Dio.bench=true} runs 10,000 and prints a
 * class histogram (docs/BENCHMARKS.md, "server").
 */
class ServerMemoryTest {
    /** Generous bound: an idle association measured ~10 KiB; this catches a leak of buffers or transcripts. */
    static final long MAX_BYTES_PER_ASSOCIATION = 32 * 1024;

    static final class Result {
        long bytesPerAssociation;
        double seconds;
        int associations;
    }

    static Result measure(int n, boolean histogram) throws Exception {
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).build();
        new MemoryNet(server, ServerLimits.defaults()).establish(1, 10, client); // warm up
        long before = DtlsServerFloodTest.usedHeapAfterGc();
        MemoryNet net = new MemoryNet(server, ServerLimits.defaults().withMaxAssociations(n).withMaxHandshakes(n));
        long start = System.nanoTime();
        for (int i = 0; i < n; i += 500) {
            net.establish(i + 1, Math.min(500, n - i), client);
            net.clients.clear(); // keep only the server's side
        }
        Result r = new Result();
        r.seconds = (System.nanoTime() - start) / 1e9;
        net.recorder.completed.clear();
        long after = DtlsServerFloodTest.usedHeapAfterGc();
        r.associations = net.server.associationCount();
        r.bytesPerAssociation = (after - before) / Math.max(1, r.associations);
        if (histogram) {
            Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().limit(25).forEach(System.out::println);
            }
            p.waitFor(30, TimeUnit.SECONDS);
        }
        System.out.printf("%d idle established server associations: %d bytes each (%.1f KiB); "
                + "%d in-memory handshakes (both sides, one thread) in %.1f s = %.0f/s%n",
                r.associations, r.bytesPerAssociation, r.bytesPerAssociation / 1024.0, n, r.seconds, n / r.seconds);
        assertEquals(n, net.server.stats().handshakesCompleted());
        // keep the server reachable until measured
        assertEquals(r.associations, net.server.associationCount());
        return r;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idleAssociationsRetainBoundedHeap() throws Exception {
        Result r = measure(1_000, false);
        assertEquals(1_000, r.associations);
        assertTrue(r.bytesPerAssociation < MAX_BYTES_PER_ASSOCIATION, r.bytesPerAssociation + " bytes per association");
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void benchTenThousandAssociations() throws Exception {
        assumeTrue(Boolean.getBoolean("io.bench"), "benchmark: run with -Dio.bench=true");
        measure(10_000, true);
    }
}
