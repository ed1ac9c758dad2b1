package org.dtlsip.bench.jmh;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;
import org.dtlsip.dtls.record.AeadProtection;
import org.dtlsip.dtls.record.Record;
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
 * Record protection and unprotection with {@link AeadProtection} for each AEAD, one
 * application_data record per operation. Unprotect cycles through records sealed under distinct
 * sequence numbers, as a receiver sees them (the JDK's ChaCha20-Poly1305 refuses to re-init with
 * the previous nonce, which a single repeated record would hit).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AeadBench {
    private static final int CONTENT_APPLICATION_DATA = 23;
    private static final int DTLS12 = 0xfefd;
    private static final int EPOCH = 1;
    private static final int RECORDS = 1024;

    @Param({"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    public String cipher;

    @Param({"1200"})
    public int size;

    private AeadProtection writer;
    private AeadProtection intoWriter;
    private byte[] recordBuffer;
    /** The JDK primitive alone, for scale. */
    private BareJceAead jdk;
    private AeadProtection reader;
    private byte[] plaintext;
    private Record[] sealed;
    private long seq;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        BulkCipher bulk = BulkCipher.valueOf(cipher);
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[bulk.keyLength];
        byte[] iv = new byte[bulk.fixedIvLength];
        random.nextBytes(key);
        random.nextBytes(iv);
        writer = AeadProtection.forWriting(bulk, key, iv);
        AeadProtection sealer = AeadProtection.forWriting(bulk, key, iv);
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        sealed = new Record[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            byte[] fragment = sealer.protect(CONTENT_APPLICATION_DATA, DTLS12, EPOCH, i, plaintext, 0, size);
            sealed[i] = new Record(CONTENT_APPLICATION_DATA, DTLS12, EPOCH, i, fragment);
        }
        reader = AeadProtection.forReading(bulk, key, iv);
        intoWriter = AeadProtection.forWriting(bulk, key, iv);
        recordBuffer = new byte[Record.HEADER_LENGTH + size + bulk.overhead()];
        try {
            jdk = new BareJceAead(bulk, key, plaintext);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public byte[] protect() {
        return writer.protect(CONTENT_APPLICATION_DATA, DTLS12, EPOCH, seq++, plaintext, 0, size);
    }

    /** The bulk send path: header, nonce, ciphertext and tag sealed into one reused record buffer. */
    @Benchmark
    public int protectInto() {
        return intoWriter.protectRecordInto(CONTENT_APPLICATION_DATA, DTLS12, EPOCH, seq++, plaintext, 0, size,
                recordBuffer, 0);
    }

    /** The JDK's bare AEAD sealing the same bytes (a fresh nonce per record, as a record layer must). */
    @Benchmark
    public int jdkCipherSeal() throws Exception {
        return jdk.seal();
    }

    /** The JDK's bare AEAD opening a sealed record into a reused array. */
    @Benchmark
    public int jdkCipherOpen() throws Exception {
        return jdk.open();
    }

    @Benchmark
    public byte[] unprotect() {
        Record r = sealed[next];
        next = (next + 1) & (RECORDS - 1);
        byte[] out = reader.unprotect(r);
        if (out == null) {
            throw new IllegalStateException("record did not authenticate");
        }
        return out;
    }
}
