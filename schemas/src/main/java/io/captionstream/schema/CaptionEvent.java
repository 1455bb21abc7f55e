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
    Instant createdAt) {

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
