package io.captionstream.observe;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Switches the log output between readable lines (default) and one JSON object per line ({@code --log-json} or
 * {@code LOG_FORMAT=json}). {@code logback.xml} picks its appender from the {@code LOG_FORMAT} property.
 */
public final class LogFormat {

  private LogFormat() {}

  /** Whether the environment asks for JSON logs. */
  public static boolean jsonFromEnvironment() {
    String v = System.getProperty("LOG_FORMAT", System.getenv("LOG_FORMAT"));
    return v != null && v.trim().toLowerCase(Locale.ROOT).equals("json");
  }

  /** Applies the format: sets {@code LOG_FORMAT} and reloads logback's configuration. */
  public static void use(boolean json) {
    System.setProperty("LOG_FORMAT", json ? "json" : "text");
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    URL config = LogFormat.class.getClassLoader().getResource("logback.xml");
    if (config == null) {
      return;
    }
    ctx.reset();
    JoranConfigurator jc = new JoranConfigurator();
    jc.setContext(ctx);
    try {
      jc.doConfigure(config);
    } catch (JoranException e) {
      System.err.println("cannot configure logging: " + e.getMessage());
    }
  }
}
