package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.extension.ApplicationLayerProtocols;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Tls13ExtensionRules;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 8446 4.2: an extension we recognize in a message it is not specified for is an
 * illegal_parameter, even when our ClientHello offered it (it serves DTLS 1.2 as well, so it
 * offers extended_master_secret, renegotiation_info, ALPN...). Without the check a DTLS 1.3
 * ServerHello carrying them was accepted, and EncryptedExtensions was not checked for forbidden
 * extensions as RFC 8446 4.3.1 requires.
 */
class Dtls13ServerHelloExtensionsTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    static Stream<Extension> offeredButNotForAServerHello() {
        return Stream.of(new ApplicationLayerProtocols(List.of("sip")).toExtension(),
                new Extension(ExtensionType.EXTENDED_MASTER_SECRET, new byte[0]));
    }

    @ParameterizedTest
    @MethodSource("offeredButNotForAServerHello")
    void serverHelloWithAnExtensionNotAllowedThereIsAnIllegalParameter(Extension extra) {
        SimulatedNetwork net = new SimulatedNetwork(
                Dtls13HandshakeTest.client13(KEY).applicationProtocols(List.of("sip")).build(),
                Dtls13HandshakeTest.server13(KEY).applicationProtocols(List.of("sip")).cookieExchange(false).build(),
                SimulatedNetwork.Conditions.perfect(), 1);
        SimulatedNetwork[] holder = {net};
        net.filter(d -> {
            if (d.toServer() || d.bytes()[0] != ContentType.HANDSHAKE.code) {
                return true;
            }
            holder[0].inject(withServerHelloExtension(d.bytes(), extra), false);
            return false;
        });
        net.runUntil(5_000);
        assertEquals(DtlsEngine.Status.FAILED, net.client().status(), () -> "drops " + net.client().drops() + " sent " + net.sent().size());
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, net.client().failure().alert(), net.client().failure().getMessage());
        assertTrue(net.client().failure().getMessage().contains("RFC 8446 4.2"), net.client().failure().getMessage());
    }

    /** RFC 8446 4.2's table, EE and SH/HRR columns: what a 1.3 server may and may not answer with. */
    @Test
    void encryptedExtensionsAndServerHelloFollowTheTable() {
        for (int forbidden : new int[] {ExtensionType.KEY_SHARE, ExtensionType.SUPPORTED_VERSIONS, ExtensionType.COOKIE,
                ExtensionType.PRE_SHARED_KEY, ExtensionType.SIGNATURE_ALGORITHMS, ExtensionType.EXTENDED_MASTER_SECRET,
                ExtensionType.RENEGOTIATION_INFO, ExtensionType.PSK_KEY_EXCHANGE_MODES, ExtensionType.POST_HANDSHAKE_AUTH}) {
            assertFalse(Tls13ExtensionRules.inEncryptedExtensions(forbidden), ExtensionType.name(forbidden));
        }
        for (int allowed : new int[] {ExtensionType.SERVER_NAME, ExtensionType.ALPN, ExtensionType.SUPPORTED_GROUPS,
                ExtensionType.USE_SRTP, ExtensionType.RECORD_SIZE_LIMIT, ExtensionType.EARLY_DATA}) {
            assertTrue(Tls13ExtensionRules.inEncryptedExtensions(allowed), ExtensionType.name(allowed));
        }
        assertTrue(Tls13ExtensionRules.inServerHello(ExtensionType.KEY_SHARE));
        assertFalse(Tls13ExtensionRules.inServerHello(ExtensionType.COOKIE));
        assertFalse(Tls13ExtensionRules.inServerHello(ExtensionType.ALPN));
        assertTrue(Tls13ExtensionRules.inHelloRetryRequest(ExtensionType.COOKIE));
        assertFalse(Tls13ExtensionRules.inHelloRetryRequest(ExtensionType.PRE_SHARED_KEY));
    }

    /** The datagram with {@code extra} added to the ServerHello in its first record; the records after it unchanged. */
    private static byte[] withServerHelloExtension(byte[] datagram, Extension extra) {
        Record record = RecordCodec.parse(datagram, 0, datagram.length).records().get(0);
        HandshakeFragment f = HandshakeFragment.decode(new ByteReader(record.fragment()));
        if (f.msgType() != 2) {
            return datagram;
        }
        ServerHello sh = ServerHello.decode(f.fragment());
        List<Extension> exts = new ArrayList<>(sh.extensions());
        exts.add(extra);
        byte[] body = new ServerHello(sh.serverVersion(), sh.random(), sh.sessionId(), sh.cipherSuite(), sh.compressionMethod(),
                exts).encode();
        ByteWriter fragment = new ByteWriter();
        new HandshakeFragment(2, body.length, f.messageSeq(), 0, body).encode(fragment);
        ByteWriter out = new ByteWriter();
        RecordCodec.encode(out, record.contentType(), record.version(), 0, record.sequenceNumber(), fragment.toByteArray());
        out.bytes(Arrays.copyOfRange(datagram, record.encodedLength(), datagram.length));
        return out.toByteArray();
    }
}
