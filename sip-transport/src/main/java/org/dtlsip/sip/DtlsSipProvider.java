package org.dtlsip.sip;

import gov.nist.javax.sip.SipProviderImpl;
import gov.nist.javax.sip.SipStackImpl;
import javax.sip.ListeningPoint;

/**
 * The RI's provider, except that every name of the DTLS transport ({@link DtlsUdp#is}) finds
 * the DTLS-UDP listening point. The RI looks listening points up by the transport it reads in
 * a Via or a URI: to answer a request whose Via says {@code SIP/2.0/DTLS}
 * (SIPServerTransactionImpl.sendResponse), to build an in-dialog request or ACK towards a
 * {@code transport=dtls} Contact (SIPDialog.createRequest, createAck).
 */
final class DtlsSipProvider extends SipProviderImpl {
    DtlsSipProvider(SipStackImpl stack) {
        super(stack);
    }

    @Override
    public ListeningPoint getListeningPoint(String transport) {
        return super.getListeningPoint(transport != null && DtlsUdp.is(transport) ? DtlsUdp.TRANSPORT : transport);
    }
}
