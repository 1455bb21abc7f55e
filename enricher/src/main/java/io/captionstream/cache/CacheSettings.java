package io.captionstream.cache;

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

  public static final String DEFAULT_TOPIC = "caption-cache";
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  public CacheSettings {
    Objects.requireNonNull(topic, "topic");
    if (topic.isBlank()) {
      throw new IllegalArgumentException("cache topic must not be blank");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("cache max entries must be >= 1, was " + maxEntries);
    }
  }

  /** The service's default: on, topic {@value #DEFAULT_TOPIC}, {@value #DEFAULT_MAX_ENTRIES} entries. */
  public static CacheSettings defaults() {
    return new CacheSettings(true, DEFAULT_TOPIC, DEFAULT_MAX_ENTRIES);
  }

  /** No cache (the library default of {@code CaptionPipeline.start} without settings). */
  public static CacheSettings off() {
    return new CacheSettings(false, DEFAULT_TOPIC, DEFAULT_MAX_ENTRIES);
  }
}
