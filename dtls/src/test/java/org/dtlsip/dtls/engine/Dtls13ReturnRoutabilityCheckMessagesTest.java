package org.dtlsip.dtls.engine;

import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * Every case of {@link ReturnRoutabilityCheckMessagesTest} with both engines speaking DTLS 1.3:
 * rrc agreed in the ServerHello (RFC 9853 3) and return_routability_check records under the
 * application keys with the receiver's connection ID (RFC 9147 9).
 */
class Dtls13ReturnRoutabilityCheckMessagesTest extends ReturnRoutabilityCheckMessagesTest {
    @Override
    int protocol() {
        return ProtocolVersion.DTLS_1_3;
    }

    @Override
    DropReason plaintextRrcDropReason() {
        return DropReason.MALFORMED_RECORD;
    }
}
