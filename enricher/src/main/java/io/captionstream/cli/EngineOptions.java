package io.captionstream.cli;

import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.EngineSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model and preprocessing options shared by {@code caption}, {@code inspect} and {@code bench}. */
public final class EngineOptions {

  @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "Local model folder.")
  Path modelDir;

  @Option(names = "--variant", defaultValue = "fp32",
      description = "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4 (default ${DEFAULT-VALUE}).")
  String variant;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "The question (default: \""
      + CaptionOptions.DEFAULT_PROMPT + "\").")
  String prompt;

  @Option(names = "--longest-edge", paramLabel = "PX",
      description = "Override of size.longest_edge (first resize target).")
  Integer longestEdge;

  @Option(names = "--no-split", description = "Do not split the image into tiles (one global tile).")
  boolean noSplit;

  @Option(names = "--threads", defaultValue = "1", description = "ORT intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

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
