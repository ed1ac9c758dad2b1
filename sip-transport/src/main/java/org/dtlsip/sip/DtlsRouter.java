package org.dtlsip.sip;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.ListIterator;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/**
 * The RI's default router, except that a {@code transport=dtls-udp} URI without a port goes
 * to 5061 (draft-jennings-sip-dtls), not 5060: the RI only knows 5061 for TLS
 * (DefaultRouter.createHop); and that a hop to {@code transport=dtls} (reSIProcate's name) is
 * a DTLS-UDP hop. {@link DtlsSipStack} installs it unless {@code javax.sip.ROUTER_PATH} names
 * another router.
 */
public class DtlsRouter extends DefaultRouter {
    public DtlsRouter(SipStack sipStack, String defaultRoute) {
        super(sipStack, defaultRoute);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        return withDtlsDefaultPort(canonical(super.getNextHop(request)), request);
    }

    /**
     * The same hop with transport {@link DtlsUdp#TRANSPORT} if it names DTLS otherwise: the RI
     * finds message processors by comparing transport names.
     */
    static Hop canonical(Hop hop) {
        if (hop == null || !DtlsUdp.is(hop.getTransport()) || DtlsUdp.TRANSPORT.equals(hop.getTransport())) {
            return hop;
        }
        return new HopImpl(hop.getHost(), hop.getPort(), DtlsUdp.TRANSPORT);
    }

    /**
     * The hop came from the first Route if there is one, else from the Request-URI (RFC 3261
     * 16.12 / 8.1.2); if that URI names this host and no port, the 5060 the RI filled in is
     * ours to fix (an outbound proxy's explicit 5060 names another host, or the same URI with
     * a port).
     */
    private static Hop withDtlsDefaultPort(Hop hop, Request request) {
        if (hop == null || !DtlsUdp.is(hop.getTransport()) || hop.getPort() != 5060) {
            return hop;
        }
        URI target = request.getRequestURI();
        @SuppressWarnings("unchecked")
        ListIterator<RouteHeader> routes = request.getHeaders(RouteHeader.NAME);
        if (routes != null && routes.hasNext()) {
            target = routes.next().getAddress().getURI();
        }
        if (target instanceof SipURI sip && sip.getPort() == -1 && sip.getHost().equalsIgnoreCase(hop.getHost())) {
            return new HopImpl(hop.getHost(), DtlsUdp.DEFAULT_PORT, hop.getTransport());
        }
        return hop;
    }
}
