package org.dtlsip.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.RawMessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.ServerRequestInterface;
import gov.nist.javax.sip.stack.ServerResponseInterface;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's view of one DTLS peer: what the RI calls a message channel. It owns nothing;
 * the association lives in the processor, keyed by the peer's address, so every channel to
 * the same peer (one per transaction, one per incoming message) shares one association.
 *
 * <p>Unreliable like UDP, so the RI runs Timers A, E and G (RFC 3261 17.1.1.2, 17.1.2.2,
 * 17.2.1); secure like TLS.
 *
 * <p>{@link #getTransport()} is the token this channel writes into the top Via of what it
 * encodes (the RI encodes every message with its channel's transport). A channel we open uses
 * {@link DtlsSipProperties#TRANSPORT_TOKEN}; the channel of a received request uses the token
 * the request's Via has, so that every response and response retransmission the server
 * transaction encodes keeps that Via as it came (RFC 3261 8.2.6.2). Lookups by transport
 * (listening point, key, self-routing) use {@link DtlsUdp#TRANSPORT} whatever the token.
 */
public final class DtlsMessageChannel extends MessageChannel implements RawMessageChannel, ParseExceptionListener {
    private static final Logger log = LoggerFactory.getLogger(DtlsMessageChannel.class);

    private final DtlsMessageProcessor processor;
    private final InetSocketAddress peer;
    /** The host the stack is trying to reach (RFC 5922 7.3), or {@code null} for a channel made for incoming data. */
    private final String domain;
    private final String token;

    /**
     * @param domain the host the stack is trying to reach, or {@code null} for incoming data
     * @param token {@code DTLS-UDP} or {@code DTLS} (upper case): see {@link #getTransport()}
     */
    DtlsMessageChannel(DtlsMessageProcessor processor, InetSocketAddress peer, String domain, String token) {
        this.processor = processor;
        this.peer = peer;
        this.domain = domain;
        this.token = token;
        super.messageProcessor = processor;
    }

    /** The DTLS session with this channel's peer, or {@code null} before the handshake. */
    public DtlsSession session() {
        return processor.session(peer);
    }

    public InetSocketAddress peer() {
        return peer;
    }

    // ---------------------------------------------------------------- receiving

    /** One decrypted record: one SIP message (RFC 3261 18.3 framing as for UDP). */
    void processIncoming(byte[] data) {
        SIPTransactionStack stack = processor.getSIPStack();
        long receptionTime = System.currentTimeMillis();
        SIPMessage message;
        try {
            message = stack.getMessageParserFactory().createMessageParser(stack).parseSIPMessage(data, true, false, this);
        } catch (ParseException e) {
            log.debug("unparsable SIP message from {} dropped: {}", peer, e.getMessage());
            answerBadRequest(data, e);
            return;
        }
        if (message == null) {
            // CRLF keep-alive (RFC 5626 4.4.1) or padding: nothing to do.
            return;
        }
        Via via = message.getTopmostVia();
        if (message.getFrom() == null || message.getTo() == null || message.getCallId() == null
                || message.getCSeq() == null || via == null) {
            log.debug("SIP message from {} without From, To, Call-ID, CSeq or Via dropped", peer);
            return;
        }
        DtlsMessageChannel channel = this;
        if (message instanceof SIPRequest request) {
            if (!markSource(request, via)) {
                return;
            }
            String viaToken = DtlsUdp.token(via.getTransport());
            if (viaToken == null) {
                refuseForeignVia(request, via);
                return;
            }
            if (!viaToken.equals(token)) {
                channel = new DtlsMessageChannel(processor, peer, domain, viaToken);
            }
        }
        if (stack.getServerLogger() != null && stackLogsMessages(stack)) {
            stack.getServerLogger().logMessage(message, peer.getAddress().getHostAddress() + ":" + peer.getPort(),
                    getHost() + ":" + getPort(), false, receptionTime);
        }
        try {
            channel.processMessage(message);
        } catch (RuntimeException e) {
            log.warn("processing a SIP message from {} failed", peer, e);
        }
    }

    /**
     * RFC 3261 18.2.1 and RFC 3581 4: record the packet source in the top Via. We set rport
     * even when the client did not ask for it: the association is bound to the source
     * address and port (RFC 6347 4.2.1), and a response sent anywhere else would need a new
     * handshake with an address that may not be listening.
     */
    private boolean markSource(SIPRequest request, Via via) {
        try {
            via.setParameter(Via.RECEIVED, peer.getAddress().getHostAddress());
            via.setParameter(Via.RPORT, Integer.toString(peer.getPort()));
            return true;
        } catch (ParseException e) {
            log.debug("cannot mark the Via of a request from {}: {}", peer, e.getMessage());
            return false;
        }
    }

    /**
     * RFC 3261 18.1.1: the top Via names the transport the request was sent over. One that came
     * over DTLS but names another would be answered over that other transport (18.2.2), which
     * the RI cannot do from this port: the request would go unanswered, with an exception in the
     * stack. It gets 400 here, over the association it came on, and goes no further.
     */
    private void refuseForeignVia(SIPRequest request, Via via) {
        log.debug("request from {} over DTLS with Via transport {} refused", peer, via.getTransport());
        if (request.getMethod().equals("ACK")) {
            return;
        }
        String reason = "Via transport " + via.getTransport() + " is not DTLS, the transport this request came over";
        SIPResponse refusal = request.createResponse(400, reason);
        try {
            processor.send(peer, refusal.encodeAsBytes(via.getTransport()), null);
        } catch (IOException e) {
            log.debug("400 to {} not sent: {}", peer, e.getMessage());
        }
    }

    private static boolean stackLogsMessages(SIPTransactionStack stack) {
        return stack.getStackLogger() != null && stack.getStackLogger().isLoggingEnabled(ServerLogger.TRACE_MESSAGES);
    }

    /** RFC 3261 21.4.1: a request that does not parse gets 400, if we can build one. */
    private void answerBadRequest(byte[] data, ParseException e) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (text.startsWith("SIP/") || text.startsWith("ACK ")) {
            return;
        }
        String response = createBadReqRes(text, e);
        if (response != null) {
            try {
                processor.send(peer, response.getBytes(StandardCharsets.UTF_8), null);
            } catch (IOException io) {
                log.debug("400 to {} not sent: {}", peer, io.getMessage());
            }
        }
    }

    /** Hands a parsed message to the transaction layer, as the RI's datagram transport does. */
    @Override
    public void processMessage(SIPMessage message) {
        SIPTransactionStack stack = processor.getSIPStack();
        message.setRemoteAddress(peer.getAddress());
        message.setRemotePort(peer.getPort());
        message.setLocalAddress(processor.getIpAddress());
        message.setLocalPort(processor.getPort());
        message.setPeerPacketSourceAddress(peer.getAddress());
        message.setPeerPacketSourcePort(peer.getPort());
        if (message instanceof SIPRequest request) {
            ServerRequestInterface handler = stack.newSIPServerRequest(request, this);
            if (handler == null) {
                log.debug("no handler for {} from {}; dropped", request.getFirstLine().trim(), peer);
                return;
            }
            try {
                handler.processRequest(request, this);
            } finally {
                releaseIfNotPassed(handler);
            }
        } else {
            SIPResponse response = (SIPResponse) message;
            try {
                response.checkHeaders();
            } catch (ParseException e) {
                log.debug("malformed response from {} dropped: {}", peer, e.getMessage());
                return;
            }
            ServerResponseInterface handler = stack.newSIPServerResponse(response, this);
            if (handler == null) {
                return;
            }
            try {
                if (handler instanceof SIPClientTransaction ct && !ct.checkFromTag(response)) {
                    log.debug("response from {} with a From tag not ours dropped", peer);
                    return;
                }
                handler.processResponse(response, this);
            } finally {
                releaseIfNotPassed(handler);
            }
        }
    }

    /** The RI's transaction semaphore is released here unless the event went to the listener. */
    private static void releaseIfNotPassed(Object handler) {
        if (handler instanceof SIPTransaction tx && !tx.passToListener()) {
            tx.releaseSem();
        }
    }

    @Override
    public void handleException(ParseException ex, SIPMessage message, @SuppressWarnings("rawtypes") Class headerClass,
            String header, String text) throws ParseException {
        // A broken header that identifies the message or transaction makes the message
        // useless (RFC 3261 8.1.1); any other broken header is kept unparsed.
        if (headerClass != null && (headerClass.equals(From.class) || headerClass.equals(To.class)
                || headerClass.equals(CSeq.class) || headerClass.equals(Via.class) || headerClass.equals(CallID.class)
                || headerClass.equals(ContentLength.class) || headerClass.equals(RequestLine.class)
                || headerClass.equals(StatusLine.class))) {
            throw ex;
        }
        message.addUnparsed(header);
    }

    // ---------------------------------------------------------------- sending

    @Override
    public void sendMessage(SIPMessage message) throws IOException {
        long time = System.currentTimeMillis();
        if (isOwnAddress()) {
            // Our own listening point: DTLS to ourselves cannot work on one port (the
            // ClientHello would meet our own client association); hand it over in-process.
            SIPMessage copy = (SIPMessage) message.clone();
            processor.getSIPStack().getSelfRoutingThreadpoolExecutor().execute(() -> processMessage(copy));
            return;
        }
        // The RI writes the channel's transport into the top Via of whatever it encodes. A
        // response's top Via is the request's and must stay as it came (RFC 3261 8.2.6.2),
        // whichever channel sends it.
        byte[] bytes = message instanceof SIPResponse response && response.getTopmostVia() != null
                ? response.encodeAsBytes(response.getTopmostVia().getTransport())
                : message.encodeAsBytes(getTransport());
        if (message instanceof SIPRequest) {
            processor.send(peer, bytes, getEncapsulatedClientTransaction(), domain);
        } else {
            processor.send(peer, bytes, null);
        }
        message.setRemoteAddress(peer.getAddress());
        message.setRemotePort(peer.getPort());
        message.setLocalAddress(processor.getIpAddress());
        message.setLocalPort(processor.getPort());
        logMessage(message, peer.getAddress(), peer.getPort(), time);
    }

    /**
     * The RI's byte-level send: {@code reconnect} is whether the message is a request (its
     * callers pass {@code message instanceof SIPRequest}; responses and their retransmissions
     * pass false). Only requests go to a SIP domain to check; a response goes back to
     * whoever sent the request, over the association it came on.
     */
    @Override
    protected void sendMessage(byte[] message, InetAddress address, int port, boolean reconnect) throws IOException {
        InetSocketAddress to = new InetSocketAddress(address, port);
        if (!reconnect) {
            processor.send(to, message, null);
            return;
        }
        processor.send(to, message, getEncapsulatedClientTransaction(), to.equals(peer) && domain != null ? domain : to.getHostString());
    }

    private boolean isOwnAddress() {
        return peer.getPort() == processor.getPort() && peer.getAddress().equals(processor.getIpAddress());
    }

    // ---------------------------------------------------------------- what the stack asks

    @Override
    public void close() {
        // Channels are views: associations close on idle timeout or when the stack stops.
    }

    @Override
    public SIPTransactionStack getSIPStack() {
        return processor.getSIPStack();
    }

    /** The Via token this channel writes (see the class comment); lookups use {@link DtlsUdp#TRANSPORT}. */
    @Override
    public String getTransport() {
        return token;
    }

    @Override
    public boolean isReliable() {
        return false;
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public String getPeerAddress() {
        return peer.getAddress().getHostAddress();
    }

    @Override
    protected InetAddress getPeerInetAddress() {
        return peer.getAddress();
    }

    @Override
    protected String getPeerProtocol() {
        return DtlsUdp.TRANSPORT;
    }

    @Override
    public int getPeerPort() {
        return peer.getPort();
    }

    @Override
    public int getPeerPacketSourcePort() {
        return peer.getPort();
    }

    @Override
    public InetAddress getPeerPacketSourceAddress() {
        return peer.getAddress();
    }

    @Override
    public String getKey() {
        return getKey(peer.getAddress(), peer.getPort(), DtlsUdp.TRANSPORT);
    }

    @Override
    public String getViaHost() {
        return processor.getIpAddress().getHostAddress();
    }

    @Override
    public int getViaPort() {
        return processor.getPort();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DtlsMessageChannel c && c.processor == processor && c.peer.equals(peer);
    }

    @Override
    public int hashCode() {
        return peer.hashCode();
    }

    @Override
    public String toString() {
        return "DTLS-UDP " + processor.getPort() + " <-> " + peer;
    }
}
