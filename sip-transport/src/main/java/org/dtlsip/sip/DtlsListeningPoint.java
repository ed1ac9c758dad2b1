package org.dtlsip.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;
import java.text.ParseException;
import java.util.Locale;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;

/** A JAIN-SIP listening point for transport {@code DTLS-UDP}, backed by a {@link DtlsMessageProcessor}. */
public final class DtlsListeningPoint extends ListeningPointImpl {
    DtlsListeningPoint(SipStackImpl stack, DtlsMessageProcessor processor) {
        super(stack, processor.getPort(), DtlsUdp.TRANSPORT);
        this.messageProcessor = processor;
    }

    /** The processor, for its counters (handshakes, associations, dropped datagrams). */
    public DtlsMessageProcessor dtlsProcessor() {
        return (DtlsMessageProcessor) messageProcessor;
    }

    /**
     * The value to put in the {@code transport} parameter of URIs that lead here (Contact,
     * Record-Route, Path): {@link DtlsSipProperties#TRANSPORT_TOKEN} in lower case
     * (RFC 3261 19.1.1 writes URI parameters in lower case).
     */
    public String uriTransport() {
        return dtlsProcessor().transportToken().toLowerCase(Locale.ROOT);
    }

    /** The RI's Contact (our address and port) with {@link #uriTransport()}. */
    @Override
    public ContactHeader createContactHeader() {
        ContactHeader contact = super.createContactHeader();
        try {
            ((SipURI) contact.getAddress().getURI()).setTransportParam(uriTransport());
        } catch (ParseException e) {
            throw new IllegalStateException("transport parameter " + uriTransport() + " refused", e);
        }
        return contact;
    }
}
