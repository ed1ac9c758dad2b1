package org.dtlsip.sample.uac;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A PrintStream whose text the test reads back, echoed to stdout for the test report. */
final class Captured {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(new java.io.OutputStream() {
        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            System.out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            System.out.write(b, off, len);
        }
    }, true, StandardCharsets.UTF_8);

    String text() {
        synchronized (stream) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
