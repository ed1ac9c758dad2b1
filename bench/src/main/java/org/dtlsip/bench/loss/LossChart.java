package org.dtlsip.bench.loss;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Two panels (p50, p95), completion seconds on a log axis against loss, one line per timer; Java2D only. */
final class LossChart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd)};
    private static final double[] TICKS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50};

    private LossChart() {
    }

    static void write(Path file, List<Double> losses, Map<String, double[][]> series, int count, long delay)
            throws IOException {
        int w = 1200;
        int h = 560;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString("DTLS 1.2 handshake completion vs loss: dtlsip engines, simulated network, " + delay
                + " ms one way, " + count + " handshakes per point", 30, 30);
        double max = 0.1;
        double min = 10;
        for (double[][] s : series.values()) {
            for (double[] row : s) {
                for (double v : row) {
                    if (!Double.isNaN(v)) {
                        max = Math.max(max, v);
                        min = Math.min(min, v);
                    }
                }
            }
        }
        double lo = 0.1;
        while (lo > min) {
            lo /= 2;
        }
        double hi = 1;
        while (hi < max * 1.1) {
            hi *= 2;
        }
        panel(g, 70, 70, 500, 380, "median (p50)", 0, losses, series, lo, hi);
        panel(g, 660, 70, 500, 380, "95th percentile (p95)", 1, losses, series, lo, hi);
        // legend
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.setColor(Color.BLACK);
        g.drawString("initial retransmission timer:", 70, 500);
        int x = 70;
        int i = 0;
        for (String label : series.keySet()) {
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(3));
            g.drawLine(x, 520, x + 30, 520);
            g.fillOval(x + 10, 515, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(label, x + 38, 526);
            x += 275;
            i++;
        }
        g.dispose();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static void panel(Graphics2D g, int x0, int y0, int pw, int ph, String title, int which,
            List<Double> losses, Map<String, double[][]> series, double lo, double hi) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title + ", seconds (log scale)", x0, y0 - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1));
        for (double t : TICKS) {
            if (t < lo || t > hi) {
                continue;
            }
            int y = y(t, y0, ph, lo, hi);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0, y, x0 + pw, y);
            g.setColor(Color.BLACK);
            String s = t < 1 ? String.valueOf(t) : String.valueOf((int) t);
            g.drawString(s, x0 - 8 - fm.stringWidth(s), y + 5);
        }
        g.drawRect(x0, y0, pw, ph);
        int n = losses.size();
        for (int k = 0; k < n; k++) {
            int x = x0 + 40 + k * (pw - 80) / Math.max(1, n - 1);
            String s = Math.round(losses.get(k) * 100) + "% loss";
            g.drawString(s, x - fm.stringWidth(s) / 2, y0 + ph + 20);
        }
        int i = 0;
        for (double[][] s : series.values()) {
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(3));
            int px = -1;
            int py = -1;
            for (int k = 0; k < n; k++) {
                double v = s[which][k];
                int x = x0 + 40 + k * (pw - 80) / Math.max(1, n - 1) + (i - 2) * 3;
                if (Double.isNaN(v)) {
                    px = -1;
                    continue;
                }
                int y = y(v, y0, ph, lo, hi);
                g.fillOval(x - 5, y - 5, 10, 10);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            i++;
        }
    }

    private static int y(double v, int y0, int ph, double lo, double hi) {
        double f = (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
        return (int) Math.round(y0 + ph - f * ph);
    }
}
