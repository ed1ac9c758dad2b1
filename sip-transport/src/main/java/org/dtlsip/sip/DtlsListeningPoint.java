package org.dtlsip.sip;

import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.SipStackImpl;

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
}
