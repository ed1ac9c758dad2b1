package org.dtlsip.sample;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.sip.DtlsListeningPoint;
import org.dtlsip.sip.DtlsSipProperties;
import org.dtlsip.sip.DtlsSipStack;

/**
 * One JAIN-SIP stack ({@link DtlsSipStack}) with a listening point per transport, all on one
 * provider. Translates the sample's certificate options into stack properties:
 * <ul>
 * <li>DTLS-UDP reads the PEM pair and {@code DTLS_PEER_FINGERPRINTS} or the trust store, and
 *     with the trust store checks the SIP domain of each request in the handshake (RFC 5922);
 * <li>TLS (the RI's, over {@link NoDelayNetworkLayer}) reads the PKCS#12 key store, always
 *     presenting our certificate, and checks the peer in the handshake by pinned fingerprint
 *     ({@link PinnedTrustManager}) or by the trust store, a server also for the SIP domain the
 *     client connects to ({@link SipDomainTrustManager}, RFC 5922);
 * <li>a server that was given {@code --trust} or {@code --fingerprint} requires client
 *     certificates ({@code Enabled}), on TLS as on DTLS-UDP; otherwise it does not ask for one
 *     ({@code Disabled}).
 * </ul>
 */
public final class SampleStack implements AutoCloseable {
    private static final AtomicLong STACKS = new AtomicLong();
    private static final String[] TLS_SUITES = {
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };

    private final DtlsSipStack stack;
    private final SipProvider provider;
    private final Map<Transport, ListeningPoint> points = new EnumMap<>(Transport.class);
    private final String address;
    public final AddressFactory addresses = new AddressFactoryImpl();
    public final HeaderFactory headers = new HeaderFactoryImpl();
    public final MessageFactory messages = new MessageFactoryImpl();

    private SampleStack(DtlsSipStack stack, SipProvider provider, String address) {
        this.stack = stack;
        this.provider = provider;
        this.address = address;
    }

    /** Which end of a call the stack is for: decides how certificates are asked for and checked. */
    public enum Role { SERVER, CLIENT }

    /**
     * Creates the stack and listens on each transport.
     *
     * @param ports transport to port; 0 picks a free port
     * @throws SampleFailure one line: bad address, port in use, missing peer check
     */
    public static SampleStack start(String name, Role role, Credentials creds, String address,
            Map<Transport, Integer> ports, SipListener listener) throws SampleFailure {
        return start(name, role, creds, address, ports, listener, new Properties());
    }

    /**
     * {@link #start(String, Role, Credentials, String, Map, SipListener)} with more stack
     * properties (e.g. {@link DtlsSipProperties#TRANSPORT_TOKEN}), which win over the sample's.
     */
    public static SampleStack start(String name, Role role, Credentials creds, String address,
            Map<Transport, Integer> ports, SipListener listener, Properties extra) throws SampleFailure {
        return start(name, role, creds, address, ports, listener, extra, null);
    }

