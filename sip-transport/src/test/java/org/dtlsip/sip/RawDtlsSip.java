package org.dtlsip.sip;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.io.DtlsSocket;

/**
 * A SIP peer written by hand for tests: a DTLS client socket (our engine, CA-issued certificate)
 * over which the test sends SIP text exactly as another stack would write it and reads what
 * comes back as text, byte for byte as our stack encoded it.
 */
final class RawDtlsSip implements AutoCloseable {
    static final long READ_MILLIS = 10_000;

    final DtlsSocket socket;

    RawDtlsSip(InetSocketAddress server, String name) throws Exception {
        TestPki pki = TestPki.get();
        java.nio.file.Path[] cert = pki.issue(name);
        DtlsConfig config = DtlsConfig.forClient()
                .certifiedKey(Pem.readCertifiedKey(cert[0], cert[1]))
                .peerVerifier(PeerVerifier.pkix(List.of(pki.ca.leaf())))
                .initialRetransmitMillis(200)
                .build();
        socket = DtlsSocket.connect(server, config);
        socket.handshake();
    }

    int localPort() throws IOException {
        return socket.localAddress().getPort();
    }

    void send(String message) throws IOException {
        socket.write(message.getBytes(StandardCharsets.UTF_8));
    }

    /** The next SIP message, or an AssertionError after {@link #READ_MILLIS}. */
    String receive() throws IOException {
        byte[] b = socket.read(READ_MILLIS);
        if (b == null) {
            throw new AssertionError("nothing received within " + READ_MILLIS + " ms");
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The next message whose first line starts with one of {@code starts}, skipping others (retransmissions). */
    String receiveStarting(Set<String> starts) throws IOException {
        long until = System.nanoTime() + READ_MILLIS * 1_000_000;
        while (System.nanoTime() < until) {
            String m = receive();
            for (String s : starts) {
                if (m.startsWith(s)) {
                    return m;
                }
            }
        }
        throw new AssertionError("no message starting with " + starts + " within " + READ_MILLIS + " ms");
    }

    /** The header lines named {@code name} (full name, as our stack writes them), in order, as they are on the wire. */
    static List<String> headerLines(String message, String name) {
        List<String> out = new ArrayList<>();
        for (String line : message.substring(0, message.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * The Via header field values in order, each exactly as written: rows split at the commas
     * that separate values (RFC 3261 7.3.1); Via values hold no quoted strings.
     */
    static List<String> viaValues(String message) {
        List<String> out = new ArrayList<>();
        for (String line : headerLines(message, "Via")) {
            for (String v : line.substring("Via:".length()).split(",")) {
                out.add(v.trim());
            }
        }
        return out;
    }

    /** The value of the first header {@code name}, trimmed. */
    static String header(String message, String name) {
        List<String> lines = headerLines(message, name);
        if (lines.isEmpty()) {
            throw new AssertionError("no " + name + " in\n" + message);
        }
        return lines.get(0).substring(name.length() + 1).trim();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
