package io.captionstream.generate;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A load-time rewrite of the decoder so that the prefill computes logits for the last position only: the lm head's
 * activation input {@code [batch, seq, hidden]} is sliced to its last row ({@code Slice starts=-1 axes=1}) right before
 * the lm head; the rest of the graph is unchanged and {@code logits} becomes {@code [batch, 1, vocab]}. The lm head is
 * found by walking back from {@code logits} through element-wise ops with constant other operands (bias, scale, cast)
 * to a {@code MatMul}, {@code MatMulNBits} or {@code MatMulBnb4} whose weights are constant: per-row operations only,
 * so the last row's values are the same computation. Anything else (dynamic quantisation before the head, whose scale
 * spans all positions; a head inside a subgraph; shared intermediate tensors; an old opset) leaves the graph as it is.
 * The file is scanned and copied by byte ranges, so inline weights never enter the heap: a graph with external data
 * (small) is rewritten in memory and loaded with its original folder as the external data folder; a large graph
 * with inline weights is copied to a temporary file, deleted once the session has loaded it.
 */
final class LmHeadSlice {

  private static final Set<String> PER_ROW = Set.of("Identity", "Cast", "Add", "Mul", "Sub", "Div");
  private static final Set<String> HEADS = Set.of("MatMul", "MatMulNBits", "MatMulBnb4");
  private static final String PREFIX = "captionstream_last_position/";

  /** Graphs up to this size are rewritten in memory (their weights are external data); larger ones to a file. */
  private static final long IN_MEMORY_BYTES = 64L << 20;

  /**
   * The outcome: the rewritten graph (bytes, or a temporary file for a graph with inline weights), or why the graph
   * was left as it is.
   */
  record Outcome(byte[] bytes, TemporaryGraph file, String skipped) {

    /**
     * Creates the session of the rewritten graph. In-memory bytes find their external data in the original graph's
     * folder ({@code session.model_external_initializers_file_folder_path}); a temporary file is deleted once loaded.
     */
    OrtSession open(OrtEnvironment env, OrtSession.SessionOptions options, Path originalFolder) throws OrtException {
      if (bytes != null) {
        options.addConfigEntry("session.model_external_initializers_file_folder_path",
            originalFolder.toAbsolutePath().toString());
        return env.createSession(bytes, options);
      }
      return file.load(env, options);
    }

    /** Deletes the temporary file, if any. */
    void discard() {
      if (file != null) {
        file.delete();
      }
    }
  }

  private LmHeadSlice() {}

