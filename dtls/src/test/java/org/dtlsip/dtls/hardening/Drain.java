package org.dtlsip.dtls.hardening;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.engine.DtlsEngine;

/** Takes everything an engine wants to send. */
final class Drain {
    private Drain() {
    }

    static List<byte[]> datagrams(DtlsEngine engine) {
        List<byte[]> out = new ArrayList<>();
        byte[] d;
        while ((d = engine.pollDatagram()) != null) {
            out.add(d);
        }
        return out;
    }

    static void events(DtlsEngine engine) {
        while (engine.pollEvent() != null) {
            // discard
        }
    }

    /** Delivers each datagram to {@code to} and returns what it sent back. */
    static List<byte[]> deliver(List<byte[]> datagrams, DtlsEngine to, long now) {
        for (byte[] d : datagrams) {
            to.receive(d, now);
        }
        return datagrams(to);
    }
}
