package org.dtlsip.media.session;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.util.Addresses;
import org.dtlsip.media.rtp.ReportBlock;
import org.dtlsip.media.rtp.RtcpPacket;
import org.dtlsip.media.rtp.RtpPacket;
import org.dtlsip.media.srtp.SrtpException;
import org.dtlsip.media.srtp.SrtpReceiver;
import org.dtlsip.media.srtp.SrtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media session's thread: drives the DTLS engine on the media port, then sends the tone
 * as SRTP every 20 ms and an SRTCP sender report every second, and reads whatever arrives,
 * demultiplexed by its first byte (RFC 7983). Only datagrams from the peer's address (the
 * one SDP gave, RFC 4961 symmetric RTP) are read. Ends when asked, when the peer closes the
 * association, or on a failure: handshake refused or timed out, fingerprint mismatch, no
 * use_srtp, media timeout.
 */
final class MediaLoop implements Runnable {
    /** Largest datagram read: a DTLS flight is cut to the PMTU, an RTP packet of 20 ms PCMU is 200 bytes. */
    static final int MAX_DATAGRAM = 4096;
    /**
     * Sender reports every second: RFC 3550 6.2 allows a reduced minimum interval (360 / session
     * kbit/s, 4.5 s at 80 kbit/s) and short test calls want at least one report.
     */
    static final long RTCP_INTERVAL_MILLIS = 1_000;
    /**
     * Datagrams already queued on the socket that a stop still reads (the peer's last packets),
     * so that what was sent before the stop is counted as received, not lost.
     */
    static final int MAX_DRAINED_ON_STOP = 1_000;

    private static final Logger log = LoggerFactory.getLogger(MediaLoop.class);

    private final MediaSession session;
    private final DatagramSocket socket;
    private final InetSocketAddress peer;
    private final boolean dtlsClient;
    private final DtlsConfig config;
    private final MediaOptions options;
    private final AudioSender sender;
    private final AudioReceiver receiver;
    private final Map<SrtpException.Reason, Long> discarded = new EnumMap<>(SrtpException.Reason.class);
    private DtlsEngine engine;
    private CookieExchange cookies;
    private SrtpSession srtp;
    private String failure;
    private boolean peerClosed;
    private long dropped;
    private long rtcpSent;
    private long rtcpReceived;
    private long start;
    private double handshakeMillis = Double.NaN;
    private long nextSend;
    private long sendUntil;
    private long nextRtcp;
    private long lastMedia;

