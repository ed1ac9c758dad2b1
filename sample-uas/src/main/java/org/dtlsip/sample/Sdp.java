package org.dtlsip.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough SDP (RFC 4566) for the samples: an audio offer, and an answer that accepts the
 * offer's first audio format (RFC 3264 6). No media flows on these; the ports are only
 * advertised. DTLS-SRTP media ({@link CallMedia}) puts its own media lines after {@link #session}.
 */
public final class Sdp {
    private Sdp() {
    }

    /** An offer of PCMU and PCMA on {@code port}. */
    public static String offer(String address, int port, long sessionId) {
        return session(address, sessionId)
                + "m=audio " + port + " RTP/AVP 0 8\r\n"
                + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n";
    }

    /**
     * The answer to {@code offer}: the first audio format offered, same transport protocol, or
     * {@code null} if the offer has no usable audio line.
     */
    public static String answer(String offer, String address, int port, long sessionId) {
        String proto = null;
        String format = null;
        List<String> attributes = new ArrayList<>();
        boolean inAudio = false;
        for (String line : offer.split("\r?\n")) {
            if (line.startsWith("m=")) {
                inAudio = false;
                String[] f = line.substring(2).trim().split("\\s+");
                if (proto == null && f.length >= 4 && f[0].equals("audio") && !f[1].equals("0")) {
                    proto = f[2];
                    format = f[3];
                    inAudio = true;
                }
            } else if (inAudio && (line.startsWith("a=rtpmap:" + format + " ") || line.startsWith("a=fmtp:" + format + " "))) {
                attributes.add(line.trim());
            }
        }
        if (proto == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(session(address, sessionId));
        sb.append("m=audio ").append(port).append(' ').append(proto).append(' ').append(format).append("\r\n");
        for (String a : attributes) {
            sb.append(a).append("\r\n");
        }
        return sb.append("a=sendrecv\r\n").toString();
    }

    /** The session-level lines: v=, o=, s=, c= and t=. */
    public static String session(String address, long sessionId) {
        String ipVersion = address.contains(":") ? "IP6" : "IP4";
        return "v=0\r\n"
                + "o=dtlsip " + sessionId + " " + sessionId + " IN " + ipVersion + " " + address + "\r\n"
                + "s=dtlsip sample\r\n"
                + "c=IN " + ipVersion + " " + address + "\r\n"
                + "t=0 0\r\n";
    }

    /**
     * An answer that declines the offer's audio stream (RFC 3264 6: port 0, the offer's
     * protocol and first format), for a DTLS-SRTP offer when media is off.
     */
    public static String decline(String offer, String address, long sessionId) {
        for (String line : offer.split("\r?\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("m=audio") && f.length >= 4) {
                return session(address, sessionId) + "m=audio 0 " + f[2] + " " + f[3] + "\r\n";
            }
        }
        return null;
    }
}
