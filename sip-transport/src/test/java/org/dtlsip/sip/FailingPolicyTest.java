package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.IOExceptionEvent;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 item 12: a TLS security policy that throws something other than SecurityException
 * fails that link cleanly (an error event naming the policy and the exception), and the next
 * message to the same peer opens a new association and asks the policy again.
 */
@Timeout(60)
class FailingPolicyTest {
    @Test
    void aPolicyThatThrowsFailsTheLinkAndTheNextMessageRetries() throws Exception {
        FailingPolicy.failures.set(1);
        FailingPolicy.calls.set(0);
        Properties p = new Properties();
        p.setProperty("gov.nist.javax.sip.TLS_SECURITY_POLICY", FailingPolicy.class.getName());
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob")) {
            ClientTransaction first = alice.send(alice.request(Request.OPTIONS, bob));
            assertThrows(ExecutionException.class, () -> alice.awaitFinal(first));
            IOExceptionEvent event = alice.ioExceptions.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(event, "the transaction ends with an error event, not a timeout");
            String why = ((DtlsIOExceptionEvent) event).getMessage();
            assertTrue(why.startsWith("TLS security policy " + FailingPolicy.class.getName() + " failed on DTLS peer 127.0.0.1:"
                    + bob.port() + " with java.lang.IllegalStateException: " + FailingPolicy.BUG), why);
            assertEquals(0, bob.requests.size(), "nothing reached bob");

            ClientTransaction second = alice.send(alice.request(Request.OPTIONS, bob));
            assertEquals(200, alice.awaitFinal(second).getStatusCode(), "a later message retries over a new association");
            assertEquals(2, FailingPolicy.calls.get(), "the policy ran again for the new association");
            assertEquals(2, alice.processor().handshakesCompleted());
        }
    }
}
