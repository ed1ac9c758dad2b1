package org.dtlsip.dtls.record;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;
import org.dtlsip.dtls.crypto.CipherSuite.CipherType;

/**
 * AES-CBC with HMAC record protection for one direction of one epoch, in either of two
 * layouts:
 *
 * <ul>
 *   <li>MAC-then-encrypt (RFC 5246 6.2.3.2): {@code IV || E(plaintext || MAC || padding)} with
 *       the MAC over {@code seq_num || type || version || length || plaintext};
 *   <li>encrypt-then-MAC (RFC 7366 3): {@code IV || E(plaintext || padding) || MAC} with the MAC
 *       over {@code seq_num || type || version || length || IV || ciphertext}, where length
 *       counts IV and ciphertext.
 * </ul>
 *
 * In DTLS seq_num is epoch||sequence_number (RFC 6347 4.1.2.1); a tls12_cid record replaces
 * {@code seq_num || type || version} with the RFC 9146 5.1/5.2 header ({@link AuthenticatedHeader}),
 * and its plaintext is the DTLSInnerPlaintext. Every record gets a fresh
 * random IV (RFC 5246 6.2.3.2 asks for an unpredictable one). Padding is the minimum that
 * fills the last block; the RFC allows more, and the reader accepts any valid length.
 *
 * <h2>Reading MAC-then-encrypt without a padding oracle</h2>
 *
 * With MAC-then-encrypt the padding is checked before anything is authenticated, and the time
 * that check and the MAC take can tell an attacker whether the padding was valid: the DTLS
 * padding oracle of AlFardan and Paterson (NDSS 2012, CVE-2011-4108) and its refinement Lucky
 * Thirteen (CVE-2013-0169). DTLS drops bad records silently (RFC 6347 4.1.2.7), which removes
 * the error message but not the timing. {@link #unprotect} therefore:
 *
 * <ol>
 *   <li>rejects on public facts only: fragment length, block alignment, room for IV and MAC;
 *   <li>checks the padding with a mask over the last {@code min(256, n)} bytes, the most the
 *       padding can cover, whatever the padding length byte says;
 *   <li>computes the HMAC over the content as if the padding were valid, or, if it was not, as
 *       if there were no padding at all (the same fallback OpenSSL uses), so a MAC is always
 *       computed and always compared;
 *   <li>then feeds the HMAC dummy blocks so that the number of hash compression-function calls
 *       is that of the longest content the record could hold; the count depends only on the
 *       record length, which the attacker knows anyway;
 *   <li>compares the received MAC in place by scanning the whole window it could lie in, with
 *       masks, so neither the MAC's position nor the first differing byte shows in the time;
 *   <li>branches once, on (padding valid AND MAC equal).
 * </ol>
 *
 * <p>Limits, stated plainly: this is the "pseudo constant time" countermeasure of the Lucky
 * Thirteen paper (AlFardan and Paterson, IEEE S&amp;P 2013, section 6), not a proof. The JDK's
 * HMAC offers no access to the compression function, so the dummy blocks are a separate HMAC
 * computation that is thrown away; its per-call overhead is constant, but the JIT, the JDK's
 * multi-block SHA intrinsics and caches can still make the real and the dummy blocks cost
 * slightly different amounts. One array access is indexed by a secret (the position within the
 * 20- or 32-byte computed MAC), which stays within that small array. The JDK's AES-CBC
 * decryption and the HMAC are assumed to be constant-time for a given length (AES-NI; the
 * table-based fallback is not). Encrypt-then-MAC, when negotiated, removes the problem: the
 * MAC is checked, in constant time, before anything is decrypted.
 *
 * <p>Not thread-safe: the {@link Cipher} and {@link Mac} are cached, one instance per
 * direction per epoch, as with {@link AeadProtection}.
 */
public final class CbcProtection implements RecordProtection {
    private static final int BLOCK = BulkCipher.CBC_BLOCK_LENGTH;
    /** padding_length is one byte, so padding plus its length byte cover at most 256 bytes. */
    private static final int MAX_PADDING = 256;

    private final BulkCipher bulk;
    private final boolean encryptThenMac;
    private final SecretKeySpec key;
    private final Cipher cipher;
    private final Mac mac;
    private final int macLength;
    /** Hash block size and the size of its length field (MD strengthening): 64/8 or 128/16. */
    private final int hashBlockShift;
    private final int hashLengthField;
    private final byte[] dummyBlocks;
    /** {@code null} for a reading instance. */
    private final SecureRandom random;
    /** Reused for records without a connection ID: seq_num + type + version + length (RFC 5246 6.2.3.1). */
    private final byte[] plainMacHeader = new byte[AuthenticatedHeader.PLAIN_LENGTH];

