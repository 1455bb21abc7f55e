package io.captionstream.schema;

/** Stable error codes of {@link CaptionError}. Add new codes at the end; never rename one. */
public enum ErrorCode {
  /** The input record is not a valid {@link ImageReference} (bad bytes, bad JSON, missing field, schema violation). */
  INVALID_EVENT,
  /** The image could not be fetched (HTTP error status, connection refused, missing file). */
  FETCH_FAILED,
  /** The fetch did not finish within its timeout. */
  FETCH_TIMEOUT,
  /** The URI points at an address or scheme the service is configured to refuse. */
  FORBIDDEN_ADDRESS,
  /** The image is larger than the configured byte or pixel limit. */
  TOO_LARGE,
  /** The bytes are not an image format the service decodes. */
  UNSUPPORTED_FORMAT,
  /** The bytes claim a supported format but do not decode. */
  CORRUPT_IMAGE,
  /** ONNX Runtime failed while running the model. */
  INFERENCE_FAILED,
  /** The request's deadline passed before its caption was done. */
  DEADLINE_EXCEEDED,
  /** An unexpected failure inside the service; the message says what. */
  INTERNAL,
  /**
   * The record's outcome could not be written as built: larger than the producer's {@code max.request.size} or
   * the topic's {@code max.message.bytes}. This minimal error event (no payload echo) takes its place; the message
   * says which limit.
   */
  OUTCOME_TOO_LARGE
}
