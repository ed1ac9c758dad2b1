package org.dtlsip.sample.uas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.sip.address.URI;

/**
 * The bindings of a registrar for one domain (RFC 3261 10.3): address-of-record (the user
 * part: one domain) to contact URIs, each with its expiry. Contacts are compared as URIs
 * (RFC 3261 19.1.4, the RI's {@code equals}). Expired bindings are dropped when read.
 */
public final class Registrar {
    /**
     * An hour: longer registrations are shortened to this (RFC 3261 10.3 step 7 lets a
     * registrar shorten, and the UA refreshes on the value in the 200).
     */
    public static final int MAX_EXPIRES_SECONDS = 3600;
    /**
     * Bindings kept per address-of-record: each REGISTER can add contacts, and an authenticated
     * user must not grow the table without bound.
     */
    public static final int MAX_BINDINGS_PER_AOR = 16;

    /** One contact of an AOR and when it lapses. */
    public record Binding(URI contact, long expiresAtMillis) {
        /** Seconds left, rounded up, for the {@code expires} parameter of the 200. */
        public int secondsLeft(long now) {
            return (int) Math.max(0, (expiresAtMillis - now + 999) / 1000);
        }
    }

    private final LongSupplier clock;
    private final Map<String, List<Binding>> bindings = new HashMap<>();

    /** @param clock milliseconds */
    public Registrar(LongSupplier clock) {
        this.clock = clock;
    }

    public long now() {
        return clock.getAsLong();
    }

    /**
     * Adds, refreshes ({@code expiresSeconds > 0}, capped at {@link #MAX_EXPIRES_SECONDS}) or
     * removes ({@code 0}) the binding of {@code contact}.
     *
     * @return {@code false} if the AOR already has {@link #MAX_BINDINGS_PER_AOR} other bindings
     */
    public synchronized boolean update(String aor, URI contact, int expiresSeconds) {
        List<Binding> list = live(aor);
        list.removeIf(b -> b.contact().equals(contact));
        if (expiresSeconds > 0) {
            if (list.size() >= MAX_BINDINGS_PER_AOR) {
                return false;
            }
            long seconds = Math.min(expiresSeconds, MAX_EXPIRES_SECONDS);
            list.add(new Binding(contact, clock.getAsLong() + seconds * 1000));
        }
        if (list.isEmpty()) {
            bindings.remove(aor);
        } else {
            bindings.put(aor, list);
        }
        return true;
    }

    /** {@code Contact: *} with {@code Expires: 0} (RFC 3261 10.2.2): every binding of {@code aor} goes. */
    public synchronized void removeAll(String aor) {
        bindings.remove(aor);
    }

    /** The live bindings of {@code aor}, oldest first. */
    public synchronized List<Binding> bindings(String aor) {
        List<Binding> list = live(aor);
        if (list.isEmpty()) {
            bindings.remove(aor);
        }
        return List.copyOf(list);
    }

    public boolean isRegistered(String aor) {
        return !bindings(aor).isEmpty();
    }

    private List<Binding> live(String aor) {
        List<Binding> list = new ArrayList<>(bindings.getOrDefault(aor, List.of()));
        long now = clock.getAsLong();
        for (Iterator<Binding> it = list.iterator(); it.hasNext();) {
            if (it.next().expiresAtMillis() <= now) {
                it.remove();
            }
        }
        return list;
    }
}
