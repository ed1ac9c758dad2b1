package org.dtlsip.media.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dtlsip.dtls.crypto.Fingerprint;

/**
 * The audio part of an SDP offer or answer for DTLS-SRTP (RFC 5763 5, RFC 8842, RFC 4566):
 * {@code m=audio PORT UDP/TLS/RTP/SAVP 0}, the connection address, {@code a=rtpmap:0 PCMU/8000},
 * {@code a=fingerprint:sha-256} of the media certificate, {@code a=setup} and
 * {@code a=rtcp-mux} (RTCP on the same port, RFC 5761).
 *
 * @param formats the m= line's RTP payload types, in order
 * @param fingerprint SHA-256 of the certificate that will appear in the media DTLS handshake
 */
public record SdpMedia(String address, int port, String protocol, List<Integer> formats, byte[] fingerprint, SetupRole setup,
        boolean rtcpMux) {
    /** RFC 5764 8 / RFC 8842: the proto of DTLS-SRTP audio. */
    public static final String DTLS_SRTP_PROTOCOL = "UDP/TLS/RTP/SAVP";
    /** The only hash function this parser takes (RFC 8122 5 lists sha-256 first; RFC 8842 5.1 needs it). */
    public static final String FINGERPRINT_HASH = "sha-256";

    /** RFC 3551 table 4: PCMU, the one format the samples send. */
    public static final int PCMU = 0;

    public SdpMedia {
        formats = List.copyOf(formats);
        fingerprint = fingerprint == null ? null : fingerprint.clone();
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint == null ? null : fingerprint.clone();
    }

    /** Whether this describes DTLS-SRTP media (a fingerprint and the SAVP profile over DTLS). */
    public boolean dtlsSrtp() {
        return DTLS_SRTP_PROTOCOL.equalsIgnoreCase(protocol) && fingerprint != null;
    }

    /**
     * Where the peer's media goes and comes from: the connection address as an IP literal and
     * the port. Refused: no {@code c=} at all (RFC 4566 5.7 requires one; Java would read the
     * missing name as loopback), the unspecified address (0.0.0.0 is hold, RFC 3264 8.4, and
     * Linux delivers it to this host), multicast (not a DTLS peer), and names: looking one up
     * would cost a DNS query, of a name the peer chose, on the signalling thread.
     *
     * @throws IllegalArgumentException naming the {@code c=} address and why it is refused
     */
    public InetSocketAddress peer() {
        if (address == null) {
            throw new IllegalArgumentException("SDP has no c= line for the audio (RFC 4566 5.7: one at session or media level)");
        }
        if (!address.contains(":") && !isIpv4Literal(address)) {
            throw new IllegalArgumentException("c= address '" + address + "' is not an IP address; names are not resolved");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(address); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("c= address '" + address + "' is not an IP address");
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new IllegalArgumentException("c= address " + address + " is not a unicast peer (0.0.0.0 means hold, RFC 3264 8.4;"
                    + " multicast has no DTLS association)");
        }
        return new InetSocketAddress(a, port);
    }

    private static boolean isIpv4Literal(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The media-level lines for this description (after the session-level {@code c=} and {@code t=} lines). */
    public String mediaLines() {
        StringBuilder sb = new StringBuilder();
        sb.append("m=audio ").append(port).append(' ').append(protocol);
        for (int f : formats) {
            sb.append(' ').append(f);
        }
        sb.append("\r\n");
        if (formats.contains(PCMU)) {
            sb.append("a=rtpmap:0 PCMU/8000\r\n");
        }
        if (fingerprint != null) {
            sb.append("a=fingerprint:").append(FINGERPRINT_HASH).append(' ').append(Fingerprint.format(fingerprint)).append("\r\n");
        }
        if (setup != null) {
            sb.append("a=setup:").append(setup.token()).append("\r\n");
        }
        if (rtcpMux) {
            sb.append("a=rtcp-mux\r\n");
        }
        return sb.append("a=sendrecv\r\n").toString();
    }

    /**
     * The first audio description of {@code sdp}, with the session-level connection address
     * and fingerprint as defaults (RFC 4566 5.7, RFC 8122 5); {@code null} without an audio line.
     *
     * @throws IllegalArgumentException for a malformed m= line, fingerprint or setup
     */
    public static SdpMedia parseAudio(String sdp) {
        String sessionAddress = null;
        byte[] sessionFingerprint = null;
        SetupRole sessionSetup = null;
        String address = null;
        int port = -1;
        String protocol = null;
        List<Integer> formats = new ArrayList<>();
        byte[] fingerprint = null;
        SetupRole setup = null;
        boolean mux = false;
        boolean inAudio = false;
        boolean seenMedia = false;
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (inAudio) {
                    break; // only the first audio description
                }
                seenMedia = true;
                String[] f = line.substring(2).split("\\s+");
                if (f.length >= 4 && f[0].equals("audio")) {
                    inAudio = true;
                    try {
                        port = Integer.parseInt(f[1]);
                        for (int i = 3; i < f.length; i++) {
                            formats.add(Integer.parseInt(f[i]));
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("malformed SDP media line '" + line + "'");
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("SDP media port " + port + " out of range");
                    }
                    protocol = f[2];
                }
                continue;
            }
            if (seenMedia && !inAudio) {
                continue;
            }
            if (line.startsWith("c=")) {
                String[] f = line.substring(2).split("\\s+");
                if (f.length >= 3) {
                    String a = f[2].contains("/") ? f[2].substring(0, f[2].indexOf('/')) : f[2];
                    if (inAudio) {
                        address = a;
                    } else {
                        sessionAddress = a;
                    }
                }
            } else if (line.startsWith("a=fingerprint:")) {
                String[] f = line.substring("a=fingerprint:".length()).trim().split("\\s+");
                if (f.length == 2 && f[0].toLowerCase(Locale.ROOT).equals(FINGERPRINT_HASH)) {
                    byte[] fp = Fingerprint.parse(f[1]);
                    if (inAudio) {
                        fingerprint = fp;
                    } else {
                        sessionFingerprint = fp;
                    }
                }
            } else if (line.startsWith("a=setup:")) {
                SetupRole r = SetupRole.parse(line.substring("a=setup:".length()));
                if (inAudio) {
                    setup = r;
                } else {
                    sessionSetup = r;
                }
            } else if (inAudio && line.equals("a=rtcp-mux")) {
                mux = true;
            }
        }
        if (!inAudio) {
            return null;
        }
        return new SdpMedia(address != null ? address : sessionAddress, port, protocol, formats,
                fingerprint != null ? fingerprint : sessionFingerprint, setup != null ? setup : sessionSetup, mux);
    }
}
