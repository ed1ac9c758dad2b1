package org.dtlsip.sample.uac;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Prints {@code bin/compare}'s table from the CSV that {@link CompareRun} rows make, and draws
 * a PNG chart of setup time per transport: first call (with handshakes) and later calls'
 * p50 and p95, on two panels because they differ by orders of magnitude.
 */
public final class CompareReport {
    private record Row(String transport, int calls, int ok, double first, double p50, double p95, String firstPackets,
            String firstBytes, String packets, String bytes, double cpu) {
    }

    private CompareReport() {
    }

    /** Arguments: CSV [PNG]. */
    public static void main(String[] args) throws IOException {
        List<Row> rows = read(Path.of(args[0]));
        printTable(rows);
        if (args.length > 1) {
            chart(rows, Path.of(args[1]));
            System.out.println("chart: " + args[1]);
        }
    }

    private static List<Row> read(Path csv) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.isBlank() || line.startsWith("transport,")) {
                continue;
            }
            String[] f = line.split(",", -1);
            rows.add(new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), f[6], f[7], f[8], f[9], Double.parseDouble(f[10])));
        }
        return rows;
    }

    private static void printTable(List<Row> rows) {
        String fmt = "| %-8s | %7s | %10s | %9s | %9s | %15s | %15s | %13s |%n";
        System.out.printf(fmt, "", "calls", "first call", "later p50", "later p95", "first call", "later calls", "CPU per call");
        System.out.printf(fmt, "", "ok", "setup ms", "setup ms", "setup ms", "packets / bytes", "packets / bytes", "ms (both ends)");
        System.out.printf(fmt, "---", "---", "---", "---", "---", "---", "---", "---");
        for (Row r : rows) {
            System.out.printf(fmt, r.transport, r.ok + "/" + r.calls, f(r.first), f(r.p50), f(r.p95),
                    r.firstPackets + " / " + r.firstBytes, r.packets + " / " + r.bytes, String.format(Locale.ROOT, "%.2f", r.cpu));
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static final Color FIRST = new Color(0xC0, 0x50, 0x4D);
    private static final Color P50 = new Color(0x4F, 0x81, 0xBD);
    private static final Color P95 = new Color(0x9B, 0xBB, 0x59);

    private static void chart(List<Row> rows, Path png) throws IOException {
        int w = 1000;
        int h = 480;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        int calls = rows.isEmpty() ? 0 : rows.get(0).calls;
        g.drawString("SIP call setup time (INVITE sent to 200 received) on loopback, " + calls + " calls per transport", 20, 30);
        panel(g, rows, 20, 60, 440, 380, "first call (includes TCP/TLS/DTLS handshakes)", true);
        panel(g, rows, 520, 60, 460, 380, "later calls, one at a time", false);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, List<Row> rows, int x, int y, int w, int h, String title, boolean first) {
        int left = x + 55;
        int bottom = y + h - 40;
        int top = y + 30;
        double max = 0;
        for (Row r : rows) {
            max = Math.max(max, first ? r.first : Math.max(r.p50, r.p95));
        }
        double scale = niceCeiling(max * 1.15); // headroom for the value labels
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.setColor(Color.BLACK);
        g.drawString(title, x + 10, y + 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double v = scale * i / 5;
            int yy = bottom - (int) ((bottom - top) * i / 5.0);
            g.setColor(new Color(0xE0, 0xE0, 0xE0));
            g.drawLine(left, yy, x + w, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, scale >= 10 ? "%.0f" : "%.1f", v), x, yy + 4);
        }
        g.drawString("ms", x, top - 10);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(left, bottom, x + w, bottom);
        g.drawLine(left, top, left, bottom);
        int slot = (x + w - left) / Math.max(1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            int sx = left + i * slot;
            double[] values = first ? new double[] {r.first} : new double[] {r.p50, r.p95};
            Color[] colors = first ? new Color[] {FIRST} : new Color[] {P50, P95};
            int bar = (int) (slot * 0.6 / values.length);
            int bx = sx + (slot - bar * values.length) / 2;
            for (int j = 0; j < values.length; j++) {
                int bh = (int) ((bottom - top) * values[j] / scale);
                g.setColor(colors[j]);
                g.fillRect(bx + j * bar, bottom - bh, bar - 2, bh);
                g.setColor(Color.BLACK);
                g.drawString(f(values[j]), bx + j * bar, bottom - bh - 4);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(r.transport.toUpperCase(Locale.ROOT), sx + slot / 2 - g.getFontMetrics().stringWidth(r.transport) / 2 - 4, bottom + 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        }
        if (!first) {
            g.setColor(P50);
            g.fillRect(x + w - 150, y + h - 12, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString("p50", x + w - 133, y + h - 1);
            g.setColor(P95);
            g.fillRect(x + w - 90, y + h - 12, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString("p95", x + w - 73, y + h - 1);
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
