package io.captionstream.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A request to caption one image: what producers publish to the input topic.
 *
 * @param id           the caller's id of the image (required); echoed as {@code imageId} in the outcome
 * @param uri          where the image is: {@code http}, {@code https}, {@code file} or {@code data:} URI (required)
 * @param prompt       optional question about the image (visual question answering); default is a caption request
 * @param maxNewTokens optional cap on generated tokens
 * @param longestEdge  optional override of the resize target (fewer tiles = faster)
 * @param attributes   optional string map passed through to the outcome untouched
 * @param deadline     optional instant after which the work is abandoned with {@code DEADLINE_EXCEEDED}
 * @param cache        optional; {@code false} opts this record out of the caption cache, {@code null} = the default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageReference(
    String id,
    String uri,
    String prompt,
    Integer maxNewTokens,
    Integer longestEdge,
    Map<String, String> attributes,
    Instant deadline,
    Boolean cache) {

  /** A reference without a cache preference (the service's setting applies). */
  public ImageReference(String id, String uri, String prompt, Integer maxNewTokens, Integer longestEdge,
      Map<String, String> attributes, Instant deadline) {
    this(id, uri, prompt, maxNewTokens, longestEdge, attributes, deadline, null);
  }

  public static ImageReference of(String id, String uri) {
    return new ImageReference(id, uri, null, null, null, null, null);
  }

  /** Whether this record may be served from and stored in the caption cache (only an explicit false opts out). */
  public boolean cacheAllowed() {
    return !Boolean.FALSE.equals(cache);
  }
}
