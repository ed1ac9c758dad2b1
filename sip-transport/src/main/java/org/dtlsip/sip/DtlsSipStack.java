package org.dtlsip.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.message.SIPRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipProvider;
import javax.sip.TransportNotSupportedException;
import javax.sip.address.Hop;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.sip.logging.Slf4jServerLogger;
import org.dtlsip.sip.logging.Slf4jStackLogger;

/**
 * A JAIN-SIP RI stack that also offers transport {@code DTLS-UDP}. Create it directly with
 * {@code new DtlsSipStack(properties)} (not through {@code SipFactory}, whose path-name
 * mechanism would also swap the message, header and address factories); everything else is
 * the RI's. Every other transport is left to the RI.
 *
 * <p>The RI checks transports against a fixed list before any message processor factory is
 * consulted (SipStackImpl.createListeningPoint), hence a subclass. Defaults it adds unless the
 * properties say otherwise: SLF4J stack and server loggers, and {@link DtlsRouter}.
 */
public class DtlsSipStack extends SipStackImpl {
    private static final String STACK_LOGGER = "gov.nist.javax.sip.STACK_LOGGER";
    private static final String SERVER_LOGGER = "gov.nist.javax.sip.SERVER_LOGGER";
    private static final String ROUTER_PATH = "javax.sip.ROUTER_PATH";
    private static final String OUTBOUND_PROXY = "javax.sip.OUTBOUND_PROXY";

    /** See {@link #setMessageTrace}; {@code null}: none. */
    private volatile MessageTrace messageTrace;

    public DtlsSipStack(Properties properties) throws PeerUnavailableException {
        super(withDefaults(properties));
    }

    /**
     * Reports every DTLS record and handshake message of the DTLS-UDP listening points created
     * from now on to {@code trace} (see {@link MessageTrace}), e.g. to print them with the SIP
     * messages; {@code null} turns it off for later listening points. A trace is an object, not
     * a property, so it is set here rather than in the stack's properties.
     */
    public void setMessageTrace(MessageTrace trace) {
        this.messageTrace = trace;
    }

    /** The caller's properties plus our defaults; the caller's object is not modified. */
    static Properties withDefaults(Properties given) {
        Properties p = new Properties();
        p.putAll(given);
        p.putIfAbsent(STACK_LOGGER, Slf4jStackLogger.class.getName());
        p.putIfAbsent(SERVER_LOGGER, Slf4jServerLogger.class.getName());
        p.putIfAbsent(ROUTER_PATH, DtlsRouter.class.getName());
        String proxy = p.getProperty(OUTBOUND_PROXY);
        if (proxy != null) {
            p.setProperty(OUTBOUND_PROXY, withDtlsProxyPort(proxy));
        }
        return p;
    }

    /**
     * "host/DTLS-UDP" means port 5060 to the RI (HopImpl); for DTLS-UDP the default is 5061.
     * IPv6 references ("[::1]/DTLS-UDP") are handled by looking past the closing bracket.
     */
    static String withDtlsProxyPort(String proxy) {
        int slash = proxy.lastIndexOf('/');
        if (slash < 0 || !DtlsUdp.is(proxy.substring(slash + 1).trim())) {
            return proxy;
        }
        String hostPort = proxy.substring(0, slash);
        int close = hostPort.lastIndexOf(']');
        if (hostPort.indexOf(':', close + 1) >= 0) {
            return proxy;
        }
        return hostPort + ":" + DtlsUdp.DEFAULT_PORT + proxy.substring(slash);
    }

    @Override
    public ListeningPoint createListeningPoint(String address, int port, String transport)
            throws TransportNotSupportedException, InvalidArgumentException {
        if (transport == null || !DtlsUdp.is(transport)) {
            return super.createListeningPoint(address, port, transport);
        }
        return createDtlsListeningPoint(address, port);
    }

    /**
     * As the RI does for its own transports, except that port 0 binds a free port (the
     * listening point reports the real one).
     */
    private synchronized ListeningPoint createDtlsListeningPoint(String address, int port) throws InvalidArgumentException {
        if (address == null) {
            throw new NullPointerException("Address for listening point is null!");
        }
        if (port < 0) {
            throw new InvalidArgumentException("bad port " + port);
        }
        if (!isAlive()) {
            // SipStackImpl.reInitialize is private: a stopped stack cannot be revived from here.
            throw new InvalidArgumentException("the stack is stopped; create a new DtlsSipStack");
        }
        if (port != 0) {
            ListeningPointImpl existing = listeningPoints.get(ListeningPointImpl.makeKey(address, port, DtlsUdp.TRANSPORT));
            if (existing != null) {
                return existing;
            }
        }
        try {
            DtlsSipProperties settings = DtlsSipProperties.from(getConfigurationProperties(), getClientAuth());
            MessageTrace trace = messageTrace;
            if (trace != null) {
                settings = settings.withMessageTrace(trace);
            }
            DtlsMessageProcessor processor = DtlsMessageProcessor.bind(InetAddress.getByName(address), port, this, settings);
            DtlsListeningPoint lp = new DtlsListeningPoint(this, processor);
            processor.setListeningPoint(lp);
            addMessageProcessor(processor);
            listeningPoints.put(ListeningPointImpl.makeKey(address, processor.getPort(), DtlsUdp.TRANSPORT), lp);
            processor.start();
            return lp;
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot create a DTLS-UDP listening point on " + address + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** As the RI's, with a provider that knows every name of the DTLS transport ({@link DtlsSipProvider}). */
    @Override
    public SipProvider createSipProvider(ListeningPoint listeningPoint) throws ObjectInUseException {
        if (listeningPoint == null) {
            throw new NullPointerException("null listeningPoint");
        }
        ListeningPointImpl lp = (ListeningPointImpl) listeningPoint;
        if (lp.getProvider() != null) {
            throw new ObjectInUseException("Provider already attached!");
        }
        DtlsSipProvider provider = new DtlsSipProvider(this);
        provider.setListeningPoint(lp);
        sipProviders.add(provider);
        return provider;
    }

    /**
     * As the RI's, for a hop whose transport may be any name of DTLS: the RI builds hops from
     * the Via of a request to answer it (RFC 3261 18.2.2), and a Via may say {@code DTLS}.
     */
    @Override
    public MessageChannel createRawMessageChannel(String sourceIpAddress, int sourcePort, Hop nextHop)
            throws UnknownHostException {
        return super.createRawMessageChannel(sourceIpAddress, sourcePort, DtlsRouter.canonical(nextHop));
    }

    @Override
    public SIPClientTransaction createClientTransaction(SIPRequest request, MessageChannel channel) {
        SIPClientTransaction ct = new DtlsClientTransaction(this, channel);
        ct.setOriginalRequest(request);
        return ct;
    }

    @Override
    public SIPServerTransaction createServerTransaction(MessageChannel channel) {
        // Keep the RI's load shedding between the table's low and high water marks.
        if (!unlimitedServerTransactionTableSize) {
            float threshold = ((float) (serverTransactionTable.size() - serverTransactionTableLowaterMark))
                    / ((float) (serverTransactionTableHighwaterMark - serverTransactionTableLowaterMark));
            if (Math.random() > 1.0 - threshold) {
                return null;
            }
        }
        return new DtlsServerTransaction(this, channel);
    }
}