  static Outcome rewrite(Path decoder) {
    try (FileChannel in = FileChannel.open(decoder, StandardOpenOption.READ)) {
      OnnxWire wire = new OnnxWire(in);
      List<OnnxWire.Field> model = wire.fields(0, in.size());
      List<OnnxWire.Field> graphs = model.stream().filter(f -> f.number() == OnnxWire.MODEL_GRAPH).toList();
      if (graphs.size() != 1) {
        return skip("the model holds " + graphs.size() + " graphs");
      }
      if (!opsetAtLeast13(wire, model)) {
        return skip("the default opset is older than 13");
      }
      Plan plan = plan(wire, wire.fields(graphs.get(0).payloadStart(), graphs.get(0).end()));
      if (plan.skipped != null) {
        return skip(plan.skipped);
      }
      if (in.size() <= IN_MEMORY_BYTES) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.toIntExact(in.size()) + 4096);
        write(wire, model, graphs.get(0), plan, Channels.newChannel(bytes));
        return new Outcome(bytes.toByteArray(), null, null);
      }
      Path file = Files.createTempFile("captionstream-decoder-", ".onnx");
      try (FileChannel target = FileChannel.open(file, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        write(wire, model, graphs.get(0), plan, target);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(file);
        throw e;
      }
      return new Outcome(null, new TemporaryGraph(file, false), null);
    } catch (IOException | RuntimeException e) {
      return skip("cannot rewrite " + decoder.getFileName() + ": " + e);
    }
  }

  private static Outcome skip(String why) {
    return new Outcome(null, null, why);
  }

  private static boolean opsetAtLeast13(OnnxWire wire, List<OnnxWire.Field> model) throws IOException {
    for (OnnxWire.Field f : model) {
      if (f.number() == OnnxWire.MODEL_OPSET_IMPORT) {
        OperatorSetIdProto op = OperatorSetIdProto.parseFrom(wire.payload(f));
        if (op.getDomain().isEmpty() || op.getDomain().equals("ai.onnx")) {
          return op.getVersion() >= 13;
        }
      }
    }
    return false;
  }

  /** What to change: the head node's field, its replacement, and the logits output's field and replacement. */
  private static final class Plan {
    String skipped;
    OnnxWire.Field headField;
    NodeProto slice;
    NodeProto head;
    OnnxWire.Field logitsField;
    ValueInfoProto logits;
  }

  private static Plan plan(OnnxWire wire, List<OnnxWire.Field> graph) throws IOException {
    Plan plan = new Plan();
    List<NodeProto> nodes = new ArrayList<>();
    List<OnnxWire.Field> nodeFields = new ArrayList<>();
    Set<String> inputs = new HashSet<>();
    Map<String, Integer> outputs = new HashMap<>();
    for (OnnxWire.Field f : graph) {
      switch (f.number()) {
        case OnnxWire.GRAPH_NODE -> {
          nodes.add(NodeProto.parseFrom(wire.payload(f)));
          nodeFields.add(f);
        }
        case OnnxWire.GRAPH_INPUT -> inputs.add(ValueInfoProto.parseFrom(wire.payload(f)).getName());
        case OnnxWire.GRAPH_OUTPUT -> {
          ValueInfoProto v = ValueInfoProto.parseFrom(wire.payload(f));
          outputs.merge(v.getName(), 1, Integer::sum);
          if (v.getName().equals(GraphContract.LOGITS)) {
            plan.logitsField = f;
            plan.logits = v;
          }
        }
        default -> { }
      }
    }
    if (plan.logits == null || plan.logits.getType().getTensorType().getShape().getDimCount() != 3) {
      plan.skipped = "no rank-3 logits output";
      return plan;
    }
    Map<String, Integer> producer = new HashMap<>();
    Map<String, Integer> consumers = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (String o : nodes.get(i).getOutputList()) {
        producer.put(o, i);
      }
      for (String x : nodes.get(i).getInputList()) {
        consumers.merge(x, 1, Integer::sum);
      }
    }
    DynamicTensors dynamic = DynamicTensors.of(nodes, inputs);
    String tensor = GraphContract.LOGITS;
    Integer at = producer.get(tensor);
    while (at != null && PER_ROW.contains(nodes.get(at).getOpType())) {
      String only = dynamic.onlyDynamicInput(nodes.get(at));
      if (only == null || consumers.getOrDefault(only, 0) != 1 || outputs.containsKey(only)) {
        plan.skipped = nodes.get(at).getOpType() + " node " + nodes.get(at).getName() + " before the logits is not a "
            + "per-row op on one activation";
        return plan;
      }
      tensor = only;
      at = producer.get(tensor);
    }
    if (at == null || !HEADS.contains(nodes.get(at).getOpType())) {
      plan.skipped = "the logits do not come from a MatMul/MatMulNBits/MatMulBnb4 lm head ("
          + (at == null ? "no producer" : nodes.get(at).getOpType()) + ")";
      return plan;
    }
    NodeProto head = nodes.get(at);
    String activation = head.getInput(0);
    if (!dynamic.contains(activation) || !dynamic.onlyDynamicInputIs(head, 0)) {
      plan.skipped = "the lm head's weights are not constant";
      return plan;
    }
    String last = PREFIX + activation;
    plan.slice = NodeProto.newBuilder().setOpType("Slice").setName(PREFIX + "slice")
        .addInput(activation).addInput(PREFIX + "starts").addInput(PREFIX + "ends").addInput(PREFIX + "axes")
        .addOutput(last).build();
    plan.head = head.toBuilder().setInput(0, last).build();
    plan.headField = nodeFields.get(at);
    ValueInfoProto.Builder v = plan.logits.toBuilder();
    v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
        .setDim(1, TensorShapeProto.Dimension.newBuilder().setDimValue(1));
    plan.logits = v.build();
    return plan;
  }

  private static void write(OnnxWire wire, List<OnnxWire.Field> model, OnnxWire.Field graphField, Plan plan,
      WritableByteChannel target) throws IOException {
    List<OnnxWire.Field> graph = wire.fields(graphField.payloadStart(), graphField.end());
    byte[] sliceNode = field(OnnxWire.GRAPH_NODE, plan.slice.toByteArray());
    byte[] headNode = field(OnnxWire.GRAPH_NODE, plan.head.toByteArray());
    byte[] logits = field(OnnxWire.GRAPH_OUTPUT, plan.logits.toByteArray());
    byte[] constants = new byte[0];
    for (String[] c : new String[][] {{"starts", "-1"}, {"ends", String.valueOf(Long.MAX_VALUE)}, {"axes", "1"}}) {
      TensorProto t = TensorProto.newBuilder().setName(PREFIX + c[0]).setDataType(TensorProto.DataType.INT64_VALUE)
          .addDims(1).addInt64Data(Long.parseLong(c[1])).build();
      constants = concat(constants, field(OnnxWire.GRAPH_INITIALIZER, t.toByteArray()));
    }
    long length = graphField.payloadLength() - plan.headField.end() + plan.headField.start() + sliceNode.length
        + headNode.length - plan.logitsField.end() + plan.logitsField.start() + logits.length + constants.length;
    for (OnnxWire.Field f : model) {
      if (f != graphField) {
        wire.copy(f.start(), f.end(), target);
        continue;
      }
      put(target, OnnxWire.header(OnnxWire.MODEL_GRAPH, length));
      for (OnnxWire.Field g : graph) {
        if (g.start() == plan.headField.start()) {
          put(target, sliceNode);
          put(target, headNode);
        } else if (g.start() == plan.logitsField.start()) {
          put(target, logits);
        } else {
          wire.copy(g.start(), g.end(), target);
        }
      }
      put(target, constants);
    }
  }

  private static void put(WritableByteChannel target, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      target.write(b);
    }
  }

  private static byte[] field(int number, byte[] payload) {
    return concat(OnnxWire.header(number, payload.length), payload);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
