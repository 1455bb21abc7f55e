package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The op histogram of a graph as ONNX Runtime optimises it (ALL level, as the engine opens it): the session writes
 * its optimised model ({@code SessionOptions.setOptimizedModelFilePath}, weights to a side file) and its nodes are
 * counted by op type. Run as a program to print every graph and variant of a model folder:
 * {@code OptimisedGraphOps MODEL_DIR [variant...]} (a Markdown table per graph).
 */
final class OptimisedGraphOps {

  private OptimisedGraphOps() {}

  /** Op type → count in the optimised graph of {@code onnx}; contrib ops are prefixed {@code com.microsoft.}. */
  static Map<String, Integer> histogram(Path onnx, Path work) throws OrtException, IOException {
    Files.createDirectories(work);
    Path optimised = work.resolve("optimised-" + onnx.getFileName());
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setOptimizedModelFilePath(optimised.toString());
      o.addConfigEntry("session.optimized_model_external_initializers_file_name",
          optimised.getFileName() + ".data");
      o.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
      try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), o)) {
        s.getInputNames();
      }
    }
    ModelProto model;
    try (InputStream in = Files.newInputStream(optimised)) {
      model = ModelProto.parseFrom(in);
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (NodeProto n : model.getGraph().getNodeList()) {
      String name = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType()
          : n.getDomain() + "." + n.getOpType();
      counts.merge(name, 1, Integer::sum);
    }
    Files.deleteIfExists(optimised);
    Files.deleteIfExists(optimised.resolveSibling(optimised.getFileName() + ".data"));
    return counts;
  }

  /** Prints one Markdown line per graph and variant: {@code | graph | variant | nodes | op counts |}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path work = Files.createTempDirectory("optimised-ops");
    System.out.println("| graph | variant | nodes | optimised graph's ops (count) |");
    System.out.println("|---|---|---:|---|");
    for (HubGraph g : HubGraph.values()) {
      for (HubVariant v : HubVariant.values()) {
        if (args.length > 1 && Arrays.stream(args).skip(1).noneMatch(v.id()::equals)) {
          continue;
        }
        Path onnx = dir.resolve("onnx").resolve(g.fileName(v));
        if (!Files.isRegularFile(onnx)) {
          continue;
        }
        Map<String, Integer> h = histogram(onnx, work);
        StringBuilder ops = new StringBuilder();
        h.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
            .forEach(e -> ops.append(ops.isEmpty() ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()));
        System.out.printf("| %s | %s | %d | %s |%n", g.baseName(), v.id(),
            h.values().stream().mapToInt(Integer::intValue).sum(), ops);
      }
    }
  }
}
