package io.captionstream.generate;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.captionstream.model.GraphContract;
import io.captionstream.model.GraphFiles;
import io.captionstream.model.OnnxGraph;
import io.captionstream.parity.NodeOracle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs each graph of a selection ALONE on identical inputs under ORT Java and under onnxruntime-node
 * ({@code parity/graph.mjs}) and compares the output bytes: a graph whose outputs differ shows that the two runtimes'
 * kernels differ for that file, independently of the engine around the graphs. The decoder is compared on a prefill
 * (the dump's prompt embedded by the selected embedder, empty cache).
 */
final class RuntimeComparison {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** The first output of a graph whose bytes differ, and its largest absolute difference. */
  record Difference(String output, float maxAbs) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s max |Δ| %.3g", output, maxAbs);
    }
  }

  private final NodeOracle node;

  RuntimeComparison(NodeOracle node) {
    this.node = node;
  }

  /** The graphs of {@code files} whose outputs differ between the runtimes: the first differing output, max |Δ|. */
  Map<OnnxGraph, Difference> differingGraphs(SessionSet s, GraphFiles files, Path dump, Path work)
      throws IOException, InterruptedException, OrtException {
    Files.createDirectories(work);
    Map<OnnxGraph, Difference> differing = new LinkedHashMap<>();
    Map<String, Path> visionIn = Map.of(GraphContract.PIXEL_VALUES, dump.resolve("pixel_values.npy"),
        GraphContract.PIXEL_ATTENTION_MASK, dump.resolve("pixel_attention_mask.npy"));
    compare(OnnxGraph.VISION_ENCODER, s.vision(), files, visionIn, Map.of(), work, differing);
    Map<String, Path> embedIn = Map.of(GraphContract.INPUT_IDS, dump.resolve("input_ids.npy"));
    compare(OnnxGraph.EMBED_TOKENS, s.embed(), files, embedIn, Map.of(), work, differing);

    long[] ids = NpyReader.read(dump.resolve("input_ids.npy")).asInt64();
    int n = ids.length;
    GraphContract c = s.contract();
    Path embeds = work.resolve("inputs_embeds.npy");
    try (OnnxTensor t = OnnxTensor.createTensor(s.env(), LongBuffer.wrap(ids), new long[] {1, n});
        OrtSession.Result r = s.embed().run(Map.of(GraphContract.INPUT_IDS, t))) {
      NpyWriter.writeFloat32(embeds, ((OnnxTensor) r.get(0)).getFloatBuffer(), new long[] {1, n, c.hidden()});
    }
    long[] ones = new long[n];
    Arrays.fill(ones, 1);
    long[] positions = new long[n];
    Arrays.setAll(positions, i -> i);
    Path mask = work.resolve("attention_mask.npy");
    Path pos = work.resolve("position_ids.npy");
    NpyWriter.writeInt64(mask, ones, new long[] {1, n});
    NpyWriter.writeInt64(pos, positions, new long[] {1, n});
    Map<String, Path> decoderIn = Map.of(GraphContract.INPUTS_EMBEDS, embeds, GraphContract.ATTENTION_MASK, mask,
        GraphContract.POSITION_IDS, pos);
    Map<String, Object> empty = new LinkedHashMap<>();
    List<String> past = new ArrayList<>(c.pastKeys());
    past.addAll(c.pastValues());
    for (String name : past) {
      empty.put(name, Map.of("type", c.kvType() == OnnxJavaType.FLOAT16 ? "float16" : "float32",
          "dims", List.of(1, c.kvHeads(), 0, c.headDim())));
    }
    compare(OnnxGraph.DECODER, s.decoder(), files, decoderIn, empty, work, differing);
    return differing;
  }

  private void compare(OnnxGraph graph, OrtSession session, GraphFiles files, Map<String, Path> inputs,
      Map<String, Object> empty, Path work, Map<OnnxGraph, Difference> differing)
      throws IOException, InterruptedException, OrtException {
    Path out = work.resolve("node-" + graph.key());
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("onnx", files.of(graph).onnx().toAbsolutePath().toString());
    Map<String, String> in = new LinkedHashMap<>();
    inputs.forEach((k, v) -> in.put(k, v.toAbsolutePath().toString()));
    request.put("inputs", in);
    request.put("empty", empty);
    request.put("out", out.toAbsolutePath().toString());
    JsonNode answer = node.run("graph.mjs", request, 300);

    List<OnnxTensor> owned = new ArrayList<>();
    Map<String, OnnxTensorLike> feed = new HashMap<>();
    try {
      for (Map.Entry<String, Path> e : inputs.entrySet()) {
        NpyReader.Array a = NpyReader.read(e.getValue());
        OnnxJavaType type = switch (a.descr()) {
          case "<f4" -> OnnxJavaType.FLOAT;
          case "<i8" -> OnnxJavaType.INT64;
          case "|b1" -> OnnxJavaType.BOOL;
          default -> throw new IOException("unsupported " + a.descr());
        };
        OnnxTensor t = OnnxTensor.createTensor(ENV, direct(a.data()), a.shape(), type);
        owned.add(t);
        feed.put(e.getKey(), t);
      }
      for (String name : empty.keySet()) {
        OnnxJavaType type = ((TensorInfo) session.getInputInfo().get(name).getInfo()).type;
        long[] dims = ((List<?>) ((Map<?, ?>) empty.get(name)).get("dims")).stream()
            .mapToLong(x -> ((Number) x).longValue()).toArray();
        OnnxTensor t = OnnxTensor.createTensor(ENV, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()), dims,
            type);
        owned.add(t);
        feed.put(name, t);
      }
      try (OrtSession.Result r = session.run(feed)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          JsonNode o = answer.path("outputs").path(e.getKey());
          ByteBuffer theirs = NpyReader.read(Path.of(o.path("file").asText())).data();
          ByteBuffer ours = ((OnnxTensor) e.getValue()).getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
          if (!ours.equals(theirs.order(ByteOrder.LITTLE_ENDIAN))) {
            float[] a = StepLogits.floats(e.getValue());
            float[] b = half(theirs, a.length, ((OnnxTensor) e.getValue()).getInfo().type == OnnxJavaType.FLOAT16);
            float max = 0;
            for (int i = 0; i < a.length; i++) {
              max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            differing.putIfAbsent(graph, new Difference(e.getKey(), max));
          }
        }
      }
    } finally {
      owned.forEach(OnnxTensor::close);
    }
  }

  private static float[] half(ByteBuffer data, int n, boolean half) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = half ? Float.float16ToFloat(b.getShort(2 * i)) : b.getFloat(4 * i);
    }
    return out;
  }

  private static ByteBuffer direct(ByteBuffer data) {
    ByteBuffer d = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
    d.put(data.duplicate());
    d.flip();
    return d;
  }
}
