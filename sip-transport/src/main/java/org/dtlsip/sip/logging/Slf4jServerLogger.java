package org.dtlsip.sip.logging;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RI's message logger on SLF4J: each SIP message sent or received at DEBUG on logger
 * {@code gov.nist.javax.sip.messages}, instead of the RI's own log file. Install with
 * {@code gov.nist.javax.sip.SERVER_LOGGER}; {@link org.dtlsip.sip.DtlsSipStack} does by default.
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip.messages");
    private volatile String stackName = "?";

    public Slf4jServerLogger() {
    }

    @Override
    public void closeLogFile() {
        // nothing to close: SLF4J owns the output
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        logMessage(message, from, to, null, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        logMessage(message, from, to, status, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        if (log.isDebugEnabled()) {
            log.debug("[{}] {} {} -> {}{}\n{}", stackName, sender ? "sent" : "received", from, to,
                    status == null ? "" : " (" + status + ")", message);
        }
    }

    @Override
    public void logException(Exception ex) {
        log.warn("[{}] SIP stack exception", stackName, ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        String name = stackProperties.getProperty("javax.sip.STACK_NAME");
        if (name != null) {
            stackName = name;
        }
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // the stack name from the properties is all we print
    }
}
