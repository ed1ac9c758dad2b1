package org.dtlsip.bench.server;

import java.net.InetSocketAddress;

/** A DTLS server under many concurrent clients: where to send, and what it has established. */
public interface LoadServer extends AutoCloseable {
    String name();

    /** Starts the server on 127.0.0.1 and returns its address. */
    InetSocketAddress start() throws Exception;

    /** Server-side handshakes completed since start. */
    long established();

    /** Associations the server holds now (established ones; idle clients are never closed). */
    long associations();

    /** How this server is driven, for the report. */
    String how();

    @Override
    void close() throws Exception;
}