    MediaLoop(MediaSession session, DatagramSocket socket, InetSocketAddress peer, boolean dtlsClient, DtlsConfig config,
            MediaOptions options, AudioSender sender, AudioReceiver receiver) {
        this.session = session;
        this.socket = socket;
        this.peer = peer;
        this.dtlsClient = dtlsClient;
        this.config = config;
        this.options = options;
        this.sender = sender;
        this.receiver = receiver;
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void run() {
        start = now();
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        try {
            if (dtlsClient) {
                engine = DtlsEngine.client(config, start);
                flush();
            } else {
                cookies = new CookieExchange(config);
            }
            while (!session.stopRequested() && failure == null && !peerClosed) {
                long wake = tick(now());
                if (failure != null || peerClosed) {
                    break;
                }
                socket.setSoTimeout((int) Math.max(1, Math.min(wake - now(), 100)));
                try {
                    datagram.setLength(buffer.length);
                    socket.receive(datagram);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                received(datagram, now());
            }
            if (failure == null && !peerClosed) {
                drain(datagram, buffer);
            }
        } catch (SocketException e) {
            if (!socket.isClosed()) {
                failure = "media socket failed: " + e.getMessage();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("media session failed", e);
            failure = "media session failed: " + e;
        } finally {
            finish();
        }
    }

    /** On stop: what already waits on the socket is read without waiting for more. */
    private void drain(DatagramPacket datagram, byte[] buffer) throws IOException {
        socket.setSoTimeout(1);
        for (int i = 0; i < MAX_DRAINED_ON_STOP; i++) {
            try {
                datagram.setLength(buffer.length);
                socket.receive(datagram);
            } catch (SocketTimeoutException e) {
                return;
            }
            received(datagram, now());
        }
    }

    /** Timers: DTLS retransmission and timeouts, the tone, RTCP, the media timeout. Returns when to wake next. */
    private long tick(long now) throws IOException {
        long wake = Long.MAX_VALUE;
        if (engine != null) {
            if (now >= engine.nextDeadline()) {
                engine.handleTimeout(now);
                flush();
                events(now);
            }
            wake = Math.min(wake, engine.nextDeadline());
        }
        if (srtp == null) {
            long deadline = start + options.handshakeTimeoutMillis();
            if (now >= deadline && failure == null) {
                failure = engine == null ? "no DTLS ClientHello from " + Addresses.format(peer) + " on the media port within "
                        + options.handshakeTimeoutMillis() + " ms"
                        : "DTLS handshake on the media port did not complete within " + options.handshakeTimeoutMillis() + " ms";
            }
            return Math.min(wake, deadline);
        }
        // A thread that was late sends what fell due meanwhile, as a source that buffered its
        // audio would: the stream always holds sendMillis of audio, ceil(sendMillis / 20) packets.
        while (nextSend < sendUntil && now >= nextSend) {
            send(srtp.sender().protectRtp(sender.next()));
            nextSend += MediaOptions.PTIME_MILLIS;
        }
        if (nextSend >= sendUntil) {
            session.sendingDone();
        } else {
            wake = Math.min(wake, nextSend);
        }
        if (now >= nextRtcp) {
            sendReport(now);
            nextRtcp = now + RTCP_INTERVAL_MILLIS;
        }
        wake = Math.min(wake, nextRtcp);
        long silent = lastMedia + options.mediaTimeoutMillis();
        if (now >= silent) {
            failure = "no media from " + Addresses.format(peer) + " for " + options.mediaTimeoutMillis() + " ms (media timeout)";
        }
        return Math.min(wake, silent);
    }

    private void received(DatagramPacket d, long now) throws IOException {
        if (!peer.equals(d.getSocketAddress())) {
            dropped++; // RFC 4961: the peer sends from where it receives; anything else is not this call's
            return;
        }
        byte[] b = d.getData();
        int len = d.getLength();
        if (len == 0) {
            dropped++;
            return;
        }
        switch (PacketKind.of(b[0])) {
            case DTLS -> dtls(b, len, now);
            case RTP_OR_RTCP -> media(b, len, now);
            default -> dropped++;
        }
    }

    private void dtls(byte[] b, int len, long now) throws IOException {
        if (engine == null) {
            CookieExchange.Verdict v = cookies.check(b, 0, len, peerId(), now);
            if (v instanceof CookieExchange.Reply reply) {
                socket.send(new DatagramPacket(reply.datagram(), reply.datagram().length, peer));
                return;
            }
            if (!(v instanceof CookieExchange.Accept accept)) {
                dropped++;
                return;
            }
            engine = DtlsEngine.server(config, accept, now);
        }
        engine.receive(b, 0, len, now);
        // RFC 5764 4.1: this association only keys SRTP; data on it has no reader here and would
        // otherwise wait in the engine's queue (up to MAX_PENDING_APPLICATION_RECORDS per call).
        while (engine.pollApplicationData() != null) {
            dropped++;
        }
        flush();
        events(now);
    }

    private void media(byte[] b, int len, long now) {
        if (srtp == null) {
            dropped++; // no keys yet: nothing can be authenticated
            return;
        }
        try {
            if (SrtpReceiver.isRtcp(b, 0, len)) {
                srtp.receiver().unprotectRtcp(b, 0, len);
                rtcpReceived++;
            } else {
                byte[] rtp = srtp.receiver().unprotectRtp(b, 0, len);
                receiver.accept(RtpPacket.decode(rtp), System.nanoTime());
                lastMedia = now;
            }
        } catch (SrtpException e) {
            discarded.merge(e.reason(), 1L, Long::sum);
        } catch (IllegalArgumentException e) {
            dropped++; // authenticated, yet not a packet we can read (bad padding)
        }
    }

    private void events(long now) {
        EngineEvent e;
        while ((e = engine.pollEvent()) != null) {
            switch (e.kind()) {
                case HANDSHAKE_COMPLETE -> keys(e.session(), now);
                case FAILED -> {
                    if (failure == null) {
                        failure = "DTLS handshake with " + Addresses.format(peer) + " on the media port failed: "
                                + e.failure().getMessage();
                    }
                }
                case CLOSED -> peerClosed = true;
                case WARNING_ALERT -> log.debug("media DTLS warning alert {}", e.alert());
            }
        }
    }

    private void keys(DtlsSession s, long now) {
        if (s.srtpProfile() == null) {
            failure = "the DTLS handshake on the media port agreed no SRTP profile: the peer did not answer use_srtp (RFC 5764 4.1.1)";
            engine.close();
            return;
        }
        srtp = SrtpSession.fromDtls(s.srtpKeyingMaterial(), dtlsClient);
        handshakeMillis = now - start;
        nextSend = now;
        sendUntil = now + options.sendMillis();
        nextRtcp = now + RTCP_INTERVAL_MILLIS;
        lastMedia = now;
        session.established(srtp.profile());
    }

    private void sendReport(long now) throws IOException {
        List<ReportBlock> blocks = receiver.ssrc() < 0 ? List.of() : List.of(receiver.stats().reportBlock(receiver.ssrc()));
        RtcpPacket report = sender.packets() > 0 ? sender.report(System.currentTimeMillis(), blocks)
                : new RtcpPacket.ReceiverReport(sender.ssrc(), blocks);
        send(srtp.sender().protectRtcp(report.encode()));
        rtcpSent++;
    }

    private void send(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, peer));
    }

    private void flush() throws IOException {
        byte[] d;
        while ((d = engine.pollDatagram()) != null) {
            send(d);
        }
    }

    private byte[] peerId() {
        byte[] a = peer.getAddress().getAddress();
        return ByteBuffer.allocate(a.length + 2).put(a).putShort((short) peer.getPort()).array();
    }

    /** close_notify to the peer (RFC 6347 4.1.2.4 style orderly end), the recording closed, the report out. */
    private void finish() {
        if (engine != null && engine.status() == DtlsEngine.Status.ESTABLISHED && !socket.isClosed()) {
            engine.close();
            try {
                flush();
            } catch (IOException e) {
                log.debug("close_notify not sent: {}", e.getMessage());
            }
        }
        receiver.close();
        var stats = receiver.stats();
        session.finished(new MediaReport(srtp == null ? null : srtp.profile(), failure, handshakeMillis, sender.packets(),
                sender.octets(), stats.received(), stats.lost(), stats.late(), stats.jitterMillis(), rtcpSent, rtcpReceived,
                discarded, dropped + receiver.otherPayload(), receiver.analysis(), receiver.recordingPath()));
    }
}
