package io.captionstream.observe;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safeMsg} of the text log format: the message with control characters escaped ({@link TerminalText}). */
public final class TerminalSafeMessageConverter extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return TerminalText.escape(super.convert(event));
  }
}
