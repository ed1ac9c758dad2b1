package org.dtlsip.media.rtp;

import java.util.Arrays;

/**
 * An RTP data packet (RFC 3550 5.1): version 2, no CSRCs and no header extension when we write
 * one; when we read one, CSRCs and a header extension are skipped and padding is removed.
 *
 * @param payloadType 7 bits (RFC 3551 table 4: 0 is PCMU)
 * @param sequenceNumber 16 bits, +1 per packet, random start (RFC 3550 5.1)
 * @param timestamp 32 bits, in units of the payload's clock (8000 Hz for PCMU)
 * @param ssrc 32 bits, unsigned in a long
 */
public record RtpPacket(boolean marker, int payloadType, int sequenceNumber, long timestamp, long ssrc, byte[] payload) {
    /** RFC 3550 5.1: the fixed header without CSRCs. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** The only version RFC 3550 defines. */
    public static final int VERSION = 2;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is not 7 bits");
        }
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFF) {
            throw new IllegalArgumentException("sequence number " + sequenceNumber + " is not 16 bits");
        }
        if (timestamp < 0 || timestamp > 0xFFFF_FFFFL || ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("timestamp and SSRC are 32-bit unsigned");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** The packet on the wire: the 12-byte fixed header, then the payload. */
    public byte[] encode() {
        byte[] out = new byte[FIXED_HEADER_LENGTH + payload.length];
        out[0] = (byte) (VERSION << 6);
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[2] = (byte) (sequenceNumber >>> 8);
        out[3] = (byte) sequenceNumber;
        putInt(out, 4, timestamp);
        putInt(out, 8, ssrc);
        System.arraycopy(payload, 0, out, FIXED_HEADER_LENGTH, payload.length);
        return out;
    }

    /**
     * Reads a packet; CSRCs and the header extension are skipped, padding (P bit) removed.
     *
     * @throws IllegalArgumentException if it is not a well-formed RTP version 2 packet
     */
    public static RtpPacket decode(byte[] packet, int offset, int length) {
        int header = headerLength(packet, offset, length);
        if (header < 0) {
            throw new IllegalArgumentException("not an RTP packet: " + length + " bytes, first byte 0x"
                    + (length > 0 ? Integer.toHexString(packet[offset] & 0xFF) : "none"));
        }
        int end = offset + length;
        if ((packet[offset] & 0x20) != 0) {
            // RFC 3550 5.1: the last octet of the padding counts the padding octets, itself included.
            int padding = packet[end - 1] & 0xFF;
            if (padding == 0 || padding > length - header) {
                throw new IllegalArgumentException("RTP padding of " + padding + " octets does not fit the payload");
            }
            end -= padding;
        }
        return new RtpPacket((packet[offset + 1] & 0x80) != 0, packet[offset + 1] & 0x7F,
                sequenceNumber(packet, offset), getInt(packet, offset + 4), ssrc(packet, offset),
                Arrays.copyOfRange(packet, offset + header, end));
    }

    public static RtpPacket decode(byte[] packet) {
        return decode(packet, 0, packet.length);
    }

    /**
     * The length of the header SRTP leaves in the clear and authenticates (RFC 3711 3.1): fixed
     * header, CSRCs and header extension; -1 if the bytes are not a well-formed RTP header.
     */
    public static int headerLength(byte[] packet, int offset, int length) {
        if (length < FIXED_HEADER_LENGTH || (packet[offset] & 0xC0) >>> 6 != VERSION) {
            return -1;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (packet[offset] & 0x0F);
        if ((packet[offset] & 0x10) != 0) {
            // RFC 3550 5.3.1: 16-bit profile-defined field, 16-bit length in 32-bit words.
            if (length < header + 4) {
                return -1;
            }
            int words = ((packet[offset + header + 2] & 0xFF) << 8) | (packet[offset + header + 3] & 0xFF);
            header += 4 + 4 * words;
        }
        return header <= length ? header : -1;
    }

    public static int sequenceNumber(byte[] packet, int offset) {
        return ((packet[offset + 2] & 0xFF) << 8) | (packet[offset + 3] & 0xFF);
    }

    public static long ssrc(byte[] packet, int offset) {
        return getInt(packet, offset + 8);
    }

    static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static long getInt(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p && marker == p.marker && payloadType == p.payloadType
                && sequenceNumber == p.sequenceNumber && timestamp == p.timestamp && ssrc == p.ssrc
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(ssrc) * 31 + sequenceNumber;
    }

    @Override
    public String toString() {
        return "RTP pt=" + payloadType + " seq=" + sequenceNumber + " ts=" + timestamp + " ssrc=0x"
                + Long.toHexString(ssrc) + (marker ? " M" : "") + " " + payload.length + " bytes";
    }
}
