package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Assembles one ONNX graph (standard ai.onnx opset {@value #OPSET}) with the protobuf builders bundled in
 * tribuo-util-onnx. Weights are drawn from {@link SeededWeights}; with external data on, every weight of at least
 * {@value #EXTERNAL_MIN_BYTES} bytes is streamed to {@code <file>.onnx_data} as it is generated, so no graph ever
 * holds its weights in memory twice.
 */
final class GraphBuilder implements AutoCloseable {

  static final int OPSET = 17;
  static final int IR_VERSION = 8;
  static final int EXTERNAL_MIN_BYTES = 4096;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final SeededWeights weights;
  private final Path onnxFile;
  private final FileChannel external;
  private long externalOffset;
  private int counter;

  /**
   * @param onnxFile     the graph file this builder will write (its external data goes beside it)
   * @param externalData whether large weights go to {@code onnxFile + "_data"}
   */
  GraphBuilder(String graphName, Path onnxFile, SeededWeights weights, boolean externalData) throws IOException {
    this.onnxFile = onnxFile;
    this.weights = weights;
    graph.setName(graphName);
    Files.createDirectories(onnxFile.toAbsolutePath().getParent());
    Path dataFile = externalDataFile(onnxFile);
    Files.deleteIfExists(dataFile);
    this.external = externalData
        ? FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)
        : null;
  }

  static Path externalDataFile(Path onnxFile) {
    return onnxFile.resolveSibling(onnxFile.getFileName() + "_data");
  }

  // ---- graph inputs / outputs ---------------------------------------------------------------------------------

  /** Declares a graph input; each dim is a {@code Long}/{@code Integer} (fixed) or a {@code String} (symbolic). */
  String input(String name, DataType type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output produced under {@code producedAs}, renaming it with an Identity when needed. */
  void output(String name, String producedAs, DataType type, Object... dims) {
    if (!name.equals(producedAs)) {
      graph.addNode(NodeProto.newBuilder().setOpType("Identity").setName("out_" + name)
          .addInput(producedAs).addOutput(name));
    }
    graph.addOutput(valueInfo(name, type, dims));
  }

  private static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(
            TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
        .build();
  }

  // ---- nodes ----------------------------------------------------------------------------------------------------

  /** Adds a node with one output and returns that output's name. Attributes come as name/value pairs. */
  String op(String opType, String[] inputs, Object... attrs) {
    String out = opType.toLowerCase() + "_" + (counter++);
    return opNamed(opType, out, inputs, attrs);
  }

  /** One input, optional attributes (named {@code op1} so an attribute name is never read as a second input). */
  String op1(String opType, String a, Object... attrs) {
    return op(opType, new String[] {a}, attrs);
  }

  String op(String opType, String a) {
    return op(opType, new String[] {a});
  }

  String op(String opType, String a, String b, Object... attrs) {
    return op(opType, new String[] {a, b}, attrs);
  }

  /** Adds a node whose single output gets the given name. */
  String opNamed(String opType, String output, String[] inputs, Object... attrs) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(opType).setName("n" + (counter++) + "_" + opType)
        .addOutput(output);
    for (String in : inputs) {
      node.addInput(in);
    }
    for (int i = 0; i < attrs.length; i += 2) {
      node.addAttribute(attribute((String) attrs[i], attrs[i + 1]));
    }
    graph.addNode(node);
    return output;
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    switch (value) {
      case Integer i -> a.setType(AttributeType.INT).setI(i);
      case Long l -> a.setType(AttributeType.INT).setI(l);
      case Float f -> a.setType(AttributeType.FLOAT).setF(f);
      case long[] ls -> {
        a.setType(AttributeType.INTS);
        for (long l : ls) {
          a.addInts(l);
        }
      }
      case int[] is -> {
        a.setType(AttributeType.INTS);
        for (int i : is) {
          a.addInts(i);
        }
      }
      default -> throw new IllegalArgumentException("attribute type " + value.getClass());
    }
    return a.build();
  }

  // ---- constants and weights ------------------------------------------------------------------------------------

  /** An int64 constant tensor (an initializer). */
  String int64(long[] values, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      buf.putLong(v);
    }
    buf.flip();
    return initializer("c" + (counter++) + "_i64", DataType.INT64, buf, dims);
  }

  /** A rank-1 int64 constant. */
  String ints(long... values) {
    return int64(values, values.length);
  }

  /** An int64 scalar. */
  String scalarInt64(long value) {
    return int64(new long[] {value});
  }

  /** A float32 scalar. */
  String scalarFloat(float value) {
    return floats(new float[] {value});
  }

  /** A float32 constant of the given shape (rank 0 when no dims). */
  String floats(float[] values, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    buf.flip();
    return initializer("c" + (counter++) + "_f32", DataType.FLOAT, buf, dims);
  }

  /** A named float32 weight drawn uniformly from [center − halfWidth, center + halfWidth]. */
  String weight(String name, float center, float halfWidth, long... dims) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    ByteBuffer buf = weights.uniform(name, count, center, halfWidth);
    return initializer(name, DataType.FLOAT, buf, dims);
  }

  /** A projection matrix [in, out] scaled so unit-variance input gives unit-variance output. */
  String linear(String name, long in, long out) {
    return weight(name, 0f, (float) Math.sqrt(3.0 / in), in, out);
  }

  /** A named weight with explicit values (e.g. a bias vector with one boosted entry). */
  String named(String name, float[] values, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    buf.flip();
    return initializer(name, DataType.FLOAT, buf, dims);
  }

  private String initializer(String name, DataType type, ByteBuffer data, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    int length = data.remaining();
    if (external != null && length >= EXTERNAL_MIN_BYTES) {
      try {
        while (data.hasRemaining()) {
          external.write(data);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", externalDataFile(onnxFile).getFileName().toString()))
          .addExternalData(entry("offset", Long.toString(externalOffset)))
          .addExternalData(entry("length", Integer.toString(length)));
      externalOffset += length;
    } else {
      t.setRawData(ByteString.copyFrom(data));
    }
    graph.addInitializer(t);
    return name;
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  // ---- writing --------------------------------------------------------------------------------------------------

  /** Writes the model file; returns the bytes written (graph + external data). */
  long write(String docString) throws IOException {
    ModelProto model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("captionstream-synth")
        .setProducerVersion("1")
        .setDocString(docString)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph)
        .build();
    try (OutputStream out = Files.newOutputStream(onnxFile)) {
      model.writeTo(out);
    }
    long size = Files.size(onnxFile);
    if (external != null) {
      external.force(false);
      size += externalOffset;
    }
    return size;
  }

  @Override
  public void close() throws IOException {
    if (external != null) {
      external.close();
      if (externalOffset == 0) {
        Files.deleteIfExists(externalDataFile(onnxFile));
      }
    }
  }
}
