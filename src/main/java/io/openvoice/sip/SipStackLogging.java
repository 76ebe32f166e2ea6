package io.openvoice.sip;

import gov.nist.core.ServerLogger;
import gov.nist.core.StackLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JAIN-SIP RI's logging routed to SLF4J (logger {@code io.openvoice.sip.stack}); its message log off
 * (per-message logging is not cheap). Named by class in the stack properties, hence public no-arg classes.
 */
public final class SipStackLogging {
  private SipStackLogging() {}

  private static final Logger log = LoggerFactory.getLogger("io.openvoice.sip.stack");

  public static final class Stack implements StackLogger {
    @Override public void logStackTrace() {}
    @Override public void logStackTrace(int level) {}
    @Override public int getLineCount() { return 0; }
    @Override public void logException(Throwable t) { log.warn("SIP stack exception", t); }
    @Override public void logDebug(String m) { log.debug(m); }
    @Override public void logDebug(String m, Exception e) { log.debug(m, e); }
    @Override public void logTrace(String m) { log.trace(m); }
    @Override public void logFatalError(String m) { log.error(m); }
    @Override public void logError(String m) { log.error(m); }
    @Override public boolean isLoggingEnabled() { return log.isInfoEnabled(); }

    @Override
    public boolean isLoggingEnabled(int level) {
      if (level >= TRACE_TRACE) return log.isTraceEnabled();
      if (level >= TRACE_DEBUG) return log.isDebugEnabled();
      if (level >= TRACE_INFO) return log.isInfoEnabled();
      if (level >= TRACE_WARN) return log.isWarnEnabled();
      return log.isErrorEnabled();
    }

    @Override public void logError(String m, Exception e) { log.error(m, e); }
    @Override public void logWarning(String m) { log.warn(m); }
    @Override public void logInfo(String m) { log.info(m); }
    @Override public void disableLogging() {}
    @Override public void enableLogging() {}
    @Override public void setBuildTimeStamp(String s) {}
    @Override public void setStackProperties(Properties p) {}
    @Override public String getLoggerName() { return log.getName(); }
  }

  public static final class Messages implements ServerLogger {
    @Override public void closeLogFile() {}
    @Override public void logMessage(SIPMessage m, String from, String to, boolean sender, long time) {}
    @Override public void logMessage(SIPMessage m, String from, String to, String status, boolean sender, long time) {}
    @Override public void logMessage(SIPMessage m, String from, String to, String status, boolean sender) {}
    @Override public void logException(Exception e) { log.debug("SIP message log", e); }
    @Override public void setStackProperties(Properties p) {}
    @Override public void setSipStack(javax.sip.SipStack s) {}
  }
}
