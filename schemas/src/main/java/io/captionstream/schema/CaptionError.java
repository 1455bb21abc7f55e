package io.captionstream.schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The failure of one input record: what the service writes to the error topic.
 *
 * @param payload         the original record value; UTF-8 text, or base64 when {@code payloadEncoding} says so
 * @param payloadEncoding {@code utf-8} or {@code base64}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaptionError(
    String eventId,
    String imageId,
    ErrorCode code,
    String message,
    int attempts,
    SourceRef source,
    String payload,
    String payloadEncoding,
    Instant createdAt) {}
