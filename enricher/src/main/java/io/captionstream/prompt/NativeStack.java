package io.captionstream.prompt;

/**
 * Threads that load or run the tokenizer. DJL's tokenizer (Rust, via JNI) needs more stack than the launcher's
 * default 1 MiB main thread on large {@code tokenizer.json} files: without it the JVM dies with SIGSEGV and no
 * hs_err file. Every thread that may load a model (the CLI's command thread, the model loader, the workers) uses this.
 */
public final class NativeStack {

  /** 16 MiB. */
  public static final long BYTES = 16L << 20;

  private NativeStack() {}

  /** A thread (not started) with {@link #BYTES} of stack. */
  public static Thread thread(String name, Runnable task) {
    return new Thread(null, task, name, BYTES);
  }
}
