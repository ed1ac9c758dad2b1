package org.dtlsip.sample.uac;

import java.util.ListIterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.address.Address;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.sample.SampleFailure;

/**
 * One binding kept at a registrar (RFC 3261 10.2): REGISTER our Contact for an address-of-record,
 * REGISTER again before the granted time runs out (at half of it), and REGISTER it away
 * ({@code expires=0}) when closed. Every REGISTER of a binding uses one Call-ID and increasing
 * CSeq numbers (RFC 3261 10.2: the registrar orders them by CSeq).
 */
final class Registration implements AutoCloseable {
    /** Sends a request (answering digest challenges) and returns its final response. */
    interface Transactor {
        Response send(Request request) throws Exception;
    }

    /** Refreshes no sooner than this after a REGISTER, whatever was granted. */
    static final long MIN_REFRESH_MILLIS = 500;

    private final Request template;
    private final Address contact;
    private final int requestedSeconds;
    private final Transactor transactor;
    private final Consumer<String> log;
    private final AtomicLong cseq = new AtomicLong(1);
    private final AtomicInteger refreshes = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private volatile int grantedSeconds;
    private volatile ScheduledFuture<?> next;
    private volatile boolean closed;

    /**
     * @param template a REGISTER with Request-URI, From, To, Call-ID, Via and Max-Forwards (its
     *     CSeq, Contact and Expires are set here)
     */
    Registration(Request template, Address contact, int requestedSeconds, Transactor transactor, Consumer<String> log) {
        this.template = template;
        this.contact = contact;
        this.requestedSeconds = requestedSeconds;
        this.transactor = transactor;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "uac-register");
            t.setDaemon(true);
            return t;
        });
    }

    /** The first REGISTER; schedules the refreshes. */
    void start() throws SampleFailure {
        int granted = register(requestedSeconds);
        log.accept("uac: registered " + contact.getURI() + " as " + aor() + " for " + granted + " s (refresh every "
                + refreshMillis(granted) / 1000.0 + " s)");
        schedule(granted);
    }

    int refreshes() {
        return refreshes.get();
    }

    int grantedSeconds() {
        return grantedSeconds;
    }

    private String aor() {
        return template.getHeader(javax.sip.header.ToHeader.NAME) instanceof javax.sip.header.ToHeader to
                ? to.getAddress().getURI().toString() : "?";
    }

    private static long refreshMillis(int granted) {
        return Math.max(MIN_REFRESH_MILLIS, granted * 1000L / 2);
    }

    private void schedule(int granted) {
        if (!closed) {
            next = timer.schedule(this::refresh, refreshMillis(granted), TimeUnit.MILLISECONDS);
        }
    }

    private void refresh() {
        try {
            int granted = register(requestedSeconds);
            refreshes.incrementAndGet();
            schedule(granted);
        } catch (SampleFailure e) {
            log.accept("uac: registration refresh failed: " + e.getMessage());
        }
    }

    /** One REGISTER with {@code seconds}; returns the time the registrar granted our Contact. */
    private synchronized int register(int seconds) throws SampleFailure {
        Request r = (Request) template.clone();
        try {
            ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).setSeqNumber(cseq.getAndIncrement());
            ((ViaHeader) r.getHeader(ViaHeader.NAME)).removeParameter("branch");
            var headers = new gov.nist.javax.sip.header.HeaderFactoryImpl();
            ContactHeader c = headers.createContactHeader(contact);
            c.setExpires(seconds);
            r.setHeader(c);
            ExpiresHeader e = headers.createExpiresHeader(seconds);
            r.setHeader(e);
        } catch (Exception e) {
            throw new SampleFailure("cannot build REGISTER: " + SampleFailure.rootMessage(e), e);
        }
        Response resp;
        try {
            resp = transactor.send(r);
        } catch (Exception e) {
            throw new SampleFailure("REGISTER failed: " + SampleFailure.rootMessage(e), e);
        }
        if (resp.getStatusCode() / 100 != 2) {
            throw new SampleFailure("REGISTER answered " + resp.getStatusCode() + " " + resp.getReasonPhrase());
        }
        grantedSeconds = seconds == 0 ? 0 : granted(resp, seconds);
        return grantedSeconds;
    }

    /** RFC 3261 10.2.4: our Contact's expires in the 200, else its Expires header, else what we asked. */
    private int granted(Response ok, int asked) {
        @SuppressWarnings("unchecked")
        ListIterator<ContactHeader> it = ok.getHeaders(ContactHeader.NAME);
        while (it != null && it.hasNext()) {
            ContactHeader c = it.next();
            if (c.getAddress().getURI().equals(contact.getURI()) && c.getExpires() >= 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader e = ok.getExpires();
        return e != null ? e.getExpires() : asked;
    }

    /** Stops refreshing and removes the binding (expires=0); a failure is logged, not thrown. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> f = next;
        if (f != null) {
            f.cancel(false);
        }
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            register(0);
            log.accept("uac: unregistered " + contact.getURI() + " (" + refreshes.get() + " refresh"
                    + (refreshes.get() == 1 ? "" : "es") + ")");
        } catch (SampleFailure e) {
            log.accept("uac: unregistering failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
