package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.util.Hex;

/**
 * A recorded DTLS 1.3 association: the datagrams in the order a relay passed them, and the NSS
 * key log lines of the TLS 1.3 secrets. Stored as text so that a capture from a real peer can be
 * kept as a test resource and checked on machines without that peer:
 *
 * <pre>
 * # free text
 * KEYLOG CLIENT_HANDSHAKE_TRAFFIC_SECRET &lt;client random&gt; &lt;secret&gt;
 * C 16fefd...    (client to server, hex)
 * S 16fefd...    (server to client)
 * </pre>
 */
public record Dtls13Capture(List<String> comments, List<Datagram> datagrams, List<KeyLogLine> keyLog) {

    /** One datagram: {@code fromClient} true for client to server. */
    public record Datagram(boolean fromClient, byte[] payload) {
    }

    /** One NSS key log line: {@code LABEL client_random secret}. */
    public record KeyLogLine(String label, byte[] clientRandom, byte[] secret) {
        static KeyLogLine parse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException("not a key log line: " + line);
            }
            return new KeyLogLine(f[0], Hex.decode(f[1]), Hex.decode(f[2]));
        }

        String format() {
            return label + " " + Hex.encode(clientRandom) + " " + Hex.encode(secret);
        }
    }

    public Dtls13Capture {
        comments = List.copyOf(comments);
        datagrams = List.copyOf(datagrams);
        keyLog = List.copyOf(keyLog);
    }

    /** From a relay's record and a key log file. */
    public static Dtls13Capture of(List<String> comments, UdpRelay relay, Path keyLogFile) throws IOException {
        List<Datagram> datagrams = new ArrayList<>();
        for (UdpRelay.Datagram d : relay.datagrams()) {
            datagrams.add(new Datagram(d.direction() == UdpRelay.Direction.CLIENT_TO_SERVER, d.payload()));
        }
        List<KeyLogLine> keys = new ArrayList<>();
        if (Files.exists(keyLogFile)) {
            for (String line : Files.readAllLines(keyLogFile, StandardCharsets.US_ASCII)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    keys.add(KeyLogLine.parse(line));
                }
            }
        }
        return new Dtls13Capture(comments, datagrams, keys);
    }

    /** The secret logged with {@code label} for the connection whose ClientHello had {@code clientRandom}. */
    public byte[] secret(String label, byte[] clientRandom) {
        for (KeyLogLine k : keyLog) {
            if (k.label().equals(label) && java.util.Arrays.equals(k.clientRandom(), clientRandom)) {
                return k.secret().clone();
            }
        }
        throw new AssertionError("no " + label + " in the key log for client random " + Hex.encode(clientRandom));
    }

    public void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder();
        for (String c : comments) {
            out.append("# ").append(c).append('\n');
        }
        for (KeyLogLine k : keyLog) {
            out.append("KEYLOG ").append(k.format()).append('\n');
        }
        for (Datagram d : datagrams) {
            out.append(d.fromClient() ? "C " : "S ").append(Hex.encode(d.payload())).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
    }

    /** A capture kept under src/test/resources/org/dtlsip/dtls/interop/dtls13/. */
    public static Dtls13Capture resource(String name) {
        try (InputStream in = Dtls13Capture.class.getResourceAsStream("dtls13/" + name)) {
            if (in == null) {
                throw new AssertionError("no capture resource dtls13/" + name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dtls13Capture parse(String text) {
        List<String> comments = new ArrayList<>();
        List<Datagram> datagrams = new ArrayList<>();
        List<KeyLogLine> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# ")) {
                comments.add(line.substring(2));
            } else if (line.startsWith("KEYLOG ")) {
                keys.add(KeyLogLine.parse(line.substring(7)));
            } else if (line.startsWith("C ") || line.startsWith("S ")) {
                datagrams.add(new Datagram(line.charAt(0) == 'C', Hex.decode(line.substring(2).trim())));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException("unexpected capture line: " + line);
            }
        }
        return new Dtls13Capture(comments, datagrams, keys);
    }
}
