package org.dtlsip.sip.logging;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RI's stack logger on SLF4J, so that no log4j 1.x class is needed at run time (the RI's
 * default {@code LogWriter} and {@code CommonLogger}'s fallback are log4j 1.x). Install with
 * {@code gov.nist.javax.sip.STACK_LOGGER}; {@link org.dtlsip.sip.DtlsSipStack} does by default.
 * The RI's trace levels map onto SLF4J levels; which are on is decided by the SLF4J binding.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");
    private volatile boolean enabled = true;

    public Slf4jStackLogger() {
    }

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int traceLevel) {
        if (isLoggingEnabled(traceLevel)) {
            log.debug("stack trace", new Throwable("stack trace requested by the SIP stack"));
        }
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        log.error("SIP stack exception", ex);
    }

    @Override
    public void logDebug(String message) {
        log.debug(message);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log.debug(message, ex);
    }

    @Override
    public void logTrace(String message) {
        log.trace(message);
    }

    @Override
    public void logFatalError(String message) {
        log.error(message);
    }

    @Override
    public void logError(String message) {
        log.error(message);
    }

    @Override
    public boolean isLoggingEnabled() {
        return enabled && log.isErrorEnabled();
    }

    /** The RI asks before building expensive messages; answer from the SLF4J level. */
    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (!enabled) {
            return false;
        }
        if (logLevel >= TRACE_TRACE) {
            return log.isTraceEnabled();
        } else if (logLevel >= TRACE_DEBUG) {
            return log.isDebugEnabled();
        } else if (logLevel >= TRACE_INFO) {
            return log.isInfoEnabled();
        } else if (logLevel >= TRACE_WARN) {
            return log.isWarnEnabled();
        } else if (logLevel > TRACE_NONE) {
            return log.isErrorEnabled();
        }
        return false;
    }

    @Override
    public void logError(String message, Exception ex) {
        log.error(message, ex);
    }

    @Override
    public void logWarning(String string) {
        log.warn(string);
    }

    @Override
    public void logInfo(String string) {
        log.info(string);
    }

    @Override
    public void disableLogging() {
        enabled = false;
    }

    @Override
    public void enableLogging() {
        enabled = true;
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        log.debug("jain-sip-ri build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // Levels come from the SLF4J binding's configuration, not from stack properties.
    }

    @Override
    public String getLoggerName() {
        return log.getName();
    }
}
