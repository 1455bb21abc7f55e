package io.captionstream.cache;

import io.captionstream.config.ConfigException;
import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ServiceConfig;
import java.util.Objects;

/**
 * How the caption cache runs.
 *
 * @param enabled    whether to use it; even when {@code true} the service runs without it (and says so) when the topic
 *                   cannot be used
 * @param topic      the compacted topic of entries, shared by every instance of every application id that uses it
 * @param maxEntries entries kept in each instance's memory (least recently used dropped first); the topic keeps one
 *                   record per key and is bounded by its own retention settings
 */
public record CacheSettings(boolean enabled, String topic, int maxEntries) {

  public CacheSettings {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("cache topic must not be blank");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache max entries must be >= 1, was " + maxEntries);
    }
  }

  /** The service's defaults, as declared in {@link ConfigKeys}. */
  public static CacheSettings defaults() {
    return new CacheSettings(ConfigKeys.CACHE_ENABLED.defaultValue(), ConfigKeys.CACHE_TOPIC.defaultValue(),
        ConfigKeys.CACHE_MAX_ENTRIES.defaultValue());
  }

  /** No cache (the library default of {@code CaptionPipeline.start} without settings). */
  public static CacheSettings off() {
    CacheSettings d = defaults();
    return new CacheSettings(false, d.topic(), d.maxEntries());
  }

  /** The cache settings of a service configuration. */
  public static CacheSettings from(ServiceConfig c) {
    try {
      return new CacheSettings(c.get(ConfigKeys.CACHE_ENABLED), c.get(ConfigKeys.CACHE_TOPIC),
          c.get(ConfigKeys.CACHE_MAX_ENTRIES));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException("cache settings: " + e.getMessage());
    }
  }
}
