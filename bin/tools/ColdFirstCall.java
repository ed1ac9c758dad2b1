import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;

/**
 * The samples' cold first call (docs/BENCHMARKS.md, "Cold start"): a warm bin/sample-uas on
 * loopback (udp, tls and dtls-udp), then, interleaved so that the machine's load hits all alike,
 * runs of a trivial Java main and of `bin/sample-uac --calls 1 --hold-ms 0` per transport, each a
 * fresh JVM through the launcher (with its class-data archive). Per run: wall time from launch to
 * the UAC's first line (start-up done), to its summary (the first call over: INVITE to BYE's 200,
 * handshake included), and to exit, and the call's setup time as the UAC prints it (INVITE sent
 * to 200 received), and the CPU time (user+sys) of the launcher and its JVM. Prints one table of
 * medians (min-max).
 *
 * <pre>java bin/tools/ColdFirstCall.java [--runs N] [--home DIR]...</pre>
 * Each --home (default: this project) is a checkout whose bin/sample-uac is run, to compare two
 * builds in one run; the UAS is the first home's. Build each home first (run its bin/sample-uac --version).
 */
public class ColdFirstCall {
    private static final List<String> TRANSPORTS = List.of("udp", "dtls-udp", "tls");
    private static final Pattern SETUP = Pattern.compile("uac:   first call   ([0-9.]+) ms");

    record Run(double header, double done, double exit, double setup, double cpu) { }

    public static void main(String[] args) throws Exception {
        int runs = 7;
        List<Path> homes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--home" -> homes.add(Path.of(args[++i]).toAbsolutePath().normalize());
                default -> throw new IllegalArgumentException("usage: ColdFirstCall [--runs N] [--home DIR]...");
            }
        }
        if (homes.isEmpty()) {
            homes.add(Path.of(".").toAbsolutePath().normalize());
        }
        int udp, dtls, tls;
        try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0); ServerSocket c = new ServerSocket(0)) {
            udp = a.getLocalPort();
            dtls = b.getLocalPort();
            tls = c.getLocalPort();
        }
        Process uas = new ProcessBuilder(homes.get(0).resolve("bin/sample-uas").toString(), "--quiet",
                "--transport", "udp:" + udp, "--transport", "dtls-udp:" + dtls, "--transport", "tls:" + tls)
                .redirectErrorStream(true).start();
        BufferedReader uasOut = new BufferedReader(new InputStreamReader(uas.getInputStream(), StandardCharsets.UTF_8));
        String fingerprint = null;
        for (String l; fingerprint == null && (l = uasOut.readLine()) != null; ) {
            Matcher m = Pattern.compile("certificate fingerprint ([0-9A-F:]+)").matcher(l);
            if (m.find()) {
                fingerprint = m.group(1);
            }
        }
        Thread drain = new Thread(() -> uasOut.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        Map<String, Integer> ports = Map.of("udp", udp, "dtls-udp", dtls, "tls", tls);
        Path hello = helloClass();
        try {
            // Warm the UAS: a few hundred calls per transport before any measured run.
            for (String t : TRANSPORTS) {
                uac(homes.get(0), t, ports.get(t), fingerprint, "200");
            }
            Map<String, List<Run>> results = new LinkedHashMap<>();
            for (int r = 0; r < runs; r++) {
                results.computeIfAbsent("trivial Java main, start and exit", k -> new ArrayList<>()).add(trivial(hello));
                for (Path home : homes) {
                    for (String t : TRANSPORTS) {
                        String name = "bin/sample-uac " + t + (homes.size() > 1 ? " (" + home + ")" : "");
                        results.computeIfAbsent(name, k -> new ArrayList<>()).add(uac(home, t, ports.get(t), fingerprint, "1"));
                    }
                }
            }
            System.out.printf("| %d runs each, median (min-max) | launch to first line | launch to first call done "
                    + "| launch to exit | first call setup (INVITE to 200) | CPU (user+sys) |%n|---|---|---|---|---|---|%n", runs);
            results.forEach((name, list) -> System.out.printf("| %s | %s | %s | %s | %s | %s |%n", name,
                    stat(list, Run::header, "s"), stat(list, Run::done, "s"), stat(list, Run::exit, "s"),
                    stat(list, Run::setup, "ms"), stat(list, Run::cpu, "s")));
        } finally {
            uas.destroy();
        }
    }

    private static Run uac(Path home, String transport, int port, String fingerprint, String calls) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/sample-uac").toString(),
                "--target", "sip:uas@127.0.0.1:" + port + ";transport=" + transport, "--calls", calls,
                "--concurrency", "10", "--hold-ms", "0", "--no-progress"));
        if (!transport.equals("udp")) {
            cmd.addAll(List.of("--fingerprint", fingerprint));
        }
        // CPU (user+sys) of the launcher and its JVM, from /usr/bin/time.
        Path cpuFile = Files.createTempFile("cold-first-call", ".cpu");
        cmd.addAll(0, List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double header = Double.NaN, done = Double.NaN, setup = Double.NaN;
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                double now = (System.nanoTime() - t0) / 1e9;
                all.append(l).append('\n');
                if (Double.isNaN(header) && l.startsWith("uac: ")) {
                    header = now;
                }
                if (Double.isNaN(done) && l.startsWith("uac: calls ")) {
                    done = now;
                }
                Matcher m = SETUP.matcher(l);
                if (m.find()) {
                    setup = Double.parseDouble(m.group(1));
                }
            }
        }
        int status = p.waitFor();
        double exit = (System.nanoTime() - t0) / 1e9;
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + status + ":\n" + all);
        }
        String[] cpu = Files.readString(cpuFile).trim().split("\\s+");
        Files.delete(cpuFile);
        return new Run(header, done, exit, setup, Double.parseDouble(cpu[0]) + Double.parseDouble(cpu[1]));
    }

    private static Run trivial(Path dir) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("java", "-cp", dir.toString(), "Hello").inheritIO().start();
        p.waitFor();
        double exit = (System.nanoTime() - t0) / 1e9;
        return new Run(Double.NaN, Double.NaN, exit, Double.NaN, Double.NaN);
    }

    private static Path helloClass() throws IOException {
        Path dir = Files.createTempDirectory("cold-first-call");
        Path src = dir.resolve("Hello.java");
        Files.writeString(src, "public class Hello { public static void main(String[] a) { } }");
        if (ToolProvider.getSystemJavaCompiler().run(null, null, null, src.toString()) != 0) {
            throw new IllegalStateException("cannot compile " + src);
        }
        return dir;
    }

    private static String stat(List<Run> runs, java.util.function.ToDoubleFunction<Run> f, String unit) {
        double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        String fmt = unit.equals("s") ? "%.3f s (%.3f-%.3f)" : "%.0f ms (%.0f-%.0f)";
        return String.format(fmt, median, v[0], v[v.length - 1]);
    }
}
