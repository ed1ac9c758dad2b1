package org.dtlsip.sip;

import java.net.InetSocketAddress;
import org.dtlsip.dtls.engine.DtlsSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application's {@link DtlsMessageProcessor.AssociationListener} whose exceptions stop at
 * the call: a listener that fails for one peer must neither leave that peer's messages queued
 * nor disturb what the processor does for any other peer. What it throws is logged with the
 * peer and otherwise ignored, as the RI ignores what a SipListener throws.
 */
final class GuardedAssociationListener implements DtlsMessageProcessor.AssociationListener {
    private static final Logger log = LoggerFactory.getLogger(GuardedAssociationListener.class);
    private final DtlsMessageProcessor.AssociationListener delegate;

    GuardedAssociationListener(DtlsMessageProcessor.AssociationListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void handshakeStarted(InetSocketAddress peer) {
        try {
            delegate.handshakeStarted(peer);
        } catch (RuntimeException e) {
            ignored("handshakeStarted", peer, e);
        }
    }

    @Override
    public void established(InetSocketAddress peer, DtlsSession session, boolean client) {
        try {
            delegate.established(peer, session, client);
        } catch (RuntimeException e) {
            ignored("established", peer, e);
        }
    }

    @Override
    public void failed(InetSocketAddress peer, String reason) {
        try {
            delegate.failed(peer, reason);
        } catch (RuntimeException e) {
            ignored("failed", peer, e);
        }
    }

    private void ignored(String callback, InetSocketAddress peer, RuntimeException e) {
        log.warn("association listener {}.{} threw for DTLS peer {}; ignored", delegate.getClass().getName(), callback, peer, e);
    }
}
