package org.dtlsip.sip;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS security policy (loaded by class name) that fails, the way buggy code does, with an
 * exception other than SecurityException the first {@link #failures} times it runs, then accepts.
 */
public final class FailingPolicy implements TlsSecurityPolicy {
    static final AtomicInteger failures = new AtomicInteger();
    static final AtomicInteger calls = new AtomicInteger();
    static final String BUG = "policy bug: no peer certificate cache";

    public FailingPolicy() {
    }

    @Override
    public void enforceTlsPolicy(ClientTransactionExt transaction) {
        calls.incrementAndGet();
        if (failures.getAndDecrement() > 0) {
            throw new IllegalStateException(BUG);
        }
    }
}
