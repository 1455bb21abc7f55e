package io.captionstream.observe;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * {@code %safeEx} of the text log format: the stack trace with control characters other than line feeds and tabs
 * escaped, since exception messages often quote input (a URI, an id).
 */
public final class TerminalSafeThrowableConverter extends ExtendedThrowableProxyConverter {

  @Override
  protected String throwableProxyToString(IThrowableProxy tp) {
    return TerminalText.escapeKeepingLines(super.throwableProxyToString(tp));
  }
}
