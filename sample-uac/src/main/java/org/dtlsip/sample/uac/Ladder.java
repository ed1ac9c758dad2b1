package org.dtlsip.sample.uac;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The message ladder of one call: what the UAC sent and received, and the DTLS handshake, with times. */
final class Ladder {
    private static final int WIDTH = 34;

    private record Step(long nanos, String text) {
    }

    private final List<Step> steps = new ArrayList<>();
    private volatile long start = -1;

    synchronized void sent(String what) {
        add(pad(what + " ", '-') + ">");
    }

    synchronized void received(String what) {
        add("<" + pad("", '-').substring(1) + " " + what);
    }

    synchronized void note(String what) {
        add("   ==== " + what + " ====");
    }

    /** A DTLS record or handshake message (a {@code MessageTraceFormat} line: >>> sent, <<< received). */
    synchronized void dtls(String line) {
        add("   dtls " + line);
    }

    private void add(String text) {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
        }
        steps.add(new Step(now, text));
    }

    private static String pad(String s, char fill) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < WIDTH) {
            sb.append(fill);
        }
        return sb.toString();
    }

    synchronized void print(PrintStream out, String title, String uasName) {
        out.println("uac: ladder of " + title);
        out.printf("uac: %10s  %-" + (WIDTH + 1) + "s%s%n", "ms", "UAC", uasName);
        for (Step s : steps) {
            out.printf("uac: %10.1f  %s%n", (s.nanos - start) / 1e6, s.text);
        }
    }
}
