package io.captionstream.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

  @Test
  void jsonLogLinesCarryTheMessageWithItsArgumentsFilledIn() {
    try {
      LogFormat.use(true);
      LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
      Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
      @SuppressWarnings("unchecked")
      OutputStreamAppender<ILoggingEvent> json = (OutputStreamAppender<ILoggingEvent>) root.getAppender("json");
      LoggingEvent event = new LoggingEvent(getClass().getName(), root, Level.INFO,
          "metrics and health on http://{}:{}/metrics", null, new Object[] {"0.0.0.0", 9400});

      String line = new String(json.getEncoder().encode(event), StandardCharsets.UTF_8);

      assertThat(line).startsWith("{").contains("http:\\/\\/0.0.0.0:9400\\/metrics");
    } finally {
      LogFormat.use(false);
    }
  }
}
