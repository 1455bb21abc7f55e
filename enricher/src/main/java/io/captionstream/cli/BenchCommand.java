package io.captionstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.Captioner;
import io.captionstream.generate.EngineSettings;
import io.captionstream.generate.EngineTimings;
import io.captionstream.image.SamplePictures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures the engine on one worker: every configuration (e.g. {@code --longest-edge 2048,512}) runs in the same
 * process, interleaved run by run, so their ratios are measured under the same conditions. Prints a table of per-stage
 * medians and p90s, tokens/s, tiles and peak memory, then the same as one JSON object.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks the engine on a model folder.")
public final class BenchCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "Local model folder.") Path modelDir;

  @Option(names = "--variant", defaultValue = "fp32",
      description = "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4 (default ${DEFAULT-VALUE}).")
  String variant;

  @Option(names = "--images", arity = "1..*", paramLabel = "IMAGE",
      description = "Images to caption (default: one generated 1024x1024 test picture).")
  List<Path> images = new ArrayList<>();

  @Option(names = "--runs", defaultValue = "5", description = "Measured runs per configuration (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", defaultValue = "1", description = "Unmeasured warm-up runs per configuration (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--intra-op-threads", defaultValue = "1", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).") int threads;

  @Option(names = "--threads", hidden = true, description = "Old spelling of --intra-op-threads.") void legacyThreads(int n) {
    threads = n;
  }

  @Option(names = "--vision-tiles-per-run", defaultValue = "1",
      description = "Tiles per vision encoder run, 0 = all at once (default ${DEFAULT-VALUE}).")
  int visionTilesPerRun;

  @Option(names = "--longest-edge", split = ",", paramLabel = "PX",
      description = "One configuration per value, e.g. 2048,512 (default: the model's own).")
  List<Integer> longestEdges = new ArrayList<>();

  @Option(names = "--no-split", description = "Do not split the image into tiles (one global tile).") boolean noSplit;

  @Option(names = "--max-new-tokens", defaultValue = "32", description = "Cap on generated tokens (default ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--prompt", paramLabel = "TEXT", description = "The question (default: \""
      + CaptionOptions.DEFAULT_PROMPT + "\").")
  String prompt;

  @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the JSON report to FILE.")
  Path jsonOut;

  @Override
  public Integer call() throws IOException {
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
    List<Integer> edges = longestEdges.isEmpty() ? java.util.Collections.singletonList(null) : longestEdges;
    List<BenchStats> stats = new ArrayList<>();
    long loadStart = System.nanoTime();
    try (CaptionModel model = CaptionModel.load(modelDir, variant);
        Captioner captioner = model.newCaptioner(EngineSettings.threads(threads).withVisionTilesPerRun(visionTilesPerRun))) {
      double loadMs = (System.nanoTime() - loadStart) / 1e6;
      List<CaptionOptions> configs = new ArrayList<>();
      for (Integer edge : edges) {
        configs.add(CaptionOptions.defaults().withPrompt(prompt).withMaxNewTokens(maxNewTokens)
            .withLongestEdge(edge).withSplit(noSplit ? Boolean.FALSE : null));
        stats.add(new BenchStats(edge == null ? "model default" : "longest edge " + edge));
      }
      for (int run = 0; run < warmup + runs; run++) {
        for (int c = 0; c < configs.size(); c++) {
          for (byte[] image : inputs) {
            CaptionResult r = captioner.caption(image, configs.get(c));
            if (run >= warmup) {
              stats.get(c).add(r);
            }
          }
        }
      }
      printTable(out, stats, loadMs);
      ObjectNode report = report(model, captioner, names, stats, loadMs);
      ObjectMapper mapper = new ObjectMapper();
      out.println(mapper.writeValueAsString(report));
      if (jsonOut != null) {
        Files.writeString(jsonOut, mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
      }
    }
    return 0;
  }

  private void printTable(PrintWriter out, List<BenchStats> stats, double loadMs) {
    out.printf("bench: %s (%s), %d thread(s), %s tile(s) per vision run, %d warmup + %d runs, max %d new tokens; "
        + "model load %.0f ms%n", modelDir, variant, threads, visionTilesPerRun == 0 ? "all" : visionTilesPerRun,
        warmup, runs, maxNewTokens, loadMs);
    out.printf("%-22s %6s %7s %9s %9s %9s %9s %9s %9s %9s %9s %8s %8s%n", "configuration", "tiles", "prompt",
        "decode", "preproc", "vision", "prefill", "1st tok", "loop", "total", "ms/step", "tok/s", "gen");
    for (BenchStats s : stats) {
      for (String q : List.of("median", "p90")) {
        boolean med = q.equals("median");
        out.printf("%-22s %6s %7s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.2f %8.1f %8s%n",
            med ? s.name : "  p90", med ? String.valueOf(s.tiles) : "", med ? String.valueOf(s.promptTokens) : "",
            s.stat(BenchStats.DECODE, med), s.stat(BenchStats.PREPROCESS, med), s.stat(BenchStats.VISION, med),
            s.stat(BenchStats.PREFILL, med), s.stat(BenchStats.FIRST, med), s.stat(BenchStats.LOOP, med),
            s.stat(BenchStats.TOTAL, med), s.stat(BenchStats.STEP, med), s.stat(BenchStats.TPS, med),
            med ? String.valueOf(s.generated) : "");
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
    o.put("ortVersion", ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
    o.put("java", System.getProperty("java.version"));
    o.put("cpus", Runtime.getRuntime().availableProcessors());
    o.put("threads", threads);
    o.put("visionTilesPerRun", visionTilesPerRun);
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

  /** Timings of one configuration across runs. */
  static final class BenchStats {
    static final String DECODE = "decode";
    static final String PREPROCESS = "preprocess";
    static final String VISION = "vision";
    static final String PREFILL = "prefill";
    static final String FIRST = "firstToken";
    static final String LOOP = "decodeLoop";
    static final String TOTAL = "total";
    static final String STEP = "msPerDecodeStep";
    static final String TPS = "tokensPerSecond";
    static final List<String> KEYS = List.of(DECODE, PREPROCESS, VISION, PREFILL, FIRST, LOOP, TOTAL, STEP, TPS);

    final String name;
    final java.util.Map<String, List<Double>> samples = new java.util.LinkedHashMap<>();
    int tiles;
    int promptTokens;
    int generated;
    int rows;
    int cols;

    BenchStats(String name) {
      this.name = name;
      KEYS.forEach(k -> samples.put(k, new ArrayList<>()));
    }

    void add(CaptionResult r) {
      EngineTimings t = r.timings();
      samples.get(DECODE).add(t.decode());
      samples.get(PREPROCESS).add(t.preprocess());
      samples.get(VISION).add(t.vision());
      samples.get(PREFILL).add(t.prefill());
      samples.get(FIRST).add(t.firstToken());
      samples.get(LOOP).add(t.decodeLoop());
      samples.get(TOTAL).add(t.total());
      samples.get(STEP).add(r.generatedTokens() > 1 ? t.decodeLoop() / (r.generatedTokens() - 1) : 0.0);
      samples.get(TPS).add(r.tokensPerSecond());
      tiles = r.tiles();
      promptTokens = r.promptTokens();
      generated = r.generatedTokens();
      rows = r.rows();
      cols = r.cols();
    }


    double stat(String key, boolean median) {
      List<Double> v = new ArrayList<>(samples.get(key));
      if (v.isEmpty()) {
        return Double.NaN;
      }
      v.sort(null);
      if (median) {
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
      }
      int idx = (int) Math.ceil(0.9 * v.size()) - 1;
      return v.get(Math.max(0, idx));
    }

    ObjectNode toJson() {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("name", name);
      o.put("tiles", tiles);
      o.put("rows", rows);
      o.put("cols", cols);
      o.put("promptTokens", promptTokens);
      o.put("generatedTokens", generated);
      o.put("samples", samples.get(TOTAL).size());
      ObjectNode med = o.putObject("median");
      ObjectNode p90 = o.putObject("p90");
      for (String k : KEYS) {
        med.put(k, CaptionCommand.round(stat(k, true)));
        p90.put(k, CaptionCommand.round(stat(k, false)));
      }
      return o;
    }

    /** Peak resident set size of this process (Linux {@code VmHWM}), NaN elsewhere. */
    static double peakRssMiB() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
          }
        }
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
      return Double.NaN;
    }

    /** Sum of the peak usage of the heap memory pools. */
    static double peakHeapMiB() {
      long sum = 0;
      for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP) {
          sum += pool.getPeakUsage().getUsed();
        }
      }
      return sum / (1024.0 * 1024.0);
    }
  }
}
