package io.captionstream.cli;

/** Exit codes shared by every command. */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** The work failed (a runtime error; the message on stderr says why). */
  public static final int FAILURE = 1;
  /** The command line or configuration is wrong (picocli's own code for usage errors). */
  public static final int USAGE = 2;
  /** Something the command needs is unavailable: network, broker, model files. */
  public static final int UNAVAILABLE = 3;
  /** A wait ran out ({@code consume --timeout}, {@code demo} waiting for captions). */
  public static final int TIMEOUT = 4;

  private ExitCodes() {}
}
