package io.captionstream.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolved settings, parsed and typed: {@link #get(Setting)} returns the value of any {@link ConfigKeys} setting.
 * Every value is parsed when the configuration is loaded, so a bad one fails the start with a message naming the key
 * and where the value came from.
 */
public final class ServiceConfig {

  private final Map<String, String> texts;
  private final Map<String, Object> values;
  private final Map<String, String> sources;

  private ServiceConfig(Map<String, String> texts, Map<String, Object> values, Map<String, String> sources) {
    this.texts = Map.copyOf(texts);
    this.values = Map.copyOf(values);
    this.sources = Map.copyOf(sources);
  }

  /** Parses every known setting's text; {@code kafka.*} keys stay text. Blank means unset (the default). */
  static ServiceConfig parse(Map<String, String> texts, Map<String, String> sources) {
    Map<String, Object> values = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (Setting<?> s : ConfigKeys.ALL) {
      String t = texts.get(s.key());
      if (t == null || t.isBlank()) { // blank = unset: the default, if any
        if (s.defaultText() != null) {
          values.put(s.key(), s.defaultValue());
        }
        continue;
      }
      try {
        values.put(s.key(), s.type().parse(t));
      } catch (RuntimeException e) {
        String why = e.getMessage() == null || e.getMessage().equals(t.strip()) ? "" : " (" + e.getMessage() + ")";
        problems.add(s.key() + " = '" + t + "' (" + sources.getOrDefault(s.key(), "unset") + ") must be "
            + s.type().expected() + why);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("; ", problems));
    }
    return new ServiceConfig(texts, values, sources);
  }

  /** The typed value of a setting, or {@code null} when it is unset and has no default. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting.key());
  }

  /** The text of a setting as given (or its default's), or {@code null} when unset. */
  public String text(Setting<?> setting) {
    return texts.get(setting.key());
  }

  /** Where a setting's value came from: {@code default}, {@code file ...}, {@code env ...} or {@code flag}. */
  public String source(Setting<?> setting) {
    return sources.getOrDefault(setting.key(), "unset");
  }

  public boolean jsonLogs() {
    return "json".equals(get(ConfigKeys.LOG_FORMAT));
  }

  /** {@code kafka.*} settings without their prefix. */
  public Map<String, String> kafka() {
    Map<String, String> k = new TreeMap<>();
    texts.forEach((key, v) -> {
      if (key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
        k.put(key.substring(ConfigKeys.KAFKA_PREFIX.length()), v);
      }
    });
    return k;
  }
}
