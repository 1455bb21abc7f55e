package io.captionstream.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.EngineTimings;
import io.captionstream.schema.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a cache entry (JSON in the cache topic): the caption, its token counts, the model that computed it,
 * the original engine timings and where it came from. The prompt and the image are not stored: they are part of the
 * key. An entry is at most {@link #MAX_BYTES} encoded; a larger one is not cached.
 *
 * @param v         entry format version ({@value #VERSION}); entries of another version are ignored (a miss)
 * @param eventId   eventId of the caption event that computed it
 * @param createdAt createdAt of that event
 */
public record CacheEntry(
    int v,
    String caption,
    String modelId,
    String variant,
    int promptTokens,
    int imageTokens,
    int generatedTokens,
    EngineTimings engineMs,
    String eventId,
    Instant createdAt) {

  static final int VERSION = 1;
  /** Largest encoded entry written; bounds the topic's record size and the store's memory per entry. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = EventJson.mapper();

  public CacheEntry {
    Objects.requireNonNull(caption, "caption");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(engineMs, "engineMs");
  }

  /** The entry of a caption the engine just computed for the event {@code eventId}. */
  public static CacheEntry of(CaptionResult result, String modelId, String variant, String eventId,
      Instant createdAt) {
    return new CacheEntry(VERSION, result.caption(), modelId, variant, result.promptTokens(), result.imageTokens(),
        result.generatedTokens(), result.timings(), eventId, createdAt);
  }

  public byte[] toBytes() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entry in {@code bytes}, or empty when they are not an entry of this version (a miss, never an error). */
  public static Optional<CacheEntry> parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || bytes.length > MAX_BYTES) {
      return Optional.empty();
    }
    try {
      CacheEntry e = JSON.readValue(bytes, CacheEntry.class);
      return e.v() == VERSION ? Optional.of(e) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
