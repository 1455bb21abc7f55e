package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/**
 * Why an image could not be fetched, with the stable error code of the resulting error event, whether another try
 * may succeed ({@link #isTransient()}), and how many tries were made ({@link #attempts()}).
 */
public final class FetchException extends Exception {

  private final ErrorCode code;
  private final boolean transientFailure;
  private final Duration retryAfter;
  private final int attempts;

  /** A permanent failure after one attempt. */
  public FetchException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** A permanent failure after one attempt. */
  public FetchException(ErrorCode code, String message, Throwable cause) {
    this(code, message, cause, false, null, 1);
  }

  private FetchException(ErrorCode code, String message, Throwable cause, boolean transientFailure,
      Duration retryAfter, int attempts) {
    super(message, cause);
    this.code = code;
    this.transientFailure = transientFailure;
    this.retryAfter = retryAfter;
    this.attempts = attempts;
  }

  /** A failure another try may not have (refused or reset connection, timeout, 429, 503, ...). */
  static FetchException transientFailure(ErrorCode code, String message, Throwable cause, Duration retryAfter) {
    return new FetchException(code, message, cause, true, retryAfter, 1);
  }

  /** This failure as the last of {@code n} attempts. */
  FetchException afterAttempts(int n) {
    String message = n > 1 ? getMessage() + " (gave up after " + n + " attempts)" : getMessage();
    FetchException e = new FetchException(code, message, getCause(), transientFailure, retryAfter, n);
    e.setStackTrace(getStackTrace());
    return e;
  }

  public ErrorCode code() {
    return code;
  }

  /** Whether the same fetch may succeed when tried again later. */
  public boolean isTransient() {
    return transientFailure;
  }

  /** The wait the server asked for ({@code Retry-After}), if any. */
  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** How many times the fetch was tried, at least 1. */
  public int attempts() {
    return attempts;
  }
}
