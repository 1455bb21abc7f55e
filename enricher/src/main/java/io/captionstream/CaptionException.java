package io.captionstream;

/**
 * Why one image could not be captioned. Every stage of the engine (decode, preprocess, prompt, generate) throws this
 * with a {@link Reason}; the pipeline maps the reason to a stable error code of the error event.
 */
public class CaptionException extends RuntimeException {

  /** The stable reasons. The pipeline maps each one to an {@code ErrorCode} of the same name. */
  public enum Reason {
    UNSUPPORTED_FORMAT,
    CORRUPT_IMAGE,
    TOO_LARGE,
    INVALID_REQUEST,
    INFERENCE_FAILED,
    DEADLINE_EXCEEDED
  }

  private final Reason reason;

  public CaptionException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public CaptionException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
