package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;

/** Why an image could not be fetched, with the stable error code of the resulting error event. */
public final class FetchException extends Exception {

  private final ErrorCode code;

  public FetchException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public FetchException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
