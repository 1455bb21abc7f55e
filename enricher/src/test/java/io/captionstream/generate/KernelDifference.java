package io.captionstream.generate;

import ai.onnxruntime.OrtEnvironment;
import io.captionstream.model.GraphFiles;
import io.captionstream.model.OnnxGraph;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why one parity case's ids differ from the oracle's: the first differing step, our logits there (replayed with our
 * ids forced, {@link StepLogits}) giving the margin between our token and the oracle's, and the graphs whose outputs
 * differ between ORT Java and onnxruntime-node when run alone on identical inputs ({@link RuntimeComparison}).
 *
 * @param step            first step where the ids differ
 * @param margin          our logit of our token minus our logit of the oracle's token at that step
 * @param replayAgrees    the replay's argmax equals our ids at every step up to and including {@code step}
 * @param differingGraphs graph → first output whose bytes differ between the runtimes, with its max |Δ|
 */
record KernelDifference(String config, String picture, int step, long oursId, long oracleId, float margin,
    boolean replayAgrees, Map<OnnxGraph, RuntimeComparison.Difference> differingGraphs) {

  /** A step closer than this (in logits) to a tie can be flipped by a kernel's rounding. */
  static final float MAX_MARGIN = 0.5f;

  static KernelDifference diagnose(ParityRuns.Outcome o, RuntimeComparison runtimes, Path work)
      throws Exception {
    long[] ours = o.ours();
    long[] oracle = o.oracle();
    int k = 0;
    while (k < ours.length && k < oracle.length && ours[k] == oracle[k]) {
      k++;
    }
    if (k >= ours.length || k >= oracle.length) {
      throw new AssertionError(o.config().name() + ": one side stopped earlier (" + Arrays.toString(ours) + " vs "
          + Arrays.toString(oracle) + "), not a differing step");
    }
    try (CaptionModel model = CaptionModel.load(o.dir(), o.config().variant())) {
      GraphFiles files = model.folder().graphs();
      try (SessionSet s = SessionSet.open(OrtEnvironment.getEnvironment(), files.visionEncoder().onnx(),
          files.embedTokens().onnx(), files.decoder().onnx(), EngineSettings.threads(1))) {
        ModelInputs in = ModelInputsFiles.read(o.dump());
        List<float[]> rows = StepLogits.replay(s, in, model.imageTokenId(), Arrays.copyOf(ours, k));
        boolean agrees = true;
        for (int i = 0; i <= k; i++) {
          agrees &= LastLogits.argmax(FloatBuffer.wrap(rows.get(i)), 0, rows.get(i).length) == ours[i];
        }
        float[] at = rows.get(k);
        float margin = at[(int) ours[k]] - at[(int) oracle[k]];
        return new KernelDifference(o.config().name(), o.request().picture(), k, ours[k], oracle[k], margin, agrees,
            runtimes.differingGraphs(s, files, o.dump(), work));
      }
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s / %s: first differing step %d, ours id %d, oracle id %d, logit margin %.5f "
        + "(replay %s); graphs whose outputs differ between ORT Java %s and onnxruntime-node on identical inputs: %s",
        config, picture, step, oursId, oracleId, margin, replayAgrees ? "agrees" : "DISAGREES",
        OrtEnvironment.getEnvironment().getVersion(), differingGraphs.isEmpty() ? "none" : differingGraphs);
  }
}
