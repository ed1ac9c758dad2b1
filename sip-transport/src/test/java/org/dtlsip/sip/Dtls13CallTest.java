package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.ServerTransactionExt;
import gov.nist.javax.sip.stack.ClientAuthType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIP over DTLS 1.3 (RFC 9147): {@link DtlsSipProperties#PROTOCOLS} chooses the versions a
 * listening point speaks; two stacks that both allow 1.3 place a call INVITE/200/ACK/BYE over
 * it, and a stack allowing 1.3 and 1.2 still calls a 1.2-only one (RFC 8446 4.2.1).
 */
@Timeout(60)
class Dtls13CallTest {

    private static Properties protocols(String value) {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.PROTOCOLS, value);
        return p;
    }

    /** Each completed handshake's session, as the transport reports it. */
    private static BlockingQueue<DtlsSession> sessions(SipPeer peer) {
        BlockingQueue<DtlsSession> q = new LinkedBlockingQueue<>();
        peer.processor().setAssociationListener(new DtlsMessageProcessor.AssociationListener() {
            @Override
            public void established(InetSocketAddress from, DtlsSession session, boolean client) {
                q.add(session);
            }
        });
        return q;
    }

    /** INVITE (with SDP), 100/180/200, ACK, BYE/200; returns the INVITE's client transaction. */
    private static ClientTransactionExt callAndHangUp(SipPeer caller, SipPeer callee) throws Exception {
        Request invite = caller.request(Request.INVITE, callee);
        invite.setContent(SipPeer.SDP, caller.headers.createContentTypeHeader("application", "sdp"));
        ClientTransactionExt ct = caller.send(invite);
        Response ok = caller.awaitFinal(ct);
        assertEquals(200, ok.getStatusCode());
        callee.awaitRequest(Request.INVITE);
        Dialog dialog = ct.getDialog();
        dialog.sendAck(dialog.createAck(((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber()));
        callee.awaitRequest(Request.ACK);
        caller.hangUp(dialog);
        callee.awaitRequest(Request.BYE);
        assertTrue(caller.ioExceptions.isEmpty() && caller.timeouts.isEmpty(), "no transport errors");
        return ct;
    }

    @Test
    void callOverDtls13() throws Exception {
        try (SipPeer alice = new SipPeer("alice", protocols("DTLSv1.3,DTLSv1.2"));
             SipPeer bob = new SipPeer("bob", protocols("DTLSv1.2, DTLSv1.3"))) {
            BlockingQueue<DtlsSession> atAlice = sessions(alice);
            BlockingQueue<DtlsSession> atBob = sessions(bob);
            bob.requests.clear();
            ClientTransactionExt ct = callAndHangUp(alice, bob);

            DtlsSession client = atAlice.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            DtlsSession server = atBob.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals("DTLSv1.3", client.protocol());
            assertEquals("DTLSv1.3", server.protocol());
            // getCipherSuite() names the 1.3 suite (RFC 8446 B.4), as JSSE does for TLS 1.3.
            assertTrue(ct.getCipherSuite().matches("TLS_(AES|CHACHA20)_\\w+"), ct.getCipherSuite());
            assertEquals(client.ianaCipherSuiteName(), ct.getCipherSuite());
            assertTrue(ct.getPeerCertificates().length > 0, "bob's certificate through a 1.3 handshake");
            assertEquals(1, alice.processor().handshakesCompleted(), "one association carried the whole call");

            // bob's answer on the same association: a new request back the other way.
            ClientTransactionExt back = bob.send(bob.request(Request.OPTIONS, alice));
            assertEquals(200, bob.awaitFinal(back).getStatusCode());
            assertEquals(ct.getCipherSuite(), back.getCipherSuite());
            ServerTransactionExt st = (ServerTransactionExt) alice.awaitRequest(Request.OPTIONS).getServerTransaction();
            assertEquals(ct.getCipherSuite(), st.getCipherSuite());
            assertTrue(st.getPeerCertificates().length > 0, "the client's certificate reached the server in 1.3");
        }
    }

    @Test
    void dtls13StackCallsADtls12OnlyStackOver12() throws Exception {
        try (SipPeer alice = new SipPeer("alice", protocols("DTLSv1.3,DTLSv1.2"));
             SipPeer bob = new SipPeer("bob", protocols("DTLSv1.2"))) {
            BlockingQueue<DtlsSession> atAlice = sessions(alice);
            ClientTransactionExt ct = callAndHangUp(alice, bob);
            assertEquals("DTLSv1.2", atAlice.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS).protocol());
            assertTrue(ct.getCipherSuite().startsWith("TLS_ECDHE_"), ct.getCipherSuite());
        }
    }

    /**
     * {@link DtlsSipProperties#MAX_MESSAGE_SIZE} over DTLS 1.3: a 6 kB INVITE leaves as one
     * IP-fragmented record, as over 1.2 (RFC 9147 4.4 leaves records above the PMTU to the
     * application, as RFC 6347 4.1.1 did).
     */
    @Test
    void largeInviteGoesAsOneRecordOverDtls13WhenAllowed() throws Exception {
        Properties p = protocols("DTLSv1.3");
        p.setProperty(DtlsSipProperties.MAX_MESSAGE_SIZE, "16384");
        String sdp = LargeMessageTest.sdp6k();
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob", p)) {
            BlockingQueue<DtlsSession> atAlice = sessions(alice);
            Request invite = alice.request(Request.INVITE, bob);
            invite.setContent(sdp, alice.headers.createContentTypeHeader("application", "sdp"));
            bob.requests.clear();
            Dialog d = alice.call(invite);
            assertEquals(sdp, new String(bob.awaitRequest(Request.INVITE).getRequest().getRawContent(),
                    java.nio.charset.StandardCharsets.UTF_8), "the offer arrived whole");
            alice.hangUp(d);
            assertEquals("DTLSv1.3", atAlice.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS).protocol());
            assertTrue(alice.ioExceptions.isEmpty() && bob.ioExceptions.isEmpty(), "no transport errors");
        }
    }

    @Test
    void protocolsPropertyIsReadAndCheckedWithItsName() throws Exception {
        Path[] cert = TestPki.get().issue("conf13");
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, cert[0].toString());
        p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, cert[1].toString());
        p.setProperty(DtlsSipProperties.PEER_FINGERPRINTS, "00".repeat(32));
        p.setProperty(DtlsSipProperties.PROTOCOLS, "DTLSv1.2:DTLSv1.3");
        assertEquals(List.of(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2),
                DtlsSipProperties.from(p, ClientAuthType.Enabled).dtlsConfig().protocolVersions());
        p.setProperty(DtlsSipProperties.PROTOCOLS, "DTLSv1.3");
        assertEquals(List.of(ProtocolVersion.DTLS_1_3),
                DtlsSipProperties.from(p, ClientAuthType.Enabled).dtlsConfig().protocolVersions());
        p.setProperty(DtlsSipProperties.PROTOCOLS, "DTLSv1.3,TLSv1.3");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> DtlsSipProperties.from(p, ClientAuthType.Enabled));
        assertTrue(e.getMessage().contains(DtlsSipProperties.PROTOCOLS) && e.getMessage().contains("TLSv1.3")
                && e.getMessage().contains("DTLSv1.2 or DTLSv1.3"), e.getMessage());
        assertArrayEquals(new int[] {ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2},
                DtlsSipProperties.protocols(" DTLSv1.3 , DTLSv1.2 "));
    }
}
