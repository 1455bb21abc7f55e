package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.EngineSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model and preprocessing options shared by {@code caption}, {@code inspect} and {@code bench}. */
public final class EngineOptions {

  @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "Local model folder.")
  Path modelDir;

  @Option(names = "--variant", description = "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4, "
      + "or per graph like q4,vision=fp32 (default ${DEFAULT-VALUE}).")
  String variant = "fp32";

  @Option(names = "--prompt", paramLabel = "TEXT", description = "The question (default: \""
      + CaptionOptions.DEFAULT_PROMPT + "\").")
  String prompt;

  @Option(names = "--longest-edge", paramLabel = "PX",
      description = "Override of size.longest_edge (first resize target).")
  Integer longestEdge;

  @Option(names = "--no-split", description = "Do not split the image into tiles (one global tile).")
  boolean noSplit;

  @Option(names = "--intra-op-threads", paramLabel = "N",
      description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
  int threads = ConfigKeys.INTRA_OP_THREADS.defaultValue();

  @Option(names = "--threads", hidden = true, description = "Old spelling of --intra-op-threads.")
  void legacyThreads(int n) {
    threads = n;
  }

  @Option(names = "--vision-tiles-per-run", defaultValue = "1",
      description = "Tiles per vision encoder run, 0 = all at once (default ${DEFAULT-VALUE}).")
  int visionTilesPerRun;

  EngineSettings engineSettings() {
    return EngineSettings.threads(threads).withVisionTilesPerRun(visionTilesPerRun);
  }

  CaptionOptions captionOptions() {
    return CaptionOptions.defaults().withPrompt(prompt).withLongestEdge(longestEdge)
        .withSplit(noSplit ? Boolean.FALSE : null);
  }
}
