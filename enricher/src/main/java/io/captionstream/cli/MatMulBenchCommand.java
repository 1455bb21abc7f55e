package io.captionstream.cli;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.Captioner;
import io.captionstream.generate.EngineSettings;
import io.captionstream.image.SamplePictures;
import io.captionstream.model.VisionConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code bench matmul}: the machine's practical fp32 GEMM speed on ORT at the vision encoder's MatMul shapes (one
 * SigLIP tile: P patches of width E, MLP 4E, heads of 64), and with {@code --model-dir} the vision encoder's own speed
 * on one tile as a fraction of that ceiling; also the practical memory read bandwidth and a decode step's effective
 * bandwidth over the decoder weights it streams.
 */
@Command(name = "matmul", mixinStandardHelpOptions = true,
    description = "ORT MatMul micro-benchmark at the vision encoder's shapes; with --model-dir, the encoder's share.")
public final class MatMulBenchCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--intra-op-threads", defaultValue = "1",
      description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--threads", hidden = true,
      description = "Old spelling of --intra-op-threads.") void legacyThreads(int n) {
    threads = n;
  }

  @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured runs per shape (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--runs", defaultValue = "9", description = "Measured runs per shape (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--model-dir", paramLabel = "DIR",
      description = "Also time this model's vision encoder on one tile and compare (shapes from its config.json).")
  Path modelDir;

  @Option(names = "--vision-runs", defaultValue = "3", description = "Measured vision runs (default ${DEFAULT-VALUE}).")
  int visionRuns;

  @Option(names = "--read-mib", defaultValue = "512",
      description = "MiB streamed by the memory read probe (default ${DEFAULT-VALUE}).")
  int readMib;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CaptionModel model = modelDir == null ? null : CaptionModel.load(modelDir, "fp32");
    try {
      VisionConfig v = model == null ? new VisionConfig(768, 512, 16, 12) : model.folder().config().vision();
      int p = v.patchesPerSide() * v.patchesPerSide();
      int e = v.hiddenSize();
      int heads = e / 64;
      List<MatMulProbe.Shape> shapes = List.of(
          new MatMulProbe.Shape("q/k/v/out projection", 1, p, e, e, 4),
          new MatMulProbe.Shape("mlp fc1", 1, p, e, 4 * e, 1),
          new MatMulProbe.Shape("mlp fc2", 1, p, 4 * e, e, 1),
          new MatMulProbe.Shape("attention q.kT", heads, p, 64, p, 1),
          new MatMulProbe.Shape("attention p.v", heads, p, p, 64, 1));
      ObjectNode report = new ObjectMapper().createObjectNode();
      report.put("threads", threads);
      report.put("ortVersion", OrtEnvironment.getEnvironment().getVersion());
      ArrayNode rows = report.putArray("shapes");
      double layerFlops = 0;
      double layerMs = 0;
      out.printf("ORT MatMul, fp32, %d thread(s), median of %d runs after %d%n", threads, runs, warmup);
      out.printf("%-22s %-22s %8s %9s %9s%n", "shape", "[b] m x k x n", "GFLOP", "ms", "GFLOP/s");
      for (MatMulProbe.Shape s : shapes) {
        double ms = MatMulProbe.medianMs(s, threads, warmup, runs);
        double gflops = s.flops() / 1e9;
        layerFlops += s.perTile() * s.flops();
        layerMs += s.perTile() * ms;
        out.printf("%-22s %-22s %8.2f %9.2f %9.1f%n", s.name(),
            (s.batch() > 1 ? "[" + s.batch() + "] " : "") + s.m() + "x" + s.k() + "x" + s.n(), gflops, ms,
            gflops / (ms / 1000));
        ObjectNode r = rows.addObject();
        r.put("name", s.name());
        r.put("batch", s.batch());
        r.put("m", s.m());
        r.put("k", s.k());
        r.put("n", s.n());
        r.put("ms", CaptionCommand.round(ms));
        r.put("gflopsPerSecond", CaptionCommand.round(gflops / (ms / 1000)));
      }
      double ceiling = layerFlops / 1e9 / (layerMs / 1000);
      // per tile: every layer's MatMuls and the patch embedding (a P x 3*16*16 x E convolution); the connector (< 1 %)
      // and the element-wise ops are left out
      double tileFlops = v.numHiddenLayers() * layerFlops + 2.0 * p * 3 * v.patchSize() * v.patchSize() * e;
      out.printf("ceiling (the encoder's MatMul mix at these speeds): %.1f GFLOP/s; %.0f GFLOP per tile -> %.0f ms "
          + "per tile at the ceiling%n", ceiling, tileFlops / 1e9, tileFlops / 1e9 / ceiling * 1000);
      report.put("ceilingGflopsPerSecond", CaptionCommand.round(ceiling));
      report.put("visionGflopPerTile", CaptionCommand.round(tileFlops / 1e9));
      double read = MatMulProbe.readGBps(readMib, threads, 5);
      out.printf("memory read (ORT ReduceSum over %d MiB): %.1f GB/s%n", readMib, read);
      report.put("readGBps", CaptionCommand.round(read));
      if (model != null) {
        double[] measured = visionMsPerTileAndMsPerStep(model);
        double visionMs = measured[0];
        double achieved = tileFlops / 1e9 / (visionMs / 1000);
        out.printf("vision encoder: %.0f ms per tile = %.1f GFLOP/s = %.0f %% of the ceiling%n", visionMs, achieved,
            100 * achieved / ceiling);
        report.put("visionMsPerTile", CaptionCommand.round(visionMs));
        report.put("visionGflopsPerSecond", CaptionCommand.round(achieved));
        report.put("visionFractionOfCeiling", CaptionCommand.round(achieved / ceiling));
        // a decode step streams every decoder weight once (the cache is small at one tile)
        double weights = decoderWeightBytes(model);
        double stepGBps = weights / (measured[1] / 1000) / 1e9;
        out.printf("decode step: %.1f ms for %.0f MB of decoder weights = %.1f GB/s = %.0f %% of the read bandwidth%n",
            measured[1], weights / 1e6, stepGBps, 100 * stepGBps / read);
        report.put("msPerDecodeStep", CaptionCommand.round(measured[1]));
        report.put("decodeGBps", CaptionCommand.round(stepGBps));
        report.put("decodeFractionOfRead", CaptionCommand.round(stepGBps / read));
      }
      out.println(new ObjectMapper().writeValueAsString(report));
      return 0;
    } finally {
      if (model != null) {
        model.close();
      }
    }
  }

  /** Medians of the vision encoder time of a one-tile image and of its decode steps (9 new tokens). */
  private double[] visionMsPerTileAndMsPerStep(CaptionModel model) {
    CaptionOptions options = CaptionOptions.defaults().withMaxNewTokens(9)
        .withLongestEdge(model.folder().preprocessor().tileSize());
    byte[] picture = SamplePictures.png(1024, 1024);
    List<Double> vision = new ArrayList<>();
    List<Double> step = new ArrayList<>();
    try (Captioner c = model.newCaptioner(EngineSettings.threads(threads))) {
      for (int r = 0; r < 1 + visionRuns; r++) {
        CaptionResult result = c.caption(picture, options);
        if (r > 0) {
          vision.add(result.timings().vision());
          step.add(result.timings().decodeLoop() / Math.max(1, result.generatedTokens() - 1));
        }
      }
    }
    return new double[] {median(vision), median(step)};
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Bytes of the decoder graph and its external data (fp32: essentially its weights). */
  private static double decoderWeightBytes(CaptionModel model) {
    Path graph = model.folder().graphs().decoder().onnx();
    double bytes = 0;
    for (Path p : List.of(graph, graph.resolveSibling(graph.getFileName() + "_data"))) {
      try {
        bytes += Files.exists(p) ? Files.size(p) : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }
}
