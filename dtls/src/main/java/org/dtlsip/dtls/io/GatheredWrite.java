package org.dtlsip.dtls.io;

/**
 * What a gathering {@link DtlsChannel#write(java.nio.ByteBuffer[])} did: its status and how many
 * of the leading records it accepted. Accepted records were consumed (position = limit) and will
 * reach the socket once, in order, even when the status is {@link DtlsChannel.Status#WANT_WRITE};
 * the others were not touched and are the caller's to offer again.
 *
 * @param status {@link DtlsChannel.Status#OK} when every record was accepted
 * @param accepted records accepted, from the first on
 */
public record GatheredWrite(DtlsChannel.Status status, int accepted) {
}
