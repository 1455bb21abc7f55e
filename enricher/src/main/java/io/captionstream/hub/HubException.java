package io.captionstream.hub;

/** A model could not be resolved or downloaded; the message says why and what to do instead. */
public class HubException extends RuntimeException {

  /** What went wrong, so commands can pick an exit code and tests can assert on it. */
  public enum Kind {
    UNREACHABLE,
    UNAUTHORIZED,
    NOT_FOUND,
    INTEGRITY,
    HTTP,
    IO,
    OFFLINE
  }

  private final Kind kind;

  public HubException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public HubException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