    private CbcProtection(BulkCipher bulk, byte[] encKey, byte[] macKey, boolean encryptThenMac,
            SecureRandom random) {
        if (bulk.type != CipherType.CBC) {
            throw new IllegalArgumentException(bulk + " is not a CBC cipher");
        }
        if (encKey.length != bulk.keyLength) {
            throw new IllegalArgumentException(bulk + " needs a " + bulk.keyLength
                    + "-byte key, got " + encKey.length);
        }
        if (macKey.length != bulk.macLength) {
            throw new IllegalArgumentException(bulk + " needs a " + bulk.macLength
                    + "-byte MAC key, got " + macKey.length);
        }
        this.bulk = bulk;
        this.encryptThenMac = encryptThenMac;
        this.key = new SecretKeySpec(encKey, "AES");
        this.macLength = bulk.macLength;
        this.random = random;
        try {
            this.cipher = Cipher.getInstance("AES/CBC/NoPadding");
            this.mac = Mac.getInstance(bulk.macAlgorithm);
            mac.init(new SecretKeySpec(macKey, bulk.macAlgorithm));
        } catch (GeneralSecurityException e) {
            // AES/CBC/NoPadding, HmacSHA1 and HmacSHA256 are in every JDK.
            throw new IllegalStateException(bulk + " unavailable in this JDK", e);
        }
        // SHA-1 and SHA-256 hash 64-byte blocks with an 8-byte length; SHA-384 128 and 16.
        boolean wide = macLength > 32;
        this.hashBlockShift = wide ? 7 : 6;
        this.hashLengthField = wide ? 16 : 8;
        // Enough for the largest compensation (see unprotectMacThenEncrypt) plus one block.
        this.dummyBlocks = new byte[((MAX_PADDING >> hashBlockShift) + 3) << hashBlockShift];
    }

    /**
     * @param encKey the client or server write key from the key block
     * @param macKey the matching write MAC key
     * @param encryptThenMac true when both sides agreed on encrypt_then_mac (RFC 7366)
     * @param random the source of the per-record IVs
     */
    public static CbcProtection forWriting(BulkCipher bulk, byte[] encKey, byte[] macKey,
            boolean encryptThenMac, SecureRandom random) {
        return new CbcProtection(bulk, encKey, macKey, encryptThenMac,
                Objects.requireNonNull(random, "random"));
    }

    public static CbcProtection forReading(BulkCipher bulk, byte[] encKey, byte[] macKey,
            boolean encryptThenMac) {
        return new CbcProtection(bulk, encKey, macKey, encryptThenMac, null);
    }

    /** IV, MAC and at most one block of padding. */
    @Override
    public int overhead() {
        return bulk.overhead();
    }

