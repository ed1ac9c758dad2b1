package org.dtlsip.media.session;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;

/**
 * A DTLS-SRTP audio session on one UDP port (RFC 5763, RFC 5764): {@link #open} binds the
 * port that goes into SDP with our certificate's fingerprint; {@link #start} runs the DTLS
 * handshake in the role {@code a=setup} gave (active: DTLS client), requires the peer's
 * certificate to match the fingerprint from its SDP (RFC 5763 5: "the certificate presented
 * ... MUST match the fingerprint"), keys SRTP from the exporter, and exchanges audio until
 * {@link #stop}.
 *
 * <pre>{@code
 * MediaSession media = MediaSession.open(address, certificate, MediaOptions.defaults());
 * // offer/answer carry media.localPort() and media.localFingerprint()
 * media.start(peerAddress, answer.setup().dtlsClient(), answer.fingerprint());
 * MediaReport report = media.stop();
 * }</pre>
 */
public final class MediaSession implements AutoCloseable {
    /** How long {@link #stop} waits for the media thread to send close_notify and write its report. */
    public static final long STOP_WAIT_MILLIS = 5_000;

    private final DatagramSocket socket;
    private final CertifiedKey certificate;
    private final MediaOptions options;
    private final SecureRandom random = new SecureRandom();
    private final CountDownLatch established = new CountDownLatch(1);
    private final CountDownLatch sendingDone = new CountDownLatch(1);
    private final CompletableFuture<MediaReport> report = new CompletableFuture<>();
    private volatile boolean stopRequested;
    private volatile SrtpProfile profile;
    private Thread thread;

    private MediaSession(DatagramSocket socket, CertifiedKey certificate, MediaOptions options) {
        this.socket = socket;
        this.certificate = certificate;
        this.options = options;
    }

    /**
     * Binds a free UDP port on {@code address}.
     *
     * @param certificate presented in the media handshake; its fingerprint goes into SDP
     */
    public static MediaSession open(InetAddress address, CertifiedKey certificate, MediaOptions options) throws IOException {
        return new MediaSession(new DatagramSocket(new InetSocketAddress(address, 0)), certificate, options);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    /** SHA-256 of our media certificate, for {@code a=fingerprint}. */
    public byte[] localFingerprint() {
        return Fingerprint.sha256(certificate.leaf());
    }

    /** Our audio description for SDP, with {@code setup} ({@code actpass} in an offer). */
    public SdpMedia describe(String address, SetupRole setup) {
        return new SdpMedia(address, localPort(), SdpMedia.DTLS_SRTP_PROTOCOL, List.of(SdpMedia.PCMU), localFingerprint(), setup,
                true);
    }

    /**
     * Starts the handshake (as DTLS client) or waits for the peer's ClientHello (server), then media.
     *
     * @param peer the address and port from the peer's SDP
     * @param peerFingerprint SHA-256 of the certificate the peer's SDP announced
     */
    public synchronized void start(InetSocketAddress peer, boolean dtlsClient, byte[] peerFingerprint) throws IOException {
        if (thread != null) {
            throw new IllegalStateException("media session already started");
        }
        // RFC 5763 5: both sides present certificates, so the DTLS server asks for the client's.
        DtlsConfig.Builder b = dtlsClient ? DtlsConfig.forClient()
                : DtlsConfig.forServer().clientAuth(DtlsConfig.ClientAuth.NEED);
        DtlsConfig config = b.certifiedKey(certificate)
                .peerVerifier(PeerVerifier.fingerprints(List.of(peerFingerprint)))
                .srtpProfiles(options.profiles())
                .handshakeTimeoutMillis(options.handshakeTimeoutMillis())
                .build();
        AudioSender sender = new AudioSender(options.toneHz(), random);
        AudioReceiver receiver = new AudioReceiver(options.toneHz(), options.recording());
        MediaLoop loop = new MediaLoop(this, socket, peer, dtlsClient, config, options, sender, receiver);
        thread = new Thread(loop, "media-" + localPort());
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until SRTP keys exist; false on timeout or if the session ended without them. */
    public boolean awaitEstablished(long millis) throws InterruptedException {
        return established.await(millis, TimeUnit.MILLISECONDS) && profile != null;
    }

    /** Waits until the tone was sent for {@link MediaOptions#sendMillis()}, or the session ended. */
    public boolean awaitSendingDone(long millis) throws InterruptedException {
        return sendingDone.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The agreed SRTP profile, {@code null} before the handshake completes. */
    public SrtpProfile profile() {
        return profile;
    }

    /** Ends the session (close_notify to the peer) and returns what it did. */
    public MediaReport stop() throws InterruptedException {
        stopRequested = true;
        synchronized (this) {
            if (thread == null) {
                socket.close();
                return MediaReport.failedBeforeStart("media not started");
            }
        }
        try {
            return report.get(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("media thread did not end within " + STOP_WAIT_MILLIS + " ms", e);
        } finally {
            socket.close();
        }
    }

    /** The report once the session ended by itself (failure, peer's close_notify), without stopping it. */
    public MediaReport awaitEnd(long millis) throws InterruptedException {
        try {
            return report.get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.close();
        }
    }

    /** Whether the session ended: stopped, failed, or closed by the peer. */
    public boolean ended() {
        return report.isDone();
    }

    boolean stopRequested() {
        return stopRequested;
    }

    void established(SrtpProfile p) {
        profile = p;
        established.countDown();
    }

    void sendingDone() {
        sendingDone.countDown();
    }

    void finished(MediaReport r) {
        // The port is of no use once the loop ended; a peer whose BYE never comes (or a caller
        // that never calls stop) must not keep it, or each such call would hold a socket for good.
        socket.close();
        report.complete(r);
        established.countDown();
        sendingDone.countDown();
    }
}
