package org.dtlsip.dtls.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.function.Function;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.message.CertificateMessage;
import org.dtlsip.dtls.handshake.message.CertificateRequest;
import org.dtlsip.dtls.handshake.message.CertificateVerify;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.ClientKeyExchangeEcdhe;
import org.dtlsip.dtls.handshake.message.ClientKeyExchangePsk;
import org.dtlsip.dtls.handshake.message.Finished;
import org.dtlsip.dtls.handshake.message.HandshakeBody;
import org.dtlsip.dtls.handshake.message.HelloRequest;
import org.dtlsip.dtls.handshake.message.HelloVerifyRequest;
import org.dtlsip.dtls.handshake.message.NewSessionTicket;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.handshake.message.ServerHelloDone;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangeEcdhe;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangeEcdhePsk;
import org.dtlsip.dtls.handshake.message.ServerKeyExchangePsk;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Fuzz target: every handshake message codec and the fragment header. The first byte picks
 * the codec, the rest is the body. A decoder may only throw {@link DecodeException}; whatever
 * it accepts must re-encode to bytes that decode to the same thing.
 */
class HandshakeCodecFuzzTest {
    static final List<Function<byte[], HandshakeBody>> DECODERS = List.of(
            ClientHello::decode, ServerHello::decode, HelloVerifyRequest::decode, CertificateMessage::decode,
            ServerKeyExchangeEcdhe::decode, CertificateRequest::decode, ServerHelloDone::decode,
            CertificateVerify::decode, ClientKeyExchangeEcdhe::decode, Finished::decode, NewSessionTicket::decode,
            HelloRequest::decode, ServerKeyExchangePsk::decode, ServerKeyExchangeEcdhePsk::decode,
            b -> ClientKeyExchangePsk.decode(b, false), b -> ClientKeyExchangePsk.decode(b, true));

    @FuzzTest(maxDuration = "10s")
    void decode(FuzzedDataProvider data) {
        int which = data.consumeInt(0, DECODERS.size());
        byte[] body = data.consumeRemainingAsBytes();
        if (which == DECODERS.size()) {
            fragments(body);
            return;
        }
        Function<byte[], HandshakeBody> decoder = DECODERS.get(which);
        HandshakeBody message;
        try {
            message = decoder.apply(body);
        } catch (DecodeException expected) {
            return;
        }
        byte[] again = message.encode();
        assertArrayEquals(again, decoder.apply(again).encode(), "re-encoding is stable");
    }

    private static void fragments(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        try {
            while (r.hasRemaining()) {
                HandshakeFragment f = HandshakeFragment.decode(r);
                ByteWriter w = new ByteWriter();
                f.encode(w);
                assertArrayEquals(w.toByteArray(), reencode(HandshakeFragment.decode(new ByteReader(w.toByteArray()))));
            }
        } catch (DecodeException expected) {
            // fine
        }
    }

    private static byte[] reencode(HandshakeFragment f) {
        ByteWriter w = new ByteWriter();
        f.encode(w);
        return w.toByteArray();
    }
}
