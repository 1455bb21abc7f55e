package io.captionstream.cli;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times one ONNX {@code MatMul} of a given shape on ORT's CPU provider: {@code [batch, m, k] x [batch, k, n]}, the
 * right side a constant initializer (as the weights of a linear layer, so ORT may pre-pack it) when {@code batch} is 1,
 * else a second input (as attention's activations). Gives the practical GEMM speed of this machine at that shape.
 */
final class MatMulProbe {

  /** A shape, how often the vision encoder runs it per tile, and a label. */
  record Shape(String name, int batch, int m, int k, int n, int perTile) {
    double flops() {
      return 2.0 * batch * m * k * n;
    }
  }

  private MatMulProbe() {}

  /** Median milliseconds of one run over {@code runs} runs after {@code warmup}. */
  static double medianMs(Shape s, int threads, int warmup, int runs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    boolean constB = s.batch() == 1;
    byte[] model = graph(s, constB).toByteArray();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(model, o);
          OnnxTensor a = OnnxTensor.createTensor(env, random(s.batch() * s.m() * s.k(), 1),
              constB ? new long[] {s.m(), s.k()} : new long[] {s.batch(), s.m(), s.k()});
          OnnxTensor b = OnnxTensor.createTensor(env, random(s.batch() * s.k() * s.n(), 2),
              new long[] {s.batch(), s.k(), s.n()})) {
        Map<String, OnnxTensorLike> in = new HashMap<>();
        in.put("A", a);
        if (!constB) {
          in.put("B", b);
        }
        double[] ms = new double[runs];
        for (int r = 0; r < warmup + runs; r++) {
          long t0 = System.nanoTime();
          try (OrtSession.Result ignored = session.run(in)) {
            if (r >= warmup) {
              ms[r - warmup] = (System.nanoTime() - t0) / 1e6;
            }
          }
        }
        Arrays.sort(ms);
        return runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
      }
    }
  }

  /**
   * Practical memory read bandwidth in GB/s: an ORT {@code ReduceSum} of 64 rows over {@code mib} MiB of floats
   * (streamed from memory, far larger than the caches), median of {@code runs}.
   */
  static double readGBps(int mib, int threads, int runs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int n = mib << 18;
    int rows = 64; // rows reduced independently, so every intra-op thread streams its share
    GraphProto.Builder g = GraphProto.newBuilder().setName("read").addInput(value("X", new long[] {rows, n / rows}))
        .addInitializer(TensorProto.newBuilder().setName("axes").setDataType(TensorProto.DataType.INT64.getNumber())
            .addDims(1).addInt64Data(1))
        .addNode(NodeProto.newBuilder().setOpType("ReduceSum").setName("sum").addInput("X").addInput("axes")
            .addOutput("Y").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims")
                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0)))
        .addOutput(value("Y", new long[] {rows}));
    byte[] model = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder()
        .setDomain("").setVersion(17)).setGraph(g).build().toByteArray();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      try (OrtSession session = env.createSession(model, o);
          OnnxTensor x = OnnxTensor.createTensor(env, random(n, 4), new long[] {rows, n / rows})) {
        double[] gbps = new double[runs];
        for (int r = 0; r < runs + 1; r++) {
          long t0 = System.nanoTime();
          try (OrtSession.Result ignored = session.run(Map.of("X", x))) {
            if (r > 0) {
              gbps[r - 1] = 4.0 * n / (System.nanoTime() - t0);
            }
          }
        }
        Arrays.sort(gbps);
        return gbps[runs / 2];
      }
    }
  }

  private static FloatBuffer random(int n, long seed) {
    FloatBuffer f = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      f.put(i, r.nextFloat() - 0.5f);
    }
    return f;
  }

  private static ModelProto graph(Shape s, boolean constB) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("matmul");
    g.addInput(value("A", constB ? new long[] {s.m(), s.k()} : new long[] {s.batch(), s.m(), s.k()}));
    if (constB) {
      ByteBuffer raw = ByteBuffer.allocate(4 * s.k() * s.n()).order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer values = random(s.k() * s.n(), 3);
      for (int i = 0; i < s.k() * s.n(); i++) {
        raw.putFloat(values.get(i));
      }
      g.addInitializer(TensorProto.newBuilder().setName("B").setDataType(TensorProto.DataType.FLOAT.getNumber())
          .addDims(s.k()).addDims(s.n()).setRawData(ByteString.copyFrom(raw.array())));
    } else {
      g.addInput(value("B", new long[] {s.batch(), s.k(), s.n()}));
    }
    g.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("matmul").addInput("A").addInput("B").addOutput("Y"));
    List<Long> out = new ArrayList<>();
    if (!constB) {
      out.add((long) s.batch());
    }
    out.add((long) s.m());
    out.add((long) s.n());
    g.addOutput(value("Y", out.stream().mapToLong(Long::longValue).toArray()));
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("captionstream-bench")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
  }

  private static ValueInfoProto value(String name, long[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
  }
}
