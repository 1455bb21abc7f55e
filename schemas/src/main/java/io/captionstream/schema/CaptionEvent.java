package io.captionstream.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/** The caption of one image: what the service writes to the output topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaptionEvent(
    String eventId,
    String imageId,
    String caption,
    String prompt,
    ModelInfo model,
    TokenCounts tokens,
    StageTimings timingsMs,
    double tokensPerSecond,
    String worker,
    String instance,
    SourceRef source,
    Map<String, String> attributes,
    Instant createdAt,
    CacheInfo cache) {

  /** A caption computed by the model (no {@code cache} object). */
  public CaptionEvent(String eventId, String imageId, String caption, String prompt, ModelInfo model,
      TokenCounts tokens, StageTimings timingsMs, double tokensPerSecond, String worker, String instance,
      SourceRef source, Map<String, String> attributes, Instant createdAt) {
    this(eventId, imageId, caption, prompt, model, tokens, timingsMs, tokensPerSecond, worker, instance, source,
        attributes, createdAt, null);
  }

  /**
   * Set when the caption was served from the caption cache.
   *
   * @param hit       always {@code true}
   * @param eventId   the eventId of the event that computed the caption
   * @param createdAt when that computation finished
   * @param savedMs   engine milliseconds of the original computation
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CacheInfo(boolean hit, String eventId, Instant createdAt, double savedMs) {}

  /** Which model produced the caption. */
  public record ModelInfo(String id, String variant) {}

  /** Token counts: prompt (all input ids, image ids included), image (the {@code <image>} ids), generated. */
  public record TokenCounts(int prompt, int image, int generated) {}

  /** Milliseconds spent per stage of the pipeline. */
  public record StageTimings(
      double queue,
      double fetch,
      double decode,
      double preprocess,
      double vision,
      double prefill,
      double firstToken,
      double generation,
      double total) {}
}
