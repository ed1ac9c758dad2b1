package org.dtlsip.dtls.fuzz;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.Finished;
import org.dtlsip.dtls.handshake.message.HelloVerifyRequest;
import org.dtlsip.dtls.handshake.message.ServerHelloDone;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * Regenerates the committed seed corpus from real flights (not part of the suite):
 * {@code mvn -pl dtls test -Dtest=SeedCorpusWriter -Dfuzz.writeSeeds=dtls/src/test/resources}.
 */
class SeedCorpusWriter {
    @Test
    void write() throws IOException {
        String root = System.getProperty("fuzz.writeSeeds");
        assumeTrue(root != null);
        Path base = Path.of(root).toAbsolutePath().resolve("org/dtlsip/dtls/fuzz");
        DtlsEngine client = DtlsEngine.client(EngineFuzzTest.CLIENT, 0);
        List<byte[]> flight1 = drain(client);
        DtlsEngine server = DtlsEngine.server(EngineFuzzTest.SERVER, new CookieExchange.Accept(0, 0), 0);
        flight1.forEach(d -> server.receive(d, 1));
        List<byte[]> flight2 = drain(server);
        flight2.forEach(d -> client.receive(d, 2));
        List<byte[]> flight3 = drain(client);
        flight3.forEach(d -> server.receive(d, 3));
        List<byte[]> flight4 = drain(server);

        write(base.resolve("RecordCodecFuzzTestInputs/parse"), "client_hello", flight1.get(0));
        write(base.resolve("RecordCodecFuzzTestInputs/parse"), "server_flight", flight2.get(0));
        write(base.resolve("RecordCodecFuzzTestInputs/parse"), "client_flight", flight3.get(0));
        List<byte[]> all = new ArrayList<>(flight1);
        all.addAll(flight3);
        write(base.resolve("EngineFuzzTestInputs/server"), "handshake", Framing.join(all));
        write(base.resolve("EngineFuzzTestInputs/server"), "client_hello", Framing.join(flight1));
        List<byte[]> toClient = new ArrayList<>(flight2);
        toClient.addAll(flight4);
        write(base.resolve("EngineFuzzTestInputs/client"), "handshake", Framing.join(toClient));

        Path codec = base.resolve("HandshakeCodecFuzzTestInputs/decode");
        byte[] ch = fragmentBody(flight1.get(0));
        write(codec, "client_hello", prefixed(0, ch));
        write(codec, "server_flight_fragments", prefixed(16, handshakePayload(flight2.get(0))));
        write(codec, "hello_verify_request", prefixed(2, new HelloVerifyRequest(0xfeff, new byte[32]).encode()));
        write(codec, "finished", prefixed(9, new Finished(new byte[12]).encode()));
        write(codec, "server_hello_done", prefixed(6, new ServerHelloDone().encode()));
        write(codec, "client_hello_cookie", prefixed(0, ClientHello.decode(ch).withCookie(new byte[32]).encode()));
        ByteWriter frags = new ByteWriter();
        frags.bytes(new byte[] {2}); // seq bias
        for (int i = 0; i < 4; i++) {
            frags.u8(1).u24(40).u16(2 + i % 2).u24(i * 10).u24(10).bytes(new byte[10]);
        }
        write(base.resolve("ReassemblerFuzzTestInputs/offer"), "fragments", frags.toByteArray());
    }

    private static byte[] prefixed(int selector, byte[] body) {
        // FuzzedDataProvider takes integers from the end of the input.
        ByteWriter w = new ByteWriter();
        w.bytes(body).u8(selector);
        return w.toByteArray();
    }

    private static byte[] handshakePayload(byte[] datagram) {
        return org.dtlsip.dtls.record.RecordCodec.parse(datagram, 0, datagram.length).records().get(0).fragment();
    }

    private static byte[] fragmentBody(byte[] datagram) {
        return HandshakeFragment.decode(new org.dtlsip.dtls.util.ByteReader(handshakePayload(datagram))).fragment();
    }

    private static List<byte[]> drain(DtlsEngine e) {
        List<byte[]> out = new ArrayList<>();
        byte[] d;
        while ((d = e.pollDatagram()) != null) {
            out.add(d);
        }
        return out;
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
