package org.dtlsip.dtls.engine;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * What an abbreviated handshake needs from the full one (RFC 5246 7.3, RFC 5077 4): the suite,
 * the master secret, whether it came from extended_master_secret (RFC 7627 5.3 forbids mixing),
 * and how the peer was authenticated (its chain, or PSK identity and a check value of the key,
 * and the server_name the client asked for), so that a resumption is granted only where a full handshake would be.
 * Kept in the server's session cache, sealed into tickets, and saved by clients.
 *
 * @param serverName the host name of the client's server_name (RFC 6066) in the full handshake,
 *     or {@code null}; a server resumes only for the same name (RFC 6066 3)
 * @param pskKeyCheck for a PSK session, {@link #pskKeyCheck(byte[])} of the key the full
 *     handshake used, so that a session does not outlive a key that was replaced; empty otherwise
 */
public record SessionState(CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
        List<byte[]> peerCertificates, byte[] pskIdentity, long createdMillis, String serverName, byte[] pskKeyCheck) {
    /** 2 added the server name, 3 the PSK key check. */
    private static final int FORMAT_VERSION = 3;
    private static final int FORMAT_WITH_SERVER_NAME = 2;
    private static final int FORMAT_WITHOUT_SERVER_NAME = 1;
    private static final byte[] PSK_KEY_CHECK_LABEL = "dtlsip session PSK key check".getBytes(StandardCharsets.US_ASCII);

    /** A session with no PSK key check (certificate sessions). */
    public SessionState(CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret, List<byte[]> peerCertificates,
            byte[] pskIdentity, long createdMillis, String serverName) {
        this(suite, masterSecret, extendedMasterSecret, peerCertificates, pskIdentity, createdMillis, serverName, null);
    }

    public SessionState {
        pskKeyCheck = pskKeyCheck == null ? new byte[0] : pskKeyCheck.clone();
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

    @Override
    public byte[] pskKeyCheck() {
        return pskKeyCheck.clone();
    }

    /**
     * A value that tells whether a PSK is the one a session was made with, and nothing else
     * about it: HMAC-SHA256 keyed with the PSK over a fixed label.
     */
    public static byte[] pskKeyCheck(byte[] psk) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(psk, "HmacSHA256"));
            return mac.doFinal(PSK_KEY_CHECK_LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    /**
     * Whether {@code psk} is the key this PSK session was authenticated with (RFC 4279): a
     * full handshake with any other would fail, so a resumption must too. Sessions saved
     * before the check existed never match, and take a full handshake.
     */
    public boolean madeWithPsk(byte[] psk) {
        return psk != null && pskKeyCheck.length > 0 && MessageDigest.isEqual(pskKeyCheck(psk), pskKeyCheck);
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
        w.vector8(pskKeyCheck);
        return w.toByteArray();
    }

    /** @throws DecodeException when the bytes are not a session we wrote */
    public static SessionState decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        int version = r.u8();
        if (version != FORMAT_VERSION && version != FORMAT_WITH_SERVER_NAME && version != FORMAT_WITHOUT_SERVER_NAME) {
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
        String serverName = version >= FORMAT_WITH_SERVER_NAME ? new String(r.vector8(), StandardCharsets.US_ASCII) : null;
        byte[] pskKeyCheck = version >= FORMAT_VERSION ? r.vector8() : null;
        r.expectEnd("session state");
        return new SessionState(suite, master, ems, chain, psk.length == 0 ? null : psk, created, serverName, pskKeyCheck);
    }
}
