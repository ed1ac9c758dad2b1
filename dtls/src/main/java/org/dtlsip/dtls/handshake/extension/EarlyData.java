package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * early_data (RFC 8446 4.2.10), recognised only so that 0-RTT can be refused: a ClientHello's
 * is empty, and a server that does not accept early data simply omits it from
 * EncryptedExtensions (the client then falls back to 1-RTT); a NewSessionTicket's carries
 * {@code uint32 max_early_data_size}, which we never send and, as a client, ignore.
 * docs/DTLS13.md says why there is no 0-RTT: early data is replayable and SIP requests are
 * not idempotent.
 */
public final class EarlyData {
    private EarlyData() {
    }

    /** True for the empty form a ClientHello or EncryptedExtensions carries. */
    public static boolean isIndication(Extension e) {
        CodeLists.requireType(e, ExtensionType.EARLY_DATA);
        return e.dataLength() == 0;
    }

    /**
     * max_early_data_size of a NewSessionTicket's early_data.
     *
     * @throws org.dtlsip.dtls.util.DecodeException unless the data is exactly four bytes
     */
    public static long maxEarlyDataSize(Extension e) {
        CodeLists.requireType(e, ExtensionType.EARLY_DATA);
        ByteReader r = new ByteReader(e.data());
        long size = (long) r.u16() << 16 | r.u16();
        r.expectEnd("early_data (NewSessionTicket)");
        return size;
    }

    /** The NewSessionTicket form, for tests that play a 0-RTT-offering server. */
    public static Extension forTicket(long maxEarlyDataSize) {
        return new Extension(ExtensionType.EARLY_DATA,
                new ByteWriter(4).u16((int) (maxEarlyDataSize >>> 16)).u16((int) maxEarlyDataSize).toByteArray());
    }
}
