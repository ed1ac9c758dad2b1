package org.dtlsip.dtls.interop;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.io.DtlsServer;

/**
 * A {@link DtlsServer.Handler} that queues every callback so a test thread can wait for them.
 * Callbacks run on the server thread; the queues hand them over.
 */
final class RecordingHandler implements DtlsServer.Handler {

    /** One onData callback. */
    record Data(DtlsServer.Association association, byte[] bytes) {
    }

    /** One onClosed callback; {@code failure} is null after close_notify. */
    record Closed(DtlsServer.Association association, DtlsException failure) {
    }

    private final BlockingQueue<DtlsServer.Association> completed = new LinkedBlockingQueue<>();
    private final BlockingQueue<Data> data = new LinkedBlockingQueue<>();
    private final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();

    @Override
    public void onHandshakeComplete(DtlsServer.Association association) {
        completed.add(association);
    }

    @Override
    public void onData(DtlsServer.Association association, byte[] bytes) {
        data.add(new Data(association, bytes));
    }

    @Override
    public void onClosed(DtlsServer.Association association, DtlsException failure) {
        closed.add(new Closed(association, failure));
    }

    DtlsServer.Association awaitHandshake(Duration timeout) throws InterruptedException {
        return take(completed, timeout, "onHandshakeComplete");
    }

    Data awaitData(Duration timeout) throws InterruptedException {
        return take(data, timeout, "onData");
    }

    Closed awaitClosed(Duration timeout) throws InterruptedException {
        return take(closed, timeout, "onClosed");
    }

    /** A callback already queued, or null: for asserting that something did not happen. */
    DtlsServer.Association pollHandshake() {
        return completed.poll();
    }

    private static <T> T take(BlockingQueue<T> queue, Duration timeout, String what)
            throws InterruptedException {
        T item = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            throw new AssertionError("no " + what + " callback within " + timeout.toMillis() + " ms");
        }
        return item;
    }
}
