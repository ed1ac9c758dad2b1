package org.dtlsip.dtls.hardening;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.KeyBlock;
import org.dtlsip.dtls.crypto.KeySchedule;
import org.dtlsip.dtls.crypto.PskPremaster;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.ClientKeyExchangePsk;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.RecordProtection;
import org.dtlsip.dtls.record.RecordProtections;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * A hand-driven PSK client (TLS_PSK_WITH_AES_128_GCM_SHA256, no extended_master_secret) that
 * knows its own keys, so a test can send the server any message, in any order, in epoch 0 or
 * encrypted in epoch 1 — what a protocol state fuzzer's mapper does. Talks to a real server
 * engine directly (cookies off).
 */
final class ScriptedPskClient {
    static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    static final byte[] IDENTITY = "scripted".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    final DtlsEngine server;
    final byte[] clientRandom = new byte[32];
    byte[] serverRandom;
    byte[] masterSecret;
    private final ByteWriter transcript = new ByteWriter();
    private RecordProtection write;
    private long epoch1Seq;
    long now = 1;

    static DtlsConfig serverConfig() {
        return DtlsConfig.forServer().cipherSuites(List.of(SUITE))
                .pskStore(id -> java.util.Arrays.equals(id, IDENTITY) ? KEY.clone() : null)
                .cookieExchange(false).build();
    }

    ScriptedPskClient() {
        this(serverConfig());
    }

    ScriptedPskClient(DtlsConfig config) {
        new SecureRandom().nextBytes(clientRandom);
        server = DtlsEngine.server(config, new CookieExchange.Accept(0, 0), 0);
    }

    byte[] clientHelloBody() {
        return new ClientHello(ProtocolVersion.DTLS_1_2, clientRandom, new byte[0], new byte[0],
                List.of(SUITE.code), List.of(0), List.of()).encode();
    }

    /** Sends the ClientHello and reads ServerHello + ServerHelloDone; the server then waits for seq 1. */
    void hello() {
        byte[] body = clientHelloBody();
        transcript.bytes(new HandshakeMessage(HandshakeType.CLIENT_HELLO, 0, body).transcriptBytes());
        List<byte[]> reply = send(Wire.record(ContentType.HANDSHAKE.code, ProtocolVersion.DTLS_1_2, 0, Wire.freshSeq(),
                Wire.fragment(HandshakeType.CLIENT_HELLO.code, body.length, 0, 0, body)));
        for (HandshakeFragment f : Wire.plainFragments(reply)) {
            HandshakeType t = HandshakeType.of(f.msgType());
            transcript.bytes(new HandshakeMessage(t, f.messageSeq(), f.fragment()).transcriptBytes());
            if (t == HandshakeType.SERVER_HELLO) {
                serverRandom = ServerHello.decode(f.fragment()).random();
            }
        }
        if (serverRandom == null) {
            throw new AssertionError("no ServerHello from the server: " + server.failure());
        }
    }

    /** The ClientKeyExchange (seq 1) as a plaintext record; derives the keys. */
    byte[] clientKeyExchange() {
        byte[] body = new ClientKeyExchangePsk(IDENTITY, new byte[0]).encode();
        transcript.bytes(new HandshakeMessage(HandshakeType.CLIENT_KEY_EXCHANGE, 1, body).transcriptBytes());
        masterSecret = KeySchedule.masterSecret(SUITE.prfHash, PskPremaster.plain(KEY), clientRandom, serverRandom);
        KeyBlock keys = KeySchedule.keyBlock(SUITE, masterSecret, clientRandom, serverRandom);
        write = RecordProtections.forWriting(SUITE, keys, true, false, new SecureRandom());
        return Wire.plainMessage(HandshakeType.CLIENT_KEY_EXCHANGE.code, 1, body);
    }

    static byte[] changeCipherSpec() {
        return Wire.plain(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1});
    }

    /** The verify_data the server expects in our Finished (RFC 5246 7.4.9). */
    byte[] correctVerifyData() {
        try {
            byte[] hash = MessageDigest.getInstance(SUITE.prfHash.digestName).digest(transcript.toByteArray());
            return KeySchedule.verifyData(SUITE.prfHash, masterSecret, true, hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record of epoch 1 protected with our real write keys. */
    byte[] encrypted(ContentType type, byte[] plaintext) {
        long seq = epoch1Seq++;
        byte[] fragment = write.protect(type.code, ProtocolVersion.DTLS_1_2, 1, seq, plaintext, 0, plaintext.length);
        return Wire.record(type.code, ProtocolVersion.DTLS_1_2, 1, seq, fragment);
    }

    byte[] encryptedMessage(int msgType, int messageSeq, byte[] body) {
        return encrypted(ContentType.HANDSHAKE, Wire.fragment(msgType, body.length, messageSeq, 0, body));
    }

    byte[] finished(byte[] verifyData) {
        return encryptedMessage(HandshakeType.FINISHED.code, 2, verifyData);
    }

    List<byte[]> send(byte[]... datagrams) {
        for (byte[] d : datagrams) {
            server.receive(d, now++);
        }
        return Drain.datagrams(server);
    }
}
