package io.captionstream.generate;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;

/**
 * How one worker's ONNX Runtime sessions are set up.
 *
 * @param intraOpThreads threads each session may use inside one operator (a worker runs one session at a time)
 * @param optLevel       graph optimisation level
 * @param visionTilesPerRun tiles the vision encoder sees per run (0 = all tiles of an image in one run). Tiles are
 *                       encoded independently; small runs bound the attention activations (a 17-tile image in one
 *                       run needs about 1 GB per SigLIP attention layer)
 * @param lastPositionLogits rewrite the decoder at load so that the prefill computes the lm head for the last
 *                       position only (see {@link LmHeadSlice}; skipped, with a log line, when the graph is not as
 *                       expected). Same ids; off only to compare
 * @param signedWeights load unsigned 8-bit {@code MatMulInteger} weights as signed where that picks ONNX Runtime's
 *                       faster VNNI kernel (see {@link SignedWeights}; same products, same ids). Off only to compare
 * @param profileDir     {@code null}, or a folder where ORT writes one per-op profile per session (written when the
 *                       session closes; for benchmarks)
 */
public record EngineSettings(int intraOpThreads, OptLevel optLevel, int visionTilesPerRun,
    boolean lastPositionLogits, boolean signedWeights, Path profileDir) {

  /** Default tiles per vision run. */
  public static final int DEFAULT_VISION_TILES_PER_RUN = 1;

  public EngineSettings {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be >= 1, was " + intraOpThreads);
    }
    if (optLevel == null) {
      optLevel = OptLevel.ALL_OPT;
    }
    if (visionTilesPerRun < 0) {
      throw new IllegalArgumentException("visionTilesPerRun must be >= 0, was " + visionTilesPerRun);
    }
  }

  public static EngineSettings threads(int intraOpThreads) {
    return new EngineSettings(intraOpThreads, OptLevel.ALL_OPT, DEFAULT_VISION_TILES_PER_RUN, true, true, null);
  }

  public EngineSettings withVisionTilesPerRun(int tiles) {
    return new EngineSettings(intraOpThreads, optLevel, tiles, lastPositionLogits, signedWeights, profileDir);
  }

  public EngineSettings withLastPositionLogits(boolean on) {
    return new EngineSettings(intraOpThreads, optLevel, visionTilesPerRun, on, signedWeights, profileDir);
  }

  public EngineSettings withSignedWeights(boolean on) {
    return new EngineSettings(intraOpThreads, optLevel, visionTilesPerRun, lastPositionLogits, on, profileDir);
  }

  public EngineSettings withProfileDir(Path dir) {
    return new EngineSettings(intraOpThreads, optLevel, visionTilesPerRun, lastPositionLogits, signedWeights, dir);
  }
}
