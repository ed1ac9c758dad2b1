package org.dtlsip.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rows of named figures, printed as an aligned table and written as CSV. */
public final class Table {
    private final List<String> columns;
    private final List<Map<String, String>> rows = new ArrayList<>();

    public Table(List<String> columns) {
        this.columns = columns;
    }

    public Map<String, String> row() {
        Map<String, String> row = new LinkedHashMap<>();
        rows.add(row);
        return row;
    }

    public List<Map<String, String>> rows() {
        return rows;
    }

    public void print(PrintStream out) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            for (Map<String, String> r : rows) {
                width[i] = Math.max(width[i], r.getOrDefault(columns.get(i), "").length());
            }
        }
        StringBuilder line = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < width.length; i++) {
            line.append(' ').append(pad(columns.get(i), width[i], i == 0)).append(" |");
            rule.append(i == 0 ? "-" : "").append("-".repeat(width[i] + (i == 0 ? 0 : 1))).append(i == 0 ? "-|" : ":|");
        }
        out.println(line);
        out.println(rule);
        for (Map<String, String> r : rows) {
            StringBuilder l = new StringBuilder("|");
            for (int i = 0; i < width.length; i++) {
                l.append(' ').append(pad(r.getOrDefault(columns.get(i), ""), width[i], i == 0)).append(" |");
            }
            out.println(l);
        }
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? s + fill : fill + s;
    }

    public void writeCsv(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, String> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(r.getOrDefault(c, "").replace(",", ""));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        Files.writeString(file, sb);
    }

    public static String f(double v, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }
}
