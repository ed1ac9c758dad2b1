package org.dtlsip.sample.uac;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.dtlsip.dtls.util.Addresses;

/**
 * Finds out at once whether anything listens on a UDP target (udp, dtls-udp), so that a call to a
 * port where nothing runs fails in a moment rather than after {@code --timeout-ms}. The SIP stack's
 * UDP and DTLS-UDP sockets are not connected, and the kernel tells an unconnected socket nothing of
 * the ICMP port unreachable its datagrams draw; so this sends one datagram of its own from a
 * connected socket and listens for that ICMP error ({@link PortUnreachableException}).
 *
 * <p>The datagram is a CRLF: a SIP stack ignores it (RFC 3261 7.5, the keep-alive of RFC 5626
 * 3.5.1 is a CRLF pair) and a DTLS stack drops it (shorter than a record header, RFC 6347 4.1).
 * (An empty datagram draws no ICMP error on some kernels.) No answer, or any answer, says nothing
 * against the target: the call goes on as it would have.
 */
final class PortProbe {
    /** How long to listen for the ICMP error: one round trip on any path a call works over. */
    static final int WAIT_MILLIS = 1_000;
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private PortProbe() {
    }

    /**
     * Sends the probe to {@code target} now and listens for the ICMP error on a daemon thread; if
     * nothing listens there, calls {@code unreachable} with a one-line reason that names the target
     * and what to do ({@code transport} as the user writes it, e.g. "dtls-udp"; {@code who} should
     * run there, e.g. "sample-uas").
     */
    static void start(InetSocketAddress target, String transport, String who, Consumer<String> unreachable) {
        DatagramSocket socket;
        try {
            socket = new DatagramSocket();
            socket.connect(target);
            socket.setSoTimeout(WAIT_MILLIS);
            socket.send(new DatagramPacket(CRLF, CRLF.length));
        } catch (IOException | RuntimeException e) {
            return; // the call reports its own failure
        }
        Thread t = new Thread(() -> {
            String reason = listen(socket, target, transport, who);
            if (reason != null) {
                unreachable.accept(reason);
            }
        }, "uac-port-probe");
        t.setDaemon(true);
        t.start();
    }

    /** The reason nothing listens on {@code target}, or {@code null} if that is not known. Closes {@code socket}. */
    private static String listen(DatagramSocket socket, InetSocketAddress target, String transport, String who) {
        try (socket) {
            socket.receive(new DatagramPacket(new byte[1], 1));
            return null; // something answered
        } catch (PortUnreachableException e) {
            String at = Addresses.format(target);
            return "nothing listens on " + transport + " " + at + " (ICMP port unreachable): is " + who + " running on "
                    + at + "?";
        } catch (SocketTimeoutException e) {
            return null; // no ICMP error: something listens, or a firewall drops the probe
        } catch (IOException | RuntimeException e) {
            return null; // the call reports its own failure
        }
    }
}
