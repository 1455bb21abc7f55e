package io.captionstream.generate;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.CaptionException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadline of one caption. Between steps {@link #check()} throws {@code DEADLINE_EXCEEDED} once it has passed;
 * during a long ORT run (vision encoder, prefill) a timer sets {@link OrtSession.RunOptions#setTerminate} so that the
 * run is abandoned and its {@link OrtException} becomes {@code DEADLINE_EXCEEDED} instead of {@code INFERENCE_FAILED}.
 */
final class RunControl implements AutoCloseable {

  private final OrtSession.RunOptions options;
  private final Instant deadline;
  private final ScheduledFuture<?> timer;
  private final Object lock = new Object();
  private boolean closed;
  private volatile boolean terminated;

  private RunControl(OrtSession.RunOptions options, Instant deadline, ScheduledExecutorService scheduler) {
    this.options = options;
    this.deadline = deadline;
    if (deadline != null && scheduler != null) {
      long delay = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
      this.timer = scheduler.schedule(this::terminate, delay, TimeUnit.NANOSECONDS);
    } else {
      this.timer = null;
    }
  }

  /**
   * @param deadline  {@code null} = none
   * @param scheduler fires the terminate flag at the deadline; {@code null} = only check between steps
   */
  static RunControl start(Instant deadline, ScheduledExecutorService scheduler) {
    try {
      return new RunControl(new OrtSession.RunOptions(), deadline, scheduler);
    } catch (OrtException e) {
      throw new CaptionException(CaptionException.Reason.INFERENCE_FAILED, "cannot create run options: "
          + e.getMessage(), e);
    }
  }

  OrtSession.RunOptions options() {
    return options;
  }

  /** Throws {@code DEADLINE_EXCEEDED} when the deadline has passed. */
  void check(String stage) {
    if (terminated || (deadline != null && !Instant.now().isBefore(deadline))) {
      throw exceeded(stage, null);
    }
  }

  /** Maps an ORT failure to {@code DEADLINE_EXCEEDED} (terminated by the timer) or {@code INFERENCE_FAILED}. */
  CaptionException failure(String stage, OrtException e) {
    if (terminated || (deadline != null && !Instant.now().isBefore(deadline))) {
      return exceeded(stage, e);
    }
    return new CaptionException(CaptionException.Reason.INFERENCE_FAILED, stage + " failed: " + e.getMessage(), e);
  }

  private CaptionException exceeded(String stage, Throwable cause) {
    return new CaptionException(CaptionException.Reason.DEADLINE_EXCEEDED,
        "deadline " + deadline + " passed during " + stage, cause);
  }

  private void terminate() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      terminated = true;
      try {
        options.setTerminate(true);
      } catch (OrtException ignored) {
        // the step check reports the deadline
      }
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.cancel(false);
    }
    synchronized (lock) {
      closed = true;
      options.close();
    }
  }
}
