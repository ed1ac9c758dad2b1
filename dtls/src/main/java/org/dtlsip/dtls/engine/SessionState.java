package org.dtlsip.dtls.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * What an abbreviated handshake needs from the full one (RFC 5246 7.3, RFC 5077 4): the suite,
 * the master secret, whether it came from extended_master_secret (RFC 7627 5.3 forbids mixing),
 * and how the peer was authenticated (its chain or PSK identity, and the server_name the
 * client asked for), so that a resumption is granted only where a full handshake would be.
 * Kept in the server's session cache, sealed into tickets, and saved by clients.
 *
 * @param serverName the host name of the client's server_name (RFC 6066) in the full handshake,
 *     or {@code null}; a server resumes only for the same name (RFC 6066 3)
 */
public record SessionState(CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
        List<byte[]> peerCertificates, byte[] pskIdentity, long createdMillis, String serverName) {
    /** 2 added the server name. */
    private static final int FORMAT_VERSION = 2;
    private static final int FORMAT_WITHOUT_SERVER_NAME = 1;

    public SessionState {
        masterSecret = masterSecret.clone();
        peerCertificates = List.copyOf(peerCertificates);
        pskIdentity = pskIdentity == null ? new byte[0] : pskIdentity.clone();
        serverName = serverName == null || serverName.isEmpty() ? null : serverName;
    }

    @Override
    public byte[] masterSecret() {
        return masterSecret.clone();
    }

    @Override
    public byte[] pskIdentity() {
        return pskIdentity.clone();
    }

    public byte[] encode() {
        ByteWriter w = new ByteWriter(128);
        w.u8(FORMAT_VERSION).u16(suite.code).vector8(masterSecret).u8(extendedMasterSecret ? 1 : 0)
                .vector16(pskIdentity).u48(createdMillis);
        int token = w.startVector(3);
        for (byte[] der : peerCertificates) {
            w.vector24(der);
        }
        w.endVector(token);
        w.vector8(serverName == null ? new byte[0] : serverName.getBytes(StandardCharsets.US_ASCII));
        return w.toByteArray();
    }

    /** @throws DecodeException when the bytes are not a session we wrote */
    public static SessionState decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int version = r.u8();
        if (version != FORMAT_VERSION && version != FORMAT_WITHOUT_SERVER_NAME) {
            throw new DecodeException("unknown session format");
        }
        CipherSuite suite = CipherSuite.of(r.u16());
        if (suite == null) {
            throw new DecodeException("session names an unknown cipher suite");
        }
        byte[] master = r.vector8();
        boolean ems = r.u8() == 1;
        byte[] psk = r.vector16();
        long created = r.u48();
        ByteReader certs = r.slice(r.u24());
        List<byte[]> chain = new ArrayList<>();
        while (certs.hasRemaining()) {
            chain.add(certs.vector24());
        }
        String serverName = version == FORMAT_VERSION ? new String(r.vector8(), StandardCharsets.US_ASCII) : null;
        r.expectEnd("session state");
        return new SessionState(suite, master, ems, chain, psk.length == 0 ? null : psk, created, serverName);
    }
}
