package org.dtlsip.dtls.engine;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * What an abbreviated handshake needs from the full one (RFC 5246 7.3, RFC 5077 4): the suite,
 * the master secret, whether it came from extended_master_secret (RFC 7627 5.3 forbids mixing),
 * and who the peer was. Kept in the server's session cache, sealed into tickets, and saved by
 * clients.
 */
public record SessionState(CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
        List<byte[]> peerCertificates, byte[] pskIdentity, long createdMillis) {
    private static final int FORMAT_VERSION = 1;

    public SessionState {
        masterSecret = masterSecret.clone();
        peerCertificates = List.copyOf(peerCertificates);
        pskIdentity = pskIdentity == null ? new byte[0] : pskIdentity.clone();
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
        return w.toByteArray();
    }

    /** @throws DecodeException when the bytes are not a session we wrote */
    public static SessionState decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        if (r.u8() != FORMAT_VERSION) {
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
        r.expectEnd("session state");
        return new SessionState(suite, master, ems, chain, psk.length == 0 ? null : psk, created);
    }
}
