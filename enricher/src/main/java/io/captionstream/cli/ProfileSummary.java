package io.captionstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the per-op profiles ORT wrote into a folder ({@code enableProfiling}: a JSON array of trace events, one
 * {@code cat: "Node"} event per kernel run with {@code args.op_name} and {@code dur} in microseconds) and sums kernel
 * time by op type per graph: what bounds each stage.
 */
final class ProfileSummary {

  private static final int TOP = 8;

  private ProfileSummary() {}

  /** Prints the top op types of each profile in {@code dir} and returns the same as JSON. */
  static ArrayNode summarize(Path dir, PrintWriter out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ArrayNode all = json.createArrayNode();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    for (Path f : files) {
      Map<String, long[]> byOp = new LinkedHashMap<>();
      long total = 0;
      for (JsonNode e : json.readTree(f.toFile())) {
        if (!"Node".equals(e.path("cat").asText()) || !e.path("name").asText().endsWith("_kernel_time")) {
          continue;
        }
        long dur = e.path("dur").asLong();
        long[] v = byOp.computeIfAbsent(e.path("args").path("op_name").asText("?"), k -> new long[2]);
        v[0] += dur;
        v[1]++;
        total += dur;
      }
      List<Map.Entry<String, long[]>> ops = new ArrayList<>(byOp.entrySet());
      ops.sort(Comparator.comparingLong((Map.Entry<String, long[]> x) -> x.getValue()[0]).reversed());
      out.printf("profile %s: %.0f ms of kernel time%n", f.getFileName(), total / 1000.0);
      ObjectNode o = all.addObject();
      o.put("file", f.getFileName().toString());
      o.put("kernelMs", CaptionCommand.round(total / 1000.0));
      ArrayNode top = o.putArray("ops");
      for (Map.Entry<String, long[]> op : ops.subList(0, Math.min(TOP, ops.size()))) {
        double share = total > 0 ? 100.0 * op.getValue()[0] / total : 0;
        out.printf("  %-32s %10.1f ms %6.1f %% %8d runs%n", op.getKey(), op.getValue()[0] / 1000.0, share,
            op.getValue()[1]);
        ObjectNode r = top.addObject();
        r.put("op", op.getKey());
        r.put("ms", CaptionCommand.round(op.getValue()[0] / 1000.0));
        r.put("percent", CaptionCommand.round(share));
      }
    }
    return all;
  }
}
