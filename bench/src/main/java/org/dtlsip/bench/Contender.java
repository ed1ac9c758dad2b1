package org.dtlsip.bench;

import java.net.InetSocketAddress;

/**
 * One implementation pair under test: a server it starts and a client that connects to it.
 * Scenarios time {@link #connect} (the full handshake, as the client's API reports it) and use
 * the server's receive counters for bulk transfer.
 */
public interface Contender extends AutoCloseable {
    String name();

    /** Starts the server side (once) and returns where clients should send. */
    InetSocketAddress startServer() throws Exception;

    /** Starts the server side for bulk transfer; the same server unless a peer needs another receiver. */
    default InetSocketAddress startBulkServer() throws Exception {
        return startServer();
    }

    /** Opens a client association to {@code server}; returns once the client's handshake completed. */
    Connection connect(InetSocketAddress server) throws Exception;

    /** The server's receive counters. */
    ReceiveCounters received();

    /** Application records the server has received since {@link #resetCounters}. */
    default long receivedRecords() {
        return received().records();
    }

    default long receivedBytes() {
        return received().bytes();
    }

    default void resetCounters() {
        received().reset();
    }

    /**
     * The CPU time so far of the receiving process when it is not this JVM (a C receiver), else
     * {@link CpuTimes#UNKNOWN}: then the receiver runs in this JVM and is charged with the rest
     * of the process's time.
     */
    default CpuTimes externalReceiverCpu() {
        return CpuTimes.UNKNOWN;
    }

    @Override
    void close() throws Exception;

    /** One established client association. */
    interface Connection extends AutoCloseable {
        /** Sends one application record; may drop it when the socket is full (UDP). */
        void send(byte[] payload) throws Exception;

        /**
         * Sends each buffer's remaining bytes as one record: ours packs them into datagrams up
         * to the PMTU (a gathering write); others send them one at a time.
         */
        default void send(java.nio.ByteBuffer[] records) throws Exception {
            for (java.nio.ByteBuffer r : records) {
                byte[] b = new byte[r.remaining()];
                r.get(b);
                send(b);
            }
        }

        @Override
        void close() throws Exception;
    }
}
