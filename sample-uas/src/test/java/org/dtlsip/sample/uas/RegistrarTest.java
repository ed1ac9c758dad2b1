package org.dtlsip.sample.uas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.address.URI;
import org.junit.jupiter.api.Test;

class RegistrarTest {
    private final AtomicLong now = new AtomicLong(5_000_000);
    private final Registrar registrar = new Registrar(now::get);
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();

    private URI uri(String s) throws Exception {
        return addresses.createURI(s);
    }

    @Test
    void bindThenExpire() throws Exception {
        assertFalse(registrar.isRegistered("alice"));
        assertTrue(registrar.update("alice", uri("sip:alice@127.0.0.1:40000;transport=dtls-udp"), 60));
        assertTrue(registrar.isRegistered("alice"));
        assertEquals(60, registrar.bindings("alice").get(0).secondsLeft(now.get()));
        now.addAndGet(59_999);
        assertTrue(registrar.isRegistered("alice"));
        now.addAndGet(1);
        assertFalse(registrar.isRegistered("alice"), "gone at its expiry");
    }

    @Test
    void refreshReplacesTheSameContactComparedAsAUri() throws Exception {
        registrar.update("alice", uri("sip:alice@127.0.0.1:40000;transport=dtls-udp"), 60);
        now.addAndGet(50_000);
        // Same URI under RFC 3261 19.1.4 (parameter case, host case).
        registrar.update("alice", uri("sip:alice@127.0.0.1:40000;TRANSPORT=DTLS-UDP"), 60);
        assertEquals(1, registrar.bindings("alice").size());
        assertEquals(60, registrar.bindings("alice").get(0).secondsLeft(now.get()));
        registrar.update("alice", uri("sip:alice@127.0.0.1:40002;transport=dtls-udp"), 30);
        assertEquals(2, registrar.bindings("alice").size(), "another device");
    }

    @Test
    void expiresZeroRemovesOneAndWildcardRemovesAll() throws Exception {
        registrar.update("alice", uri("sip:alice@127.0.0.1:40000"), 60);
        registrar.update("alice", uri("sip:alice@127.0.0.1:40002"), 60);
        registrar.update("alice", uri("sip:alice@127.0.0.1:40000"), 0);
        assertEquals(1, registrar.bindings("alice").size());
        registrar.removeAll("alice");
        assertFalse(registrar.isRegistered("alice"));
    }

    @Test
    void expiresIsCappedAndBindingsAreBounded() throws Exception {
        registrar.update("bob", uri("sip:bob@127.0.0.1:1"), 86_400);
        assertEquals(Registrar.MAX_EXPIRES_SECONDS, registrar.bindings("bob").get(0).secondsLeft(now.get()));
        for (int i = 2; i <= Registrar.MAX_BINDINGS_PER_AOR; i++) {
            assertTrue(registrar.update("bob", uri("sip:bob@127.0.0.1:" + i), 60));
        }
        assertFalse(registrar.update("bob", uri("sip:bob@127.0.0.1:9999"), 60), "one too many");
        assertTrue(registrar.update("bob", uri("sip:bob@127.0.0.1:1"), 60), "a refresh is not a new binding");
    }
}
