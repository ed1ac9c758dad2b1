package org.dtlsip.media.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.DtlsEngine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.media.audio.Pcmu;
import org.dtlsip.media.rtp.RtpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or vanished peer can make a media session hold: its port after the session
 * ended by itself (no BYE ever comes), and the disk a recording takes when the peer never stops.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MediaResourcesTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final CertifiedKey KEY = SelfSigned.ecdsa("media", NamedGroup.SECP256R1);

    @Test
    void aSessionThatEndsByItselfReleasesItsPort() throws Exception {
        MediaOptions o = MediaOptions.defaults().withHandshakeTimeoutMillis(200);
        try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK)) {
            MediaSession s = MediaSession.open(LOOPBACK, KEY, o);
            int port = s.localPort();
            s.start(new InetSocketAddress(LOOPBACK, silent.getLocalPort()), true, Fingerprint.sha256(KEY.leaf()));
            MediaReport r = s.awaitEnd(20_000);
            assertNotNull(r, "the handshake times out");
            assertTrue(s.ended());
            // Nobody calls stop(): the caller's BYE never comes. The port must be free all the same.
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
                assertEquals(port, again.getLocalPort());
            }
        }
    }

    @Test
    void aRecordingStopsGrowingAtItsBoundWhateverThePeerSends(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("call.wav");
        byte[] payload = new byte[1200]; // an authenticated peer may send big packets, as fast as it likes
        try (AudioReceiver rx = new AudioReceiver(440, wav)) {
            long packets = AudioReceiver.MAX_RECORDED_SAMPLES / payload.length + 10;
            for (int i = 0; i < packets; i++) {
                rx.accept(new RtpPacket(false, Pcmu.PAYLOAD_TYPE, i & 0xFFFF, 160L * i & 0xFFFF_FFFFL, 1, payload), i);
            }
            assertEquals(packets, rx.stats().received(), "the packets are still counted");
        }
        assertEquals(44 + 2L * AudioReceiver.MAX_RECORDED_SAMPLES, Files.size(wav));
    }

    /**
     * RFC 5764 4.1: the media association carries SRTP keys, not data. DTLS application data an
     * authenticated peer sends on it anyway must not pile up in the engine's receive queue (up
     * to {@link DtlsEngine#MAX_PENDING_APPLICATION_RECORDS} records a call): it is read and dropped.
     */
    @Test
    void dtlsApplicationDataOnTheMediaPortIsDroppedNotQueued() throws Exception {
        CertifiedKey peerKey = SelfSigned.ecdsa("peer", NamedGroup.SECP256R1);
        MediaOptions o = MediaOptions.defaults().withSendMillis(0);
        try (DatagramSocket peer = new DatagramSocket(0, LOOPBACK); MediaSession s = MediaSession.open(LOOPBACK, KEY, o)) {
            s.start(new InetSocketAddress(LOOPBACK, peer.getLocalPort()), false, Fingerprint.sha256(peerKey.leaf()));
            DtlsConfig c = DtlsConfig.forClient().certifiedKey(peerKey)
                    .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(KEY.leaf()))))
                    .srtpProfiles(MediaOptions.DEFAULT_PROFILES).build();
            InetSocketAddress media = new InetSocketAddress(LOOPBACK, s.localPort());
            DtlsEngine client = DtlsEngine.client(c, MediaLoop.now());
            peer.setSoTimeout(50);
            byte[] buf = new byte[4096];
            for (int i = 0; i < 400 && client.status() == DtlsEngine.Status.HANDSHAKING; i++) {
                for (byte[] d; (d = client.pollDatagram()) != null; ) {
                    peer.send(new DatagramPacket(d, d.length, media));
                }
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    peer.receive(in);
                    client.receive(in.getData(), 0, in.getLength(), MediaLoop.now());
                } catch (SocketTimeoutException e) {
                    client.handleTimeout(MediaLoop.now());
                }
            }
            assertEquals(DtlsEngine.Status.ESTABLISHED, client.status());
            int records = 200;
            for (int i = 0; i < records; i++) {
                client.send(new byte[1000]);
                for (byte[] d; (d = client.pollDatagram()) != null; ) {
                    peer.send(new DatagramPacket(d, d.length, media));
                }
                if (i % 20 == 19) {
                    Thread.sleep(5); // pace the burst: loopback's socket buffer is the only loss here
                }
            }
            assertTrue(s.awaitEstablished(5_000));
            MediaReport r = s.stop();
            assertTrue(r.dropped() >= records / 2, "application data read and dropped: " + r.summary());
        }
    }

    /**
     * A caller's SDP can point c= at a third party: the answerer, as DTLS client, then sends its
     * ClientHello there. Before a handshake proves the address answers, nothing else goes out (no
     * tone), and the ClientHellos are bounded by the retransmissions that fit the handshake timeout.
     */
    @Test
    void aThirdPartyNamedInSdpGetsOnlyTheBoundedClientHellosNeverMedia() throws Exception {
        MediaOptions o = MediaOptions.defaults().withHandshakeTimeoutMillis(2_500).withSendMillis(10_000);
        int datagrams = 0;
        int bytes = 0;
        try (DatagramSocket victim = new DatagramSocket(0, LOOPBACK); MediaSession s = MediaSession.open(LOOPBACK, KEY, o)) {
            s.start(new InetSocketAddress(LOOPBACK, victim.getLocalPort()), true, Fingerprint.sha256(KEY.leaf()));
            assertNotNull(s.awaitEnd(20_000));
            victim.setSoTimeout(200);
            byte[] buf = new byte[4096];
            for (int i = 0; i < 100; i++) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                try {
                    victim.receive(d);
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
                assertEquals(22, d.getData()[0], "only DTLS handshake records, never RTP");
                datagrams++;
                bytes += d.getLength();
            }
        }
        assertTrue(datagrams >= 1 && datagrams <= 3, "the ClientHello and its retransmissions at 1 s and 2 s: " + datagrams);
        assertTrue(bytes <= 3 * 512, bytes + " bytes");
    }
}
