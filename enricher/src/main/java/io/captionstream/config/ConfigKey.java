package io.captionstream.config;

import java.util.Locale;

/**
 * One setting of the service, the same under three names: a key in {@code enricher.properties}, an environment
 * variable and a command-line flag.
 *
 * @param key          the properties-file key, e.g. {@code topic.input}
 * @param flag         the command-line flag of {@code run} and {@code demo}, e.g. {@code --input-topic}
 * @param defaultValue the value when nobody sets it; {@code null} = unset, or computed (described in {@code description})
 * @param description  one line for {@code --help} and the README
 */
public record ConfigKey(String key, String flag, String defaultValue, String description) {

  public static final String ENV_PREFIX = "CAPTIONSTREAM_";

  /** {@code topic.input} → {@code CAPTIONSTREAM_TOPIC_INPUT}. */
  public String env() {
    return envOf(key);
  }

  static String envOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
