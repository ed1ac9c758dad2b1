package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression for a crash found by EngineFuzzTest#server: a ClientHello whose supported_groups
 * or signature_algorithms body is malformed made the server answer internal_error and log a
 * stack trace per datagram. It must be decode_error.
 */
class MalformedExtensionRegressionTest {
    @ParameterizedTest(name = "Server-MalformedExtension-{0}-DecodeError")
    @ValueSource(ints = {ExtensionType.SUPPORTED_GROUPS, ExtensionType.SIGNATURE_ALGORITHMS})
    void malformedExtensionBodyIsADecodeError(int type) {
        ScriptedPskClient c = new ScriptedPskClient(StateMachineConformanceTest.server(
                org.dtlsip.dtls.config.DtlsConfig.ClientAuth.NONE));
        byte[] hello = new ClientHello(ProtocolVersion.DTLS_1_2, new byte[32], new byte[0], new byte[0],
                List.of(0xc02b), List.of(0), List.of(new Extension(type, new byte[] {0, 0}))).encode();
        c.send(Wire.plainMessage(HandshakeType.CLIENT_HELLO.code, 0, hello));
        assertEquals(DtlsEngine.Status.FAILED, c.server.status());
        assertEquals(AlertDescription.DECODE_ERROR, c.server.failure().alert(), c.server.failure().getMessage());
    }
}
