package io.captionstream.cli;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.Captioner;
import io.captionstream.generate.EngineSettings;
import io.captionstream.image.SamplePictures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Measures the engine with W workers over one shared model (each worker's own captioner and thread, as in the
 * pipeline): every configuration (e.g. {@code --longest-edge 2048,512}) runs in the same
 * process, interleaved run by run, so their ratios are measured under the same conditions. Prints a table of per-stage
 * medians and p90s, tokens/s, tiles and peak memory, then the same as one JSON object.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks the engine on a model folder.",
    subcommands = MatMulBenchCommand.class)
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model-dir", paramLabel = "DIR", description = "Local model folder.") Path modelDir;

  @Option(names = "--variant", defaultValue = "fp32",
      description = "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4 (default ${DEFAULT-VALUE}).")
  String variant;

  @Option(names = "--images", arity = "1..*", paramLabel = "IMAGE",
      description = "Images to caption (default: one generated 1024x1024 test picture).")
  List<Path> images = new ArrayList<>();

  @Option(names = "--runs", defaultValue = "5",
      description = "Measured runs per configuration (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "1",
      description = "Unmeasured warm-up runs per configuration (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--intra-op-threads", defaultValue = "1",
      description = "ONNX Runtime intra-op threads per worker (default ${DEFAULT-VALUE}).") int threads;

  @Option(names = "--threads", hidden = true,
      description = "Old spelling of --intra-op-threads.") void legacyThreads(int n) {
    threads = n;
  }

  @Option(names = "--workers", defaultValue = "1",
      description = "Workers captioning at the same time over one shared model (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--all-position-logits",
      description = "Keep the decoder's lm head over every prompt position (no load-time slice), to compare.")
  boolean allPositionLogits;

  @Option(names = "--unsigned-weights",
      description = "Load unsigned 8-bit weights as stored (no signed copy for the VNNI kernel), to compare.")
  boolean unsignedWeights;

  @Option(names = "--profile", paramLabel = "DIR",
      description = "Write ORT per-op profiles into DIR and print the op types that take the kernel time.")
  Path profileDir;

  @Option(names = "--quick", description = "A seconds-long smoke run on a tiny synthetic model written to a temporary "
      + "folder (no --model-dir needed): 1 run, no warm-up, 4 new tokens.")
  boolean quick;

  @Option(names = "--vision-tiles-per-run", defaultValue = "1",
      description = "Tiles per vision encoder run, 0 = all at once (default ${DEFAULT-VALUE}).")
  int visionTilesPerRun;

  @Option(names = "--longest-edge", split = ",", paramLabel = "PX",
      description = "One configuration per value, e.g. 2048,512 (default: the model's own).")
  List<Integer> longestEdges = new ArrayList<>();

  @Option(names = "--no-split", description = "Do not split the image into tiles (one global tile).") boolean noSplit;

  @Option(names = "--max-new-tokens", defaultValue = "32",
      description = "Cap on generated tokens (default ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "The question (default: \""
      + CaptionOptions.DEFAULT_PROMPT + "\").")
  String prompt;

  @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
  Path jsonOut;

  @Override
  public Integer call() throws IOException {
    if (quick) {
      Path dir = Files.createTempDirectory("bench-quick-");
      try {
        QuickBenchModel.write(spec.root().commandLine(), dir);
        modelDir = dir;
        runs = 1;
        warmup = 0;
        maxNewTokens = Math.min(maxNewTokens, 4);
        if (images.isEmpty()) {
          Path png = dir.resolve("picture.png");
          Files.write(png, SamplePictures.png(300, 200));
          images.add(png);
        }
        return measure();
      } finally {
        deleteTree(dir);
      }
    }
    if (modelDir == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--model-dir is required (or --quick)");
    }
    return measure();
  }

  private int measure() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<byte[]> inputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (images.isEmpty()) {
      inputs.add(SamplePictures.png(1024, 1024));
      names.add("generated-1024x1024.png");
    } else {
      for (Path p : images) {
        inputs.add(Files.readAllBytes(p));
        names.add(p.toString());
      }
    }
    List<Integer> edges = longestEdges.isEmpty() ? Collections.singletonList(null) : longestEdges;
    List<BenchStats> stats = new ArrayList<>();
    long loadStart = System.nanoTime();
    EngineSettings settings = EngineSettings.threads(threads).withVisionTilesPerRun(visionTilesPerRun)
        .withLastPositionLogits(!allPositionLogits).withSignedWeights(!unsignedWeights);
    if (profileDir != null) {
      Files.createDirectories(profileDir);
      settings = settings.withProfileDir(profileDir.toAbsolutePath());
    }
    ObjectNode report;
    try (CaptionModel model = CaptionModel.load(modelDir, variant);
        BenchWorkers pool = new BenchWorkers(model, settings, workers)) {
      double loadMs = (System.nanoTime() - loadStart) / 1e6;
      List<CaptionOptions> configs = new ArrayList<>();
      for (Integer edge : edges) {
        configs.add(CaptionOptions.defaults().withPrompt(prompt).withMaxNewTokens(maxNewTokens)
            .withLongestEdge(edge).withSplit(noSplit ? Boolean.FALSE : null));
        stats.add(new BenchStats(edge == null ? "model default" : "longest edge " + edge));
      }
      for (int run = 0; run < warmup + runs; run++) {
        for (int c = 0; c < configs.size(); c++) {
          BenchWorkers.Round round = pool.round(inputs, configs.get(c));
          if (run >= warmup) {
            round.results().forEach(stats.get(c)::add);
            stats.get(c).addRound(round.results().size(), round.wallMs());
          }
        }
      }
      int tilesPerRun = model.visionTilesPerRun(settings);
      printTable(out, stats, loadMs, tilesPerRun);
      report = report(model, pool.first(), names, stats, loadMs);
      report.put("visionTilesPerRun", tilesPerRun);
    }
    if (profileDir != null) { // the sessions are closed now, so ORT has written the profiles
      report.set("profile", ProfileSummary.summarize(profileDir, out));
    }
    ObjectMapper mapper = new ObjectMapper();
    out.println(mapper.writeValueAsString(report));
    if (jsonOut != null) {
      Files.writeString(jsonOut, mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    }
    return 0;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void printTable(PrintWriter out, List<BenchStats> stats, double loadMs, int tilesPerRun) {
    out.printf("bench: %s (%s), %d worker(s) x %d thread(s), %s tile(s) per vision run, %d warmup + %d runs, max %d "
        + "new tokens; model load %.0f ms%n", modelDir, variant, workers, threads,
        tilesPerRun == 0 ? "all" : tilesPerRun,
        warmup, runs, maxNewTokens, loadMs);
    out.printf("%-22s %6s %7s %9s %9s %9s %9s %9s %9s %9s %9s %8s %8s %8s%n", "configuration", "tiles", "prompt",
        "decode", "preproc", "vision", "prefill", "1st tok", "loop", "total", "ms/step", "tok/s", "gen", "img/s");
    for (BenchStats s : stats) {
      for (String q : List.of("median", "p90")) {
        boolean med = q.equals("median");
        out.printf("%-22s %6s %7s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.2f %8.1f %8s %8s%n",
            med ? s.name : "  p90", med ? String.valueOf(s.tiles) : "", med ? String.valueOf(s.promptTokens) : "",
            s.stat(BenchStats.DECODE, med), s.stat(BenchStats.PREPROCESS, med), s.stat(BenchStats.VISION, med),
            s.stat(BenchStats.PREFILL, med), s.stat(BenchStats.FIRST, med), s.stat(BenchStats.LOOP, med),
            s.stat(BenchStats.TOTAL, med), s.stat(BenchStats.STEP, med), s.stat(BenchStats.TPS, med),
            med ? String.valueOf(s.generated) : "", med ? String.format("%.3f", s.imagesPerSecond()) : "");
      }
    }
    BenchStats base = stats.get(0);
    for (int i = 1; i < stats.size(); i++) {
      BenchStats s = stats.get(i);
      out.printf("ratio %s / %s: total %.2fx, vision %.2fx, prefill %.2fx, first token %.2fx%n", base.name, s.name,
          base.stat(BenchStats.TOTAL, true) / s.stat(BenchStats.TOTAL, true),
          base.stat(BenchStats.VISION, true) / s.stat(BenchStats.VISION, true),
          base.stat(BenchStats.PREFILL, true) / s.stat(BenchStats.PREFILL, true),
          base.stat(BenchStats.FIRST, true) / s.stat(BenchStats.FIRST, true));
    }
    out.printf("peak RSS %.0f MiB, peak heap %.0f MiB%n", BenchStats.peakRssMiB(), BenchStats.peakHeapMiB());
  }

  private ObjectNode report(CaptionModel model, Captioner captioner, List<String> names, List<BenchStats> stats,
      double loadMs) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("modelDir", modelDir.toString());
    o.put("modelId", model.modelId());
    o.put("variant", variant);
    o.put("ortVersion", OrtEnvironment.getEnvironment().getVersion());
    o.put("java", System.getProperty("java.version"));
    o.put("cpus", Runtime.getRuntime().availableProcessors());
    o.put("workers", workers);
    o.put("threads", threads);
    o.put("lastPositionLogits", captioner.lastPositionLogits());
    o.put("signedWeightTensors", captioner.signedWeightTensors());
    o.put("runs", runs);
    o.put("warmup", warmup);
    o.put("maxNewTokens", maxNewTokens);
    o.put("modelLoadMs", CaptionCommand.round(loadMs));
    o.put("layers", captioner.contract().layers());
    ArrayNode imgs = o.putArray("images");
    names.forEach(imgs::add);
    ArrayNode configs = o.putArray("configurations");
    for (BenchStats s : stats) {
      configs.add(s.toJson());
    }
    if (stats.size() > 1) {
      ArrayNode ratios = o.putArray("ratios");
      for (int i = 1; i < stats.size(); i++) {
        ObjectNode r = ratios.addObject();
        r.put("of", stats.get(0).name);
        r.put("to", stats.get(i).name);
        for (String k : List.of(BenchStats.TOTAL, BenchStats.VISION, BenchStats.PREFILL, BenchStats.FIRST)) {
          r.put(k, CaptionCommand.round(stats.get(0).stat(k, true) / stats.get(i).stat(k, true)));
        }
      }
    }
    o.put("peakRssMiB", CaptionCommand.round(BenchStats.peakRssMiB()));
    o.put("peakHeapMiB", CaptionCommand.round(BenchStats.peakHeapMiB()));
    return o;
  }
}
