package io.captionstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.EngineTimings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Timings of one configuration across runs. */
final class BenchStats {
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
  final Map<String, List<Double>> samples = new LinkedHashMap<>();
  int tiles;
  int promptTokens;
  int generated;
  int rows;
  int cols;
  long[] tokenIds = new long[0];
  /** Images captioned and wall time of the measured rounds (all workers together). */
  long images;
  double wallMs;

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
    tokenIds = r.tokenIds();
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

  /** The largest ({@code max}) or smallest sample of {@code key}, NaN without samples. */
  double extreme(String key, boolean max) {
    DoubleSummaryStatistics v =
        samples.get(key).stream().mapToDouble(Double::doubleValue).summaryStatistics();
    return v.getCount() == 0 ? Double.NaN : max ? v.getMax() : v.getMin();
  }

  /** One measured round: {@code n} images captioned by all workers together in {@code ms} of wall time. */
  void addRound(int n, double ms) {
    images += n;
    wallMs += ms;
  }

  /** Images per second over the measured rounds, all workers together. */
  double imagesPerSecond() {
    return wallMs > 0 ? images / (wallMs / 1000.0) : Double.NaN;
  }

  ObjectNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("name", name);
    o.put("imagesPerSecond", CaptionCommand.round(imagesPerSecond()));
    o.put("tiles", tiles);
    o.put("rows", rows);
    o.put("cols", cols);
    o.put("promptTokens", promptTokens);
    o.put("generatedTokens", generated);
    o.put("samples", samples.get(TOTAL).size());
    ArrayNode ids = o.putArray("tokenIds");
    for (long id : tokenIds) {
      ids.add(id);
    }
    ObjectNode med = o.putObject("median");
    ObjectNode p90 = o.putObject("p90");
    ObjectNode min = o.putObject("min");
    ObjectNode max = o.putObject("max");
    for (String k : KEYS) {
      med.put(k, CaptionCommand.round(stat(k, true)));
      p90.put(k, CaptionCommand.round(stat(k, false)));
      min.put(k, CaptionCommand.round(extreme(k, false)));
      max.put(k, CaptionCommand.round(extreme(k, true)));
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
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / (1024.0 * 1024.0);
  }
}
