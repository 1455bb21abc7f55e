package io.captionstream.generate;

import io.captionstream.CaptionException;
import io.captionstream.model.GraphContract;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One worker's captioner: the shared {@link CaptionModel} (configs, tokenizer, template, preprocessor, session set)
 * plus this worker's own decoder state (KV cache, pinned buffers, run options). Create with
 * {@link CaptionModel#newCaptioner(EngineSettings)}; use from one thread at a time (a concurrent call fails fast
 * instead of corrupting its buffers); close when the worker stops.
 */
public final class Captioner implements ImageCaptioner {

  private final CaptionModel model;
  private final SharedSessions.Lease sessions;
  private final GreedyDecoder decoder;
  private final AtomicBoolean busy = new AtomicBoolean();

  Captioner(CaptionModel model, SharedSessions.Lease sessions, GreedyDecoder decoder) {
    this.model = model;
    this.sessions = sessions;
    this.decoder = decoder;
  }

  @Override
  public CaptionResult caption(byte[] encodedImage, CaptionOptions options) {
    enter();
    try {
      long t0 = System.nanoTime();
      if (options.deadline() != null && !Instant.now().isBefore(options.deadline())) {
        throw new CaptionException(CaptionException.Reason.DEADLINE_EXCEEDED,
            "deadline " + options.deadline() + " passed before the caption started");
      }
      PreparedImage prepared = model.prepare(encodedImage, options);
      Generation g = run(prepared.inputs(), options.maxNewTokens(), options.deadline());
      String caption = model.captionText(g.tokenIds());
      double total = (System.nanoTime() - t0) / 1e6;
      double prefix = prepared.decodeMs() + prepared.preprocessMs();
      EngineTimings timings = new EngineTimings(prepared.decodeMs(), prepared.preprocessMs(), g.visionMs(),
          g.prefillMs(), prefix + g.firstTokenMs(), g.decodeLoopMs(), total);
      double genSeconds = (g.prefillMs() + g.decodeLoopMs()) / 1000.0;
      return new CaptionResult(caption, g.tokenIds(), g.promptTokens(), g.imageTokens(), g.generated(), timings,
          genSeconds > 0 ? g.generated() / genSeconds : 0, g.stoppedOnEos(), prepared.rows(), prepared.cols());
    } finally {
      busy.set(false);
    }
  }

  /**
   * Greedy generation from prepared inputs (what {@code inspect} dumps and the parity suite replays).
   *
   * @param deadline {@code null} = none
   */
  public Generation generate(ModelInputs inputs, int maxNewTokens, Instant deadline) {
    enter();
    try {
      return run(inputs, maxNewTokens, deadline);
    } finally {
      busy.set(false);
    }
  }

  private Generation run(ModelInputs inputs, int maxNewTokens, Instant deadline) {
    try (RunControl control = RunControl.start(deadline, model.scheduler())) {
      return decoder.generate(inputs, maxNewTokens, control);
    }
  }

  private void enter() {
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException("a Captioner is owned by one worker thread; it is already in use");
    }
  }

  /** What this worker's graphs declare. */
  public GraphContract contract() {
    return sessions.sessions().contract();
  }

  /** Whether this worker's decoder computes the lm head for the last prompt position only. */
  public boolean lastPositionLogits() {
    return sessions.sessions().lastPositionLogits();
  }

  /** Unsigned 8-bit weight tensors loaded as signed (0 when none, or on CPUs where it does not help). */
  public int signedWeightTensors() {
    return sessions.sessions().signedWeightTensors();
  }

  @Override
  public String modelId() {
    return model.modelId();
  }

  @Override
  public String variant() {
    return model.variant();
  }

  @Override
  public String modelFingerprint() {
    return model.fingerprint();
  }

  @Override
  public void close() {
    sessions.close();
  }
}