    @Override
    public byte[] protect(int contentType, int version, int epoch, long seq, byte[] connectionId,
            byte[] plaintext, int off, int len) {
        if (random == null) {
            throw new IllegalStateException("this CbcProtection was created to read");
        }
        if (len < 0 || len > Record.MAX_PLAINTEXT_LENGTH) {
            throw new IllegalArgumentException("plaintext of " + len + " bytes");
        }
        // MAC-then-encrypt pads plaintext || MAC; encrypt-then-MAC pads the plaintext alone.
        int toPad = encryptThenMac ? len : len + macLength;
        int padValue = BLOCK - 1 - toPad % BLOCK;
        int encrypted = toPad + padValue + 1;
        byte[] out = new byte[BLOCK + encrypted + (encryptThenMac ? macLength : 0)];
        byte[] iv = new byte[BLOCK];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, out, 0, BLOCK);
        System.arraycopy(plaintext, off, out, BLOCK, len);
        try {
            if (!encryptThenMac) {
                mac.update(macHeader(contentType, version, epoch, seq, connectionId, len));
                mac.update(out, BLOCK, len);
                mac.doFinal(out, BLOCK + len);
            }
            Arrays.fill(out, BLOCK + toPad, BLOCK + encrypted, (byte) padValue);
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(out, 0, BLOCK));
            cipher.doFinal(out, BLOCK, encrypted, out, BLOCK);
            if (encryptThenMac) {
                mac.update(macHeader(contentType, version, epoch, seq, connectionId, BLOCK + encrypted));
                mac.update(out, 0, BLOCK + encrypted);
                mac.doFinal(out, BLOCK + encrypted);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bulk + " encryption failed", e);
        }
        return out;
    }

    @Override
    public byte[] unprotect(Record record) {
        byte[] in = record.fragment();
        if (in.length > Record.MAX_CIPHERTEXT_LENGTH) {
            return null;
        }
        try {
            return encryptThenMac
                    ? unprotectEncryptThenMac(record, in)
                    : unprotectMacThenEncrypt(record, in);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bulk + " decryption failed", e);
        }
    }

    /** RFC 7366 3: authenticate IV and ciphertext first; only then decrypt. */
    private byte[] unprotectEncryptThenMac(Record record, byte[] in)
            throws GeneralSecurityException {
        int encrypted = in.length - BLOCK - macLength;
        if (encrypted < BLOCK || encrypted % BLOCK != 0) {
            return null;
        }
        mac.update(macHeader(record, BLOCK + encrypted));
        mac.update(in, 0, BLOCK + encrypted);
        byte[] expected = mac.doFinal();
        int diff = 0;
        for (int i = 0; i < macLength; i++) {
            diff |= expected[i] ^ in[BLOCK + encrypted + i];
        }
        if (diff != 0) {
            return null;
        }
        byte[] p = decrypt(in, encrypted);
        // The padding is authenticated now, so checking it plainly reveals nothing new.
        int padValue = p[encrypted - 1] & 0xff;
        int contentLength = encrypted - padValue - 1;
        if (contentLength < 0 || contentLength > Record.MAX_PLAINTEXT_LENGTH) {
            return null;
        }
        for (int i = contentLength; i < encrypted; i++) {
            if ((p[i] & 0xff) != padValue) {
                return null;
            }
        }
        return Arrays.copyOf(p, contentLength);
    }

    /** RFC 5246 6.2.3.2, in (pseudo) constant time; see the class comment. */
    private byte[] unprotectMacThenEncrypt(Record record, byte[] in)
            throws GeneralSecurityException {
        int n = in.length - BLOCK;
        // Public checks: at least room for the MAC and the padding length byte, block-aligned.
        if (n < macLength + 1 || n % BLOCK != 0) {
            return null;
        }
        byte[] p = decrypt(in, n);

        // Padding: the last byte says how many bytes before it must repeat its value.
        int padValue = p[n - 1] & 0xff;
        int good = ge(n, padValue + 1 + macLength);
        int mismatch = 0;
        int scan = Math.min(MAX_PADDING, n);
        for (int i = 0; i < scan; i++) {
            mismatch |= lt(i, padValue + 1) & ((p[n - 1 - i] & 0xff) ^ padValue);
        }
        good &= isZero(mismatch);
        // Bad padding: carry on as though there were none, so a MAC is computed regardless.
        int contentLength = n - macLength - (good & (padValue + 1));

        byte[] header = macHeader(record, contentLength);
        mac.update(header);
        mac.update(p, 0, contentLength);
        byte[] expected = mac.doFinal();

        // Top up to the compression-function calls of the longest possible content, n - macLength
        // (the bad-padding case). HMAC's inner hash covers the key block, the 13-byte header and
        // the content, plus the 0x80 byte and the length field; the "+1" of the block count and
        // the outer hash are the same for every content length and cancel out.
        int innerPrefix = (1 << hashBlockShift) + header.length + hashLengthField;
        int extraBlocks = ((innerPrefix + n - macLength) >>> hashBlockShift)
                - ((innerPrefix + contentLength) >>> hashBlockShift);
        // Always at least one block, so that the call is never skipped.
        mac.update(dummyBlocks, 0, (extraBlocks + 1) << hashBlockShift);
        mac.reset();

        // Compare against the received MAC wherever it may start, without indexing p by a secret.
        int diff = 0;
        int macEnd = contentLength + macLength;
        for (int i = Math.max(0, n - macLength - MAX_PADDING); i < n; i++) {
            int inMac = ge(i, contentLength) & lt(i, macEnd);
            diff |= inMac & (p[i] ^ expected[(i - contentLength) & inMac]);
        }
        good &= isZero(diff & 0xff);

        if (good == 0 || contentLength > Record.MAX_PLAINTEXT_LENGTH) {
            return null;
        }
        return Arrays.copyOf(p, contentLength);
    }

    private byte[] decrypt(byte[] in, int length) throws GeneralSecurityException {
        cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(in, 0, BLOCK));
        byte[] p = new byte[length];
        cipher.doFinal(in, BLOCK, length, p, 0);
        return p;
    }

    /** The MAC's header: RFC 5246 6.2.3.1, or RFC 9146 5.1/5.2 for a record with a connection ID. */
    private byte[] macHeader(int contentType, int version, int epoch, long seq, byte[] connectionId, int length) {
        byte[] header = AuthenticatedHeader.buffer(plainMacHeader, connectionId);
        AuthenticatedHeader.write(header, contentType, version, epoch, seq, connectionId, length);
        return header;
    }

    private byte[] macHeader(Record record, int length) {
        return macHeader(record.contentType(), record.version(), record.epoch(), record.sequenceNumber(),
                record.connectionId(), length);
    }

    // Branch-free comparisons on non-negative ints below 2^30: all ones when true, else zero.

    static int lt(int a, int b) {
        return (a - b) >> 31;
    }

    static int ge(int a, int b) {
        return ~lt(a, b);
    }

    static int isZero(int x) {
        return (x - 1) >> 31;
    }
}
