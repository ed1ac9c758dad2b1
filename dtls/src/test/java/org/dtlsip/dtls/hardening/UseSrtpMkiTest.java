package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.UseSrtp;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * RFC 5764 4.1.1: the server answers use_srtp with the client's srtp_mki, or an empty one to say
 * it uses none; a client that sees any other MKI aborts with illegal_parameter (issue 12, item 9).
 */
class UseSrtpMkiTest {
    private static final SrtpProfile PROFILE = SrtpProfile.SRTP_AES128_CM_SHA1_80;

    private static DtlsConfig client() {
        return TestKeys.clientPinning(TestKeys.ec()).srtpProfiles(List.of(PROFILE)).build();
    }

    private static DtlsConfig server() {
        return TestKeys.server(TestKeys.ec()).srtpProfiles(List.of(PROFILE)).cookieExchange(false).build();
    }

    /** The server's flight 2 with its ServerHello's use_srtp answering {@code mki}. */
    private static List<byte[]> withServerMki(List<byte[]> flight2, byte[] mki) {
        List<byte[]> out = new ArrayList<>();
        for (HandshakeFragment f : Wire.plainFragments(flight2)) {
            byte[] body = f.fragment();
            if (f.msgType() == HandshakeType.SERVER_HELLO.code) {
                ServerHello sh = ServerHello.decode(body);
                List<Extension> exts = new ArrayList<>();
                for (Extension e : sh.extensions()) {
                    exts.add(e.type() == ExtensionType.USE_SRTP
                            ? new UseSrtp(UseSrtp.from(e).profiles(), mki).toExtension() : e);
                }
                body = new ServerHello(sh.serverVersion(), sh.random(), sh.sessionId(), sh.cipherSuite(),
                        sh.compressionMethod(), exts).encode();
            }
            out.add(Wire.plainMessage(f.msgType(), f.messageSeq(), body));
        }
        return out;
    }

    @Test
    void anMkiTheClientNeverOfferedAbortsWithIllegalParameter() {
        DtlsEngine client = DtlsEngine.client(client(), 0);
        DtlsEngine server = DtlsEngine.server(server(), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> flight2 = Drain.deliver(Drain.datagrams(client), server, 1);
        Drain.deliver(withServerMki(flight2, new byte[] {1, 2, 3}), client, 2);
        assertEquals(DtlsEngine.Status.FAILED, client.status());
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, client.failure().alert());
        assertTrue(client.failure().getMessage().contains("MKI 0x010203"), client.failure().getMessage());
        assertNull(client.session());
    }

    @Test
    void anEmptyMkiMeansNoneAndIsInTheSession() {
        DtlsEngine client = DtlsEngine.client(client(), 0);
        DtlsEngine server = DtlsEngine.server(server(), new CookieExchange.Accept(0, 0), 0);
        List<byte[]> flight2 = Drain.deliver(Drain.datagrams(client), server, 1);
        Drain.deliver(Drain.deliver(Drain.deliver(flight2, client, 2), server, 3), client, 4);
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status(), () -> String.valueOf(client.failure()));
        assertEquals(PROFILE, client.session().srtpProfile());
        assertArrayEquals(new byte[0], client.session().srtpMki());
        assertArrayEquals(new byte[0], server.session().srtpMki());
    }

    @Test
    void withoutUseSrtpThereIsNoMki() {
        DtlsEngine client = DtlsEngine.client(TestKeys.clientPinning(TestKeys.ec()).build(), 0);
        DtlsEngine server = DtlsEngine.server(server(), new CookieExchange.Accept(0, 0), 0);
        Drain.deliver(Drain.deliver(Drain.deliver(Drain.deliver(Drain.datagrams(client), server, 1), client, 2), server, 3),
                client, 4);
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status());
        assertNull(client.session().srtpMki());
    }
}
