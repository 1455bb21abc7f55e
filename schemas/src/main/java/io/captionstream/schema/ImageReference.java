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
    Instant deadline) {

  public static ImageReference of(String id, String uri) {
    return new ImageReference(id, uri, null, null, null, null, null);
  }
}
