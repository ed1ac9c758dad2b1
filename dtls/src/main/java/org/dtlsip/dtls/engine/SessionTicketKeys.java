package org.dtlsip.dtls.engine;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Seals session state into RFC 5077 tickets and opens them again. A ticket is
 * {@code key_name(16) || iv(12) || AES-256-GCM(state)} with the key name as associated data
 * (the layout RFC 5077 4 recommends, with AEAD instead of CBC+HMAC). Keys rotate every
 * lifetime; a ticket under the previous key is still accepted, anything older falls back to a
 * full handshake. Thread-safe.
 */
public final class SessionTicketKeys {
    /** How long one key issues tickets; it then decrypts for one more period. */
    public static final long DEFAULT_KEY_LIFETIME_MILLIS = 12 * 60 * 60 * 1000L;
    /**
     * How long after its full handshake a session may be resumed by ticket, in seconds: the
     * lifetime hint sent to clients (RFC 5077 3.3) and the age past which {@link #open} refuses
     * a ticket. The same 2 hours as the session cache ({@link SessionCache#DEFAULT_LIFETIME_MILLIS}).
     */
    public static final long DEFAULT_TICKET_LIFETIME_SECONDS = 2 * 60 * 60;
    private static final int KEY_NAME_LENGTH = 16;
    private static final int IV_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private record TicketKey(byte[] name, SecretKeySpec key, long createdMillis) {
    }

    private final SecureRandom random;
    private final long keyLifetimeMillis;
    private final long ticketLifetimeMillis;
    private final List<TicketKey> keys = new ArrayList<>(2); // newest first

    public SessionTicketKeys(SecureRandom random, long keyLifetimeMillis) {
        this(random, keyLifetimeMillis, DEFAULT_TICKET_LIFETIME_SECONDS * 1000);
    }

    /**
     * @param ticketLifetimeMillis how long after its full handshake a ticket's session may be
     *     resumed; rounded down to whole seconds in the hint sent to clients
     */
    public SessionTicketKeys(SecureRandom random, long keyLifetimeMillis, long ticketLifetimeMillis) {
        if (keyLifetimeMillis <= 0 || ticketLifetimeMillis <= 0) {
            throw new IllegalArgumentException("ticket key and ticket lifetimes must be positive");
        }
        this.random = random;
        this.keyLifetimeMillis = keyLifetimeMillis;
        this.ticketLifetimeMillis = ticketLifetimeMillis;
    }

    /** See {@link #DEFAULT_TICKET_LIFETIME_SECONDS}. */
    public long ticketLifetimeMillis() {
        return ticketLifetimeMillis;
    }

    public static SessionTicketKeys withDefaults(SecureRandom random) {
        return new SessionTicketKeys(random, DEFAULT_KEY_LIFETIME_MILLIS);
    }

    /** Starts a new key now; the previous one stays for decryption only, older ones are retired. */
    public synchronized void rotate(long now) {
        byte[] name = new byte[KEY_NAME_LENGTH];
        byte[] key = new byte[32];
        random.nextBytes(name);
        random.nextBytes(key);
        keys.add(0, new TicketKey(name, new SecretKeySpec(key, "AES"), now));
        while (keys.size() > 2) {
            keys.remove(keys.size() - 1);
        }
    }

    private synchronized TicketKey current(long now) {
        if (keys.isEmpty() || now - keys.get(0).createdMillis >= keyLifetimeMillis) {
            rotate(now);
        }
        return keys.get(0);
    }

    public byte[] seal(SessionState state, long now) {
        return sealBytes(state.encode(), now);
    }

    /** {@code plain} encrypted and authenticated under the current key, named by it (any session state's encoding). */
    public byte[] sealBytes(byte[] plain, long now) {
        TicketKey k = current(now);
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k.key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(k.name);
            byte[] sealed = c.doFinal(plain);
            return new ByteWriter(KEY_NAME_LENGTH + IV_LENGTH + sealed.length).bytes(k.name).bytes(iv).bytes(sealed)
                    .toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable for session tickets", e);
        }
    }

    /**
     * The state in {@code ticket}, or {@code null} when it is not ours, retired, tampered with,
     * or older than the ticket lifetime: its session was authenticated too long ago (the age
     * counts from the full handshake, so resuming and re-issuing does not extend it).
     */
    public SessionState open(byte[] ticket, long now) {
        byte[] plain = openBytes(ticket, now);
        if (plain == null) {
            return null;
        }
        try {
            SessionState state = SessionState.decode(plain);
            return now - state.createdMillis() > ticketLifetimeMillis ? null : state;
        } catch (DecodeException e) {
            return null;
        }
    }

    /**
     * What {@link #sealBytes} sealed into {@code ticket}, or {@code null} when it is not ours,
     * its key is retired, or it was tampered with. The caller checks the age of what it holds.
     */
    public byte[] openBytes(byte[] ticket, long now) {
        if (ticket.length < KEY_NAME_LENGTH + IV_LENGTH + TAG_BITS / 8) {
            return null;
        }
        byte[] name = Arrays.copyOfRange(ticket, 0, KEY_NAME_LENGTH);
        TicketKey key = null;
        synchronized (this) {
            for (TicketKey k : keys) {
                if (Arrays.equals(k.name, name) && now - k.createdMillis < 2 * keyLifetimeMillis) {
                    key = k;
                }
            }
        }
        if (key == null) {
            return null;
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.key,
                    new GCMParameterSpec(TAG_BITS, ticket, KEY_NAME_LENGTH, IV_LENGTH));
            c.updateAAD(name);
            return c.doFinal(ticket, KEY_NAME_LENGTH + IV_LENGTH, ticket.length - KEY_NAME_LENGTH - IV_LENGTH);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