    /**
     * {@link #start(String, Role, Credentials, String, Map, SipListener, Properties)} with a
     * trace of every DTLS record of the DTLS-UDP listening point ({@code --trace}; {@code null}: none).
     */
    public static SampleStack start(String name, Role role, Credentials creds, String address,
            Map<Transport, Integer> ports, SipListener listener, Properties extra, MessageTrace trace) throws SampleFailure {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new SampleFailure("bad address '" + address + "': unknown host");
        }
        boolean tls = ports.containsKey(Transport.TLS);
        boolean dtls = ports.containsKey(Transport.DTLS_UDP);
        if (role == Role.CLIENT && (tls || dtls) && !creds.checksPeer()) {
            throw new SampleFailure("a " + (dtls ? "dtls-udp" : "tls")
                    + " client must check the server: give --trust PEM or --fingerprint SHA256HEX");
        }
        Properties p = properties(name, role, creds, tls, dtls);
        p.putAll(extra);
        Map<Transport, Integer> resolved = new EnumMap<>(Transport.class);
        for (Map.Entry<Transport, Integer> e : ports.entrySet()) {
            resolved.put(e.getKey(), checkPort(bind, e.getKey(), e.getValue()));
        }
        DtlsSipStack stack;
        try {
            stack = new DtlsSipStack(p);
        } catch (PeerUnavailableException e) {
            throw new SampleFailure("cannot create the SIP stack: " + SampleFailure.rootMessage(e), e);
        }
        stack.setMessageTrace(trace);
        try {
            SipProvider provider = null;
            SampleStack s = null;
            for (Map.Entry<Transport, Integer> e : resolved.entrySet()) {
                ListeningPoint lp;
                try {
                    lp = stack.createListeningPoint(bind.getHostAddress(), e.getValue(), e.getKey().sipName());
                } catch (Exception ex) {
                    throw new SampleFailure("cannot listen on " + e.getKey().uriParam() + " "
                            + org.dtlsip.dtls.util.Addresses.format(new InetSocketAddress(bind, e.getValue())) + ": " + SampleFailure.rootMessage(ex), ex);
                }
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                    provider.addSipListener(listener);
                    s = new SampleStack(stack, provider, bind.getHostAddress());
                } else {
                    provider.addListeningPoint(lp);
                }
                s.points.put(e.getKey(), lp);
            }
            if (s == null) {
                throw new SampleFailure("no transport to listen on");
            }
            return s;
        } catch (SampleFailure e) {
            stack.stop();
            throw e;
        } catch (Exception e) {
            stack.stop();
            throw new SampleFailure("cannot start the SIP stack: " + SampleFailure.rootMessage(e), e);
        }
    }

    /**
     * The stack's properties. Our certificate goes in only for the transports that use it: the
     * PEM files for DTLS-UDP, the key stores for TLS (the RI builds a TLS context from them at
     * start-up, listening on TLS or not).
     */
    static Properties properties(String name, Role role, Credentials creds, boolean tls, boolean dtls)
            throws SampleFailure {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name + "-" + STACKS.incrementAndGet());
        // Calls are independent: let the RI deliver events for different calls concurrently.
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "16");
        // The RI logs every message at DEBUG; the samples print their own lines.
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");
        if (dtls) {
            p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, creds.certificatePem().toString());
            p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, creds.privateKeyPem().toString());
        }
        if (!creds.pins().isEmpty()) {
            p.setProperty(DtlsSipProperties.PEER_FINGERPRINTS, String.join(",", creds.pins()));
            p.setProperty(PinnedTrustManager.PINS, String.join(",", creds.pins()));
        }
        // TCP and TLS with Nagle off, as a SIP stack should run them (NoDelayNetworkLayer says why).
        p.setProperty(NoDelayNetworkLayer.PROPERTY, NoDelayNetworkLayer.class.getName());
        // The RI builds its TLS context from key stores (NoDelayNetworkLayer here, SslNetworkLayer
        // in the RI). DTLS-UDP reads --trust from the trust store, and with neither pins nor
        // --trust (a UAS that asks for no client certificate) it wants some trust anchor: the key
        // store, as the RI does for TLS.
        if (tls || dtls && creds.pins().isEmpty() && creds.trusted().isEmpty()) {
            p.setProperty("javax.net.ssl.keyStore", creds.keyStore().toString());
            p.setProperty("javax.net.ssl.keyStorePassword", creds.storePassword());
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
        }
        if ((tls || dtls) && creds.trustStore() != null) {
            p.setProperty("javax.net.ssl.trustStore", creds.trustStore().toString());
            p.setProperty("javax.net.ssl.trustStorePassword", creds.storePassword());
            p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        }
        String clientAuth = role == Role.SERVER && creds.checksPeer() ? "Enabled" : "Disabled";
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", clientAuth);
        // The RI enables a few old RSA and anonymous TLS suites unless told otherwise; compare
        // like with like: TLS 1.2 with the ECDHE suites our DTLS offers.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.2");
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", TLS_SUITES));
        return p;
    }

    /**
     * Port 0 means a free one (the RI cannot bind port 0 for UDP, TCP or TLS); a given port is
     * tried first so that "in use" is reported as such rather than as the RI's wrapped error.
     */
    private static int checkPort(InetAddress bind, Transport t, int port) throws SampleFailure {
        if (port < 0 || port > 65535) {
            throw new SampleFailure("bad port " + port + " for " + t.uriParam());
        }
        try {
            if (t.datagram()) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(bind, port))) {
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(bind, port));
                return s.getLocalPort();
            }
        } catch (IOException e) {
            String why = SampleFailure.rootMessage(e);
            if (why.toLowerCase().contains("in use")) {
                why = "port in use";
            }
            throw new SampleFailure("cannot listen on " + t.uriParam() + " " + org.dtlsip.dtls.util.Addresses.format(new InetSocketAddress(bind, port))
                    + ": " + why, e);
        }
    }

    public SipProvider provider() {
        return provider;
    }

    public DtlsSipStack stack() {
        return stack;
    }

    public String address() {
        return address;
    }

    public Map<Transport, ListeningPoint> listeningPoints() {
        return points;
    }

    public int port(Transport t) {
        ListeningPoint lp = points.get(t);
        return lp == null ? -1 : lp.getPort();
    }

    /**
     * The {@code transport} parameter of our URIs on {@code t}: for dtls-udp the token the stack
     * writes ({@link DtlsSipProperties#TRANSPORT_TOKEN}, {@code dtls-udp} or {@code dtls}).
     */
    public String uriTransport(Transport t) {
        return t == Transport.DTLS_UDP && dtls() != null ? dtls().uriTransport() : t.uriParam();
    }

    /** The DTLS-UDP listening point, or {@code null}. */
    public DtlsListeningPoint dtls() {
        return (DtlsListeningPoint) points.get(Transport.DTLS_UDP);
    }

    @Override
    public void close() {
        stack.stop();
    }

    /**
     * {@link #close()} for a process that exits next: stops listening (a DTLS-UDP listening point
     * sends its peers close_notify, as in {@link #close()}) and leaves the rest to the exit. The
     * RI's stop then sleeps a second ({@code SIPTransactionStack.stopStack}: "let the processing
     * complete") for threads that the exit ends anyway.
     */
    public void closeForExit() {
        for (ListeningPoint lp : points.values()) {
            try {
                ((gov.nist.javax.sip.ListeningPointImpl) lp).getMessageProcessor().stop();
            } catch (RuntimeException e) {
                // the RI's UDP processor fails to stop if it never started; the exit closes its socket
            }
        }
    }
}
