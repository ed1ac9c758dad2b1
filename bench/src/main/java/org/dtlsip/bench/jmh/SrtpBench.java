package org.dtlsip.bench.jmh;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.rtp.RtpPacket;
import org.dtlsip.media.srtp.SrtpException;
import org.dtlsip.media.srtp.SrtpReceiver;
import org.dtlsip.media.srtp.SrtpSender;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protection and unprotection ({@link SrtpSender#protectRtp}, {@link SrtpReceiver#unprotectRtp})
 * of one 20-ms PCMU packet (12-byte header, 160-byte payload) per operation, per profile.
 * Protect advances the sequence number each time (the ROC too, every 65,536 packets). Unprotect
 * reads 65,536 packets protected under distinct indices and, when it has read them all, starts
 * over with a fresh receiver, since its replay window would refuse them (one key derivation per
 * 65,536 operations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SrtpBench {
    private static final int PACKETS = 1 << 16;
    private static final int PAYLOAD = 160;

    @Param({"SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_32", "SRTP_AEAD_AES_128_GCM"})
    public String profile;

    private SrtpProfile p;
    private byte[] key;
    private byte[] salt;
    private SrtpSender sender;
    private SrtpReceiver receiver;
    private byte[] rtp;
    private int seq;
    private byte[][] protectedPackets;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        p = SrtpProfile.valueOf(profile);
        SecureRandom random = new SecureRandom();
        key = new byte[p.keyLength];
        salt = new byte[p.saltLength];
        random.nextBytes(key);
        random.nextBytes(salt);
        byte[] payload = new byte[PAYLOAD];
        random.nextBytes(payload);
        rtp = new RtpPacket(false, 0, 0, 0, 0x12345678L, payload).encode();
        sender = new SrtpSender(p, key, salt);
        SrtpSender sealer = new SrtpSender(p, key, salt);
        protectedPackets = new byte[PACKETS][];
        for (int i = 0; i < PACKETS; i++) {
            byte[] packet = rtp.clone();
            packet[2] = (byte) (i >>> 8);
            packet[3] = (byte) i;
            protectedPackets[i] = sealer.protectRtp(packet);
        }
        receiver = new SrtpReceiver(p, key, salt);
    }

    @Benchmark
    public byte[] protect() {
        rtp[2] = (byte) (seq >>> 8);
        rtp[3] = (byte) seq;
        seq++;
        return sender.protectRtp(rtp);
    }

    @Benchmark
    public byte[] unprotect() throws SrtpException {
        if (next == PACKETS) {
            next = 0;
            receiver = new SrtpReceiver(p, key, salt);
        }
        return receiver.unprotectRtp(protectedPackets[next++]);
    }
}
