package org.dtlsip.dtls.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * What a DTLS 1.3 session leaves for resumption (RFC 8446 4.6.1, 2.2): the resumption PSK of
 * one ticket, the suite whose hash it belongs to, when the session was authenticated by a full
 * handshake, the server name it was made for and the peer's certificates (the client's, on the
 * server; the server's, on the client), which a resumed handshake does not send again. The
 * server seals it into the ticket ({@link SessionTicketKeys#sealBytes}); the client keeps it
 * beside the ticket ({@link Tls13Ticket}). It holds a key: store it as carefully as one.
 *
 * @param createdMillis when the full handshake authenticated the peer; resuming does not renew it
 */
public record Tls13SessionState(Tls13CipherSuite suite, byte[] psk, long createdMillis, String serverName,
        List<byte[]> peerCertificates) {
    /** First byte of the encoding; SessionState's formats are 1 to 3, so neither reads as the other. */
    private static final int FORMAT = 0x13;

    public Tls13SessionState {
        psk = psk.clone();
        peerCertificates = List.copyOf(peerCertificates);
        serverName = serverName == null || serverName.isEmpty() ? null : serverName;
    }

    @Override
    public byte[] psk() {
        return psk.clone();
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(96);
        w.u8(FORMAT).u16(suite.code).vector8(psk).u48(Math.max(0, createdMillis));
        w.vector8(serverName == null ? new byte[0] : serverName.getBytes(StandardCharsets.US_ASCII));
        int token = w.startVector(3);
        for (byte[] der : peerCertificates) {
            w.vector24(der);
        }
        w.endVector(token);
        return w.toByteArray();
    }

    /** @throws DecodeException when the bytes are not a DTLS 1.3 session state we wrote */
    public static Tls13SessionState decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        if (r.u8() != FORMAT) {
            throw new DecodeException("not a DTLS 1.3 session state");
        }
        Tls13CipherSuite suite = Tls13CipherSuite.of(r.u16());
        if (suite == null) {
            throw new DecodeException("session state names an unknown DTLS 1.3 suite");
        }
        byte[] psk = r.vector8();
        if (psk.length != suite.hash.length) {
            throw new DecodeException("resumption PSK of " + psk.length + " bytes for " + suite);
        }
        long created = r.u48();
        String serverName = new String(r.vector8(), StandardCharsets.US_ASCII);
        ByteReader certs = r.slice(r.u24());
        List<byte[]> chain = new ArrayList<>();
        while (certs.hasRemaining()) {
            chain.add(certs.vector24());
        }
        r.expectEnd("DTLS 1.3 session state");
        return new Tls13SessionState(suite, psk, created, serverName, chain);
    }
}
