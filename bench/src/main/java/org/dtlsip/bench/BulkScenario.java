package org.dtlsip.bench;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One-way application data: the client sends records of a fixed size as fast as its API lets it
 * for a fixed time; the server counts what it received. Sending on UDP can outrun the receiver,
 * so the sender's count, the receiver's count and the loss between them are all reported;
 * throughput is the receiver's.
 *
 * <p>CPU per record, which a shared machine disturbs far less than throughput: the sending
 * thread's user and system time per record sent (for the C sender, its process's), and the
 * receiver's user+system time per record received: the C receiver's process, or for a receiver
 * in this JVM the whole process less the sending thread (so it includes the JIT and the
 * collector, at 10 ms resolution).
 */
final class BulkScenario {
    private static final long DRAIN_MILLIS = 500;

    private BulkScenario() {
    }

    static Table run(Keys keys, List<String> impls, double seconds, double warmupSeconds, int size, int batch)
            throws Exception {
        Table t = new Table(BenchMain.columns("impl", "seconds", "size", "batch", "sent_per_s", "received_per_s", "MB_per_s",
                "loss_pct", "send_user_us", "send_sys_us", "recv_cpu_us", "ours_MBps_ratio"));
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 'x');
        for (String impl : impls) {
            System.out.println("-- " + impl + ": " + warmupSeconds + " s warm-up, " + seconds + " s measured, "
                    + size + "-byte records" + (batch > 1 ? ", " + batch + " per gathering write" : ""));
            try (Contender c = BenchMain.create(impl, keys)) {
                InetSocketAddress server = c.startBulkServer();
                long sent;
                CpuTimes senderCpu;
                CpuTimes receiverCpu;
                if (c instanceof ExternalClient ext && ext.runsClient()) {
                    c.resetCounters();
                    CpuTimes process = CpuTimes.process("self");
                    CpuTimes external = c.externalReceiverCpu();
                    ExternalClient.Sent s = ext.bulk(server, seconds, size); // C: no JIT to warm up
                    receiverCpu = receiverCpu(c, process, external, CpuTimes.UNKNOWN);
                    sent = s.records();
                    senderCpu = s.cpu();
                } else {
                    try (Contender.Connection conn = c.connect(server)) {
                        sendFor(conn, payload, warmupSeconds, batch);
                        Thread.sleep(DRAIN_MILLIS);
                        c.resetCounters();
                        CpuTimes process = CpuTimes.process("self");
                        CpuTimes external = c.externalReceiverCpu();
                        CpuTimes thread = CpuTimes.currentThread();
                        sent = sendFor(conn, payload, seconds, batch);
                        senderCpu = CpuTimes.currentThread().since(thread);
                        Thread.sleep(DRAIN_MILLIS);
                        receiverCpu = receiverCpu(c, process, external, senderCpu);
                    }
                }
                long receivedBytes = c.receivedBytes();
                long received = receivedBytes / size;
                Map<String, String> row = t.row();
                row.put("impl", impl);
                row.put("seconds", Table.f(seconds, 1));
                row.put("size", Integer.toString(size));
                row.put("batch", Integer.toString(batch));
                row.put("sent_per_s", Table.f(sent / seconds, 0));
                row.put("received_per_s", Table.f(received / seconds, 0));
                row.put("MB_per_s", Table.f(receivedBytes / seconds / 1e6, 1));
                row.put("loss_pct", Table.f(sent == 0 ? 0 : 100.0 * (sent - received) / sent, 1));
                row.put("send_user_us", perRecord(senderCpu.known() ? senderCpu.userNanos() : -1, sent));
                row.put("send_sys_us", perRecord(senderCpu.known() ? senderCpu.sysNanos() : -1, sent));
                row.put("recv_cpu_us", perRecord(receiverCpu.known() ? receiverCpu.totalNanos() : -1, received));
                System.out.println("   sent " + sent + ", received " + received + " -> " + row.get("MB_per_s") + " MB/s; "
                        + "sender " + row.get("send_user_us") + " + " + row.get("send_sys_us") + " µs/record (user + sys), "
                        + "receiver " + row.get("recv_cpu_us") + " µs/record");
            } catch (Exception e) {
                System.out.println("   " + impl + " failed: " + e);
                e.printStackTrace(System.out);
            }
        }
        Map<String, String> ours = t.rows().stream().filter(r -> r.get("impl").equals("ours")).findFirst().orElse(null);
        if (ours != null) {
            for (Map<String, String> r : t.rows()) {
                double peer = Double.parseDouble(r.get("MB_per_s"));
                r.put("ours_MBps_ratio", peer == 0 ? "" : Table.f(Double.parseDouble(ours.get("MB_per_s")) / peer, 2));
            }
        }
        return t;
    }

    /**
     * The receiver's CPU since the marks: an external receiver's own, or this process's less the
     * sending thread's ({@code senderInProcess}, unknown when the sender is another process).
     */
    private static CpuTimes receiverCpu(Contender c, CpuTimes processMark, CpuTimes externalMark, CpuTimes senderInProcess) {
        if (externalMark.known()) {
            return c.externalReceiverCpu().since(externalMark);
        }
        CpuTimes process = CpuTimes.process("self").since(processMark);
        return senderInProcess.known() ? process.minus(senderInProcess) : process;
    }

    private static String perRecord(long nanos, long records) {
        return nanos < 0 || records == 0 ? "" : Table.f(nanos / 1e3 / records, 2);
    }

    private static long sendFor(Contender.Connection conn, byte[] payload, double seconds, int batch) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        if (batch <= 1) {
            while (System.nanoTime() < end) {
                conn.send(payload);
                n++;
            }
            return n;
        }
        java.nio.ByteBuffer[] records = new java.nio.ByteBuffer[batch];
        for (int i = 0; i < batch; i++) {
            records[i] = java.nio.ByteBuffer.wrap(payload);
        }
        while (System.nanoTime() < end) {
            for (java.nio.ByteBuffer r : records) {
                r.clear(); // the whole payload again; the write consumed it
            }
            conn.send(records);
            n += batch;
        }
        return n;
    }
}
