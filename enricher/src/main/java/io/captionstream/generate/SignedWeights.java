package io.captionstream.generate;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A load-time rewrite of 8-bit graphs whose {@code MatMulInteger} weights are unsigned (the hub's 8-bit vision
 * encoders, and the {@code _uint8} decoder): every such weight and its zero point become int8 by subtracting 128
 * from both ({@code v ^ 0x80}, type UINT8 → INT8). {@code MatMulInteger} multiplies {@code (a − a_zp)(b − b_zp)}, and
 * {@code b − b_zp} is unchanged, so every integer product and every float output is the same; what changes is the
 * kernel: ONNX Runtime's x86 int8 GEMM runs unsigned × signed with VNNI ({@code vpdpbusd}) but unsigned × unsigned
 * with 16-bit multiplies, at about fp32's speed. Only worth it, and only exact, where the CPU has VNNI (without it the
 * unsigned × signed kernel sums pairs with 16-bit saturation): see {@link CpuFlags#int8DotProduct}.
 *
 * <p>The rewrite touches nothing but those tensors' type byte and data, in a copy of the graph and its external data
 * files (a temporary folder, deleted once the session has loaded it). A weight or zero point used anywhere else than
 * as a {@code MatMulInteger} weight or weight zero point, or a weight without a zero point, stays as it is; so does a
 * graph with subgraphs or with external data outside its folder.
 */
final class SignedWeights {

  private static final int TENSOR_DATA_TYPE = 2;
  private static final int TENSOR_INT32_DATA = 5;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_RAW_DATA = 9;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final String OP = "MatMulInteger";
  private static final int WEIGHT = 1;
  private static final int WEIGHT_ZERO_POINT = 3;

  /**
   * The rewritten copy (in a temporary folder with copies of its external data files) and how many tensors it
   * changed, or why the graph was left as it is.
   */
  record Outcome(TemporaryGraph copy, int tensors, String skipped, boolean failed) { }

  /**
   * Where an unsigned initializer's type byte lies in the graph file, and its data: in the graph file
   * ({@code location} null) or in an external data file of the graph's folder, {@code [start, end)}.
   */
  private record Stored(long typeByte, String location, long dataStart, long dataEnd) { }

  /** The graph's unsigned raw-data initializers by name, and every external data file its initializers use. */
  private record Initializers(Map<String, Stored> unsigned, Set<String> externalFiles) { }

  private SignedWeights() {}

  static Outcome rewrite(Path graph) {
    try (FileChannel in = FileChannel.open(graph, StandardOpenOption.READ)) {
      OnnxWire wire = new OnnxWire(in);
      List<OnnxWire.Field> graphs = wire.fields(0, in.size()).stream()
          .filter(f -> f.number() == OnnxWire.MODEL_GRAPH).toList();
      if (graphs.size() != 1) {
        return skip("the model holds " + graphs.size() + " graphs");
      }
      Initializers tensors = new Initializers(new HashMap<>(), new HashSet<>());
      Set<String> kept = new HashSet<>();
      Map<String, Long> declared = new HashMap<>();
      List<NodeProto> nodes = new ArrayList<>();
      for (OnnxWire.Field f : wire.fields(graphs.get(0).payloadStart(), graphs.get(0).end())) {
        switch (f.number()) {
          case OnnxWire.GRAPH_NODE -> nodes.add(NodeProto.parseFrom(wire.payload(f)));
          case OnnxWire.GRAPH_INITIALIZER -> initializer(wire, f, tensors);
          case OnnxWire.GRAPH_INPUT, OnnxWire.GRAPH_OUTPUT ->
              kept.add(ValueInfoProto.parseFrom(wire.payload(f)).getName());
          case OnnxWire.GRAPH_VALUE_INFO -> declaredUint8(wire, f, declared);
          default -> { }
        }
      }
      if (nodes.stream().flatMap(n -> n.getAttributeList().stream()).anyMatch(SignedWeights::holdsGraphs)) {
        return skip("the graph has subgraphs");
      }
      if (!tensors.externalFiles().stream().allMatch(SignedWeights::plainFileName)) {
        return skip("external data outside the graph's folder");
      }
      Set<String> flip = flippable(nodes, tensors.unsigned().keySet(), kept);
      if (flip.isEmpty()) {
        return skip("no unsigned MatMulInteger weights");
      }
      Map<String, Long> retype = new HashMap<>(declared);
      retype.keySet().retainAll(flip);
      return new Outcome(new TemporaryGraph(writeCopy(graph, tensors, flip, retype.values()), true), flip.size(),
          null, false);
    } catch (IOException | RuntimeException e) {
      return new Outcome(null, 0, "cannot rewrite " + graph.getFileName() + ": " + e, true);
    }
  }

  /**
   * Copies the graph and its external data files into a new temporary folder and flips {@code flip} there; the
   * bytes at {@code declarations} (value_info element types of flipped tensors) become INT8 too.
   */
  private static Path writeCopy(Path graph, Initializers tensors, Set<String> flip, Collection<Long> declarations)
      throws IOException {
    Path dir = Files.createTempDirectory("captionstream-signed-");
    Path copy = dir.resolve(graph.getFileName().toString());
    try {
      Files.copy(graph, copy);
      for (String data : tensors.externalFiles()) {
        Files.copy(graph.resolveSibling(data), dir.resolve(data));
      }
      Map<Path, FileChannel> open = new HashMap<>();
      try {
        FileChannel onnx = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE);
        open.put(copy, onnx);
        for (long at : declarations) {
          onnx.write(ByteBuffer.wrap(new byte[] {(byte) TensorProto.DataType.INT8_VALUE}), at);
        }
        for (String name : flip) {
          Stored t = tensors.unsigned().get(name);
          onnx.write(ByteBuffer.wrap(new byte[] {(byte) TensorProto.DataType.INT8_VALUE}), t.typeByte());
          Path target = t.location() == null ? copy : dir.resolve(t.location());
          FileChannel data = open.get(target);
          if (data == null) {
            data = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE);
            open.put(target, data);
          }
          flipSigns(data, t.dataStart(), t.dataEnd());
        }
      } finally {
        for (FileChannel c : open.values()) {
          c.close();
        }
      }
      return copy;
    } catch (IOException | RuntimeException e) {
      new TemporaryGraph(copy, true).delete();
      throw e;
    }
  }

  private static boolean plainFileName(String location) {
    return !location.isEmpty() && !location.equals("..") && !location.equals(".") && !location.contains("\\")
        && Path.of(location).getFileName().toString().equals(location);
  }

  private static Outcome skip(String why) {
    return new Outcome(null, 0, why, false);
  }

  /**
   * Records the external data file of initializer {@code f}, and the initializer itself when it is uint8 with raw
   * data (inline, or external with an offset and length).
   */
  private static void initializer(OnnxWire wire, OnnxWire.Field f, Initializers into) throws IOException {
    String name = null;
    long typeByte = -1;
    int types = 0;
    boolean isUint8 = false;
    boolean external = false;
    boolean typedData = false;
    OnnxWire.Field raw = null;
    Map<String, String> where = new HashMap<>();
    for (OnnxWire.Field t : wire.fields(f.payloadStart(), f.end())) {
      switch (t.number()) {
        case TENSOR_NAME -> name = new String(wire.payload(t), StandardCharsets.UTF_8);
        case TENSOR_DATA_TYPE -> {
          byte[] v = wire.payload(t);
          isUint8 = v.length == 1 && v[0] == TensorProto.DataType.UINT8_VALUE;
          typeByte = t.payloadStart();
          types++;
        }
        case TENSOR_RAW_DATA -> raw = t;
        case TENSOR_EXTERNAL_DATA -> {
          StringStringEntryProto e = StringStringEntryProto.parseFrom(wire.payload(t));
          where.put(e.getKey(), e.getValue());
        }
        case TENSOR_DATA_LOCATION -> external = wire.payload(t)[0] == TensorProto.DataLocation.EXTERNAL_VALUE;
        case TENSOR_INT32_DATA -> typedData = true;
        default -> { }
      }
    }
    String location = external ? where.get("location") : null;
    if (external && location != null) {
      into.externalFiles().add(location);
    }
    if (name == null || !isUint8 || types != 1 || typedData) {
      return;
    }
    if (!external && raw != null) {
      into.unsigned().put(name, new Stored(typeByte, null, raw.payloadStart(), raw.end()));
    } else if (external && location != null && where.containsKey("length")) {
      long offset = Long.parseLong(where.getOrDefault("offset", "0"));
      into.unsigned().put(name, new Stored(typeByte, location, offset,
          offset + Long.parseLong(where.get("length"))));
    }
  }

  /**
   * Records where a value_info entry declares a uint8 tensor type (ValueInfoProto.type → TypeProto.tensor_type →
   * elem_type): such a declaration of a flipped initializer must say int8 as well.
   */
  private static void declaredUint8(OnnxWire wire, OnnxWire.Field f, Map<String, Long> into) throws IOException {
    String name = null;
    Long at = null;
    for (OnnxWire.Field v : wire.fields(f.payloadStart(), f.end())) {
      if (v.number() == 1 && v.wireType() == 2) {
        name = new String(wire.payload(v), StandardCharsets.UTF_8);
      } else if (v.number() == 2 && v.wireType() == 2) {
        for (OnnxWire.Field type : wire.fields(v.payloadStart(), v.end())) {
          if (type.number() == 1 && type.wireType() == 2) {
            for (OnnxWire.Field t : wire.fields(type.payloadStart(), type.end())) {
              byte[] b = t.number() == 1 && t.wireType() == 0 ? wire.payload(t) : null;
              if (b != null && b.length == 1 && b[0] == TensorProto.DataType.UINT8_VALUE) {
                at = t.payloadStart();
              }
            }
          }
        }
      }
    }
    if (name != null && at != null) {
      into.put(name, at);
    }
  }

  private static boolean holdsGraphs(AttributeProto a) {
    return a.hasG() || a.getGraphsCount() > 0;
  }

  /**
   * The unsigned initializers used only as {@code MatMulInteger} weights or weight zero points, in pairs where both
   * qualify (a weight flips with its zero point or not at all).
   */
  static Set<String> flippable(List<NodeProto> nodes, Set<String> unsigned, Set<String> kept) {
    Set<String> flip = new HashSet<>(unsigned);
    flip.removeAll(kept);
    for (NodeProto n : nodes) {
      for (int i = 0; i < n.getInputCount(); i++) {
        boolean asWeight = n.getOpType().equals(OP) && (i == WEIGHT || i == WEIGHT_ZERO_POINT);
        if (!asWeight) {
          flip.remove(n.getInput(i));
        }
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (NodeProto n : nodes) {
        if (!n.getOpType().equals(OP)) {
          continue;
        }
        String w = n.getInput(WEIGHT);
        String zp = n.getInputCount() > WEIGHT_ZERO_POINT ? n.getInput(WEIGHT_ZERO_POINT) : "";
        if (flip.contains(w) != flip.contains(zp)) {
          changed |= flip.remove(w) | flip.remove(zp);
        }
      }
    }
    return flip;
  }

  /** {@code v ^ 0x80} (= v − 128 as int8) over {@code [from, to)} of {@code file}. */
  private static void flipSigns(FileChannel file, long from, long to) throws IOException {
    if (to > file.size()) {
      throw new IOException("tensor data runs past the end of its file");
    }
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    for (long pos = from; pos < to; ) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), to - pos));
      while (chunk.hasRemaining()) {
        if (file.read(chunk, pos + chunk.position()) < 0) {
          throw new IOException("unexpected end of file");
        }
      }
      chunk.flip();
      for (int i = 0; i < chunk.limit(); i++) {
        chunk.put(i, (byte) (chunk.get(i) ^ 0x80));
      }
      while (chunk.hasRemaining()) {
        pos += file.write(chunk, pos);
      }
    }
  }
}
