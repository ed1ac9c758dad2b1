package org.dtlsip.dtls.docs;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.MessageTraceFormat;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;

/**
 * The Java snippets of README.md and docs/EMBEDDING.md: each region between "tag::NAME[]" and
 * "end::NAME[]" is the text of the block under {@code <!-- snippet: NAME -->} in the docs
 * (DocSnippetsTest checks that they are equal), and SnippetsRunTest runs them.
 */
final class DtlsSnippets {
    private DtlsSnippets() {
    }

    /** An echo server on {@code port} (0: any) with a PEM certificate; returns it started. */
    static DtlsServer echoServer(Path certFile, Path keyFile, int port) throws IOException {
        // tag::dtls-server[]
        DtlsConfig config = DtlsConfig.forServer()
                .certifiedKey(Pem.readCertifiedKey(certFile, keyFile))   // PEM chain (leaf first) and key
                .build();
        DtlsServer server = DtlsServer.bind(new InetSocketAddress("127.0.0.1", port), config, new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer.Association peer, byte[] data) {
                try {
                    peer.send(data);                                       // one record back
                } catch (IOException e) {
                    // the association failed; onClosed says why
                }
            }
        });
        server.start();                                                    // one thread serves every peer
        // end::dtls-server[]
        return server;
    }

    /** Connects pinning the server's fingerprint, sends "hello", returns what came back. */
    static String client(InetSocketAddress serverAddress, String serverFingerprint) throws IOException {
        // tag::dtls-client[]
        DtlsConfig config = DtlsConfig.forClient()
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.parse(serverFingerprint))))
                .build();
        try (DtlsClient client = DtlsClient.connect(serverAddress, config)) {    // runs the handshake
            client.send("hello".getBytes(StandardCharsets.UTF_8));
            byte[] reply = client.receive(5_000);                                // one record, or a timeout
            return new String(reply, StandardCharsets.UTF_8);
        }                                                                        // close_notify
        // end::dtls-client[]
    }

    /** Connects with a message trace; returns the trace's lines. */
    static List<String> traced(InetSocketAddress serverAddress, String serverFingerprint) throws IOException {
        // tag::message-trace[]
        List<String> lines = new CopyOnWriteArrayList<>();              // called on the engine's thread
        MessageTrace trace = event -> {
            lines.add(MessageTraceFormat.line(event));                  // ">>>   ClientHello message_seq 0, ..."
            if (event instanceof MessageTrace.RetransmissionEvent r) {
                retransmitted(r.cause(), r.timerMillis());              // TIMER after 1000 ms, or PEER_REPEAT
            }
        };
        DtlsConfig config = DtlsConfig.forClient()
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.parse(serverFingerprint))))
                .messageTrace(trace)                                    // unset: nothing reported, nothing spent
                .build();
        // end::message-trace[]
        try (DtlsClient client = DtlsClient.connect(serverAddress, config)) {
            client.send("traced".getBytes(StandardCharsets.UTF_8));
            client.receive(5_000);
        }
        return lines;
    }

    private static void retransmitted(MessageTrace.RetransmissionEvent.Cause cause, long timerMillis) {
        // what an application would count or log
    }

    /** Who the peer is, from an established session. */
    static String describePeer(DtlsSession session) {
        // tag::peer-identity[]
        List<X509Certificate> chain = session.peerCertificates();           // leaf first; empty with PSK
        String who = chain.isEmpty() ? "PSK peer"
                : chain.get(0).getSubjectX500Principal().getName()
                        + " SHA-256 " + Fingerprint.format(Fingerprint.sha256(chain.get(0)));
        String how = session.protocol() + " " + session.ianaCipherSuiteName();
        // end::peer-identity[]
        return who + " over " + how;
    }

    /** The sans-IO engine driven by hand over a UDP socket, as README.md shows; returns the session. */
    static DtlsSession engineLoop(InetSocketAddress server, DtlsConfig config) throws IOException {
        // tag::engine[]
        DtlsEngine engine = DtlsEngine.client(config, now());               // the ClientHello is ready
        try (DatagramSocket udp = new DatagramSocket()) {
            udp.connect(server);
            byte[] buffer = new byte[65_535];
            while (true) {
                for (byte[] out; (out = engine.pollDatagram()) != null; ) {
                    udp.send(new DatagramPacket(out, out.length));
                }
                for (EngineEvent e; (e = engine.pollEvent()) != null; ) {     // HANDSHAKE_COMPLETE, FAILED, ...
                    if (e.kind() == EngineEvent.Kind.HANDSHAKE_COMPLETE) {
                        return engine.session();
                    }
                    if (e.kind() == EngineEvent.Kind.FAILED) {
                        throw e.failure();
                    }
                }
                udp.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, engine.nextDeadline() - now())));
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    udp.receive(in);
                    engine.receive(Arrays.copyOf(buffer, in.getLength()), now());   // whatever arrives
                } catch (SocketTimeoutException e) {
                    engine.handleTimeout(now());                                // retransmits, or gives up
                }
            }
        }
        // end::engine[]
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** Thrown type of the engine's failure, for the reader of the snippet. */
    static Class<DtlsException> failureType() {
        return DtlsException.class;
    }
}
