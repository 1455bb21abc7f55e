package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantised layouts are the ones ONNX Runtime's kernels read: a one-MatMul graph fed the identity matrix returns
 * the weights as the kernel dequantises them, which must equal our own reading of the bytes we wrote (and lie within
 * half a quantisation step of the fp32 weights).
 */
class QuantisedLayoutsTest {

  static final int K = 128;
  static final int N = 48;

  @TempDir Path dir;

  float[] weights() {
    float[] w = new float[K * N];
    Random r = new Random(5);
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian() * 0.1f;
    }
    return w;
  }

  ModelProto matMul(float[] w) throws IOException {
    Path file = dir.resolve("matmul.onnx");
    try (GraphBuilder g = new GraphBuilder("matmul", file, new SeededWeights(1), false)) {
      String a = g.input("a", DataType.FLOAT, K, K);
      g.opNamed("MatMul", "y", new String[] {a, g.named("w", w, K, N)});
      g.output("y", "y", DataType.FLOAT, K, N);
      g.write("one MatMul");
    }
    return OnnxModelFile.read(file);
  }

  /** What ORT computes for identity · W with the (quantised) graph: W as its kernel dequantises it. */
  static float[] ortWeights(ModelProto model) throws OrtException {
    float[] identity = new float[K * K];
    for (int i = 0; i < K; i++) {
      identity[i * K + i] = 1f;
    }
    try (OrtSession s = OrtRunner.ENV.createSession(model.toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor a = OrtRunner.floats(identity, K, K);
        OrtSession.Result r = s.run(Map.of("a", a))) {
      return OrtRunner.flat((OnnxTensor) r.get(0));
    }
  }

  static TensorProto init(ModelProto m, String suffix) {
    return m.getGraph().getInitializerList().stream().filter(t -> t.getName().endsWith(suffix)).findFirst()
        .orElseThrow();
  }

  static ByteBuffer bytes(TensorProto t) {
    return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void matMulNBitsReadsOurQ4BlocksScalesAndNibbleOrder() throws Exception {
    float[] w = weights();
    ModelProto q4 = FourBitQuantization.apply(matMul(w), FourBitQuantization.Kind.Q4);
    ByteBuffer b = bytes(init(q4, "_Q4"));
    ByteBuffer scales = bytes(init(q4, "_scales"));
    int blocks = K / 32;
    float[] ours = new float[K * N];
    for (int k = 0; k < K; k++) {
      for (int n = 0; n < N; n++) {
        int packed = b.get(n * blocks * 16 + k / 2) & 0xff;
        int q = k % 2 == 0 ? packed & 0x0f : packed >> 4;
        float scale = scales.getFloat(4 * (n * blocks + k / 32));
        ours[k * N + n] = (q - 8) * scale;
        // half a step, or one step for the values past +7 steps that clamp to 15 (the extreme itself maps to 0)
        assertThat(Math.abs(ours[k * N + n] - w[k * N + n])).isLessThanOrEqualTo(Math.abs(scale) + 1e-7f);
      }
    }
    assertThat(OrtRunner.maxAbsDiff(ortWeights(q4), ours)).isLessThan(1e-6f);
  }

  @Test
  void matMulBnb4ReadsOurNf4CodesAbsmaxAndNibbleOrder() throws Exception {
    float[] w = weights();
    ModelProto bnb4 = FourBitQuantization.apply(matMul(w), FourBitQuantization.Kind.BNB4);
    ByteBuffer b = bytes(init(bnb4, "_Q4"));
    ByteBuffer absmax = bytes(init(bnb4, "_scales"));
    float[] ours = new float[K * N];
    for (int k = 0; k < K; k++) {
      for (int n = 0; n < N; n++) {
        int index = n * K + k;                       // Wᵀ flattened
        int packed = b.get(index / 2) & 0xff;
        int code = index % 2 == 0 ? packed >> 4 : packed & 0x0f;
        float scale = absmax.getFloat(4 * (index / 64));
        ours[k * N + n] = FourBitQuantization.NF4_VALUES[code] * scale;
        assertThat(Math.abs(ours[k * N + n] - w[k * N + n])).isLessThanOrEqualTo(0.16f * scale);
      }
    }
    assertThat(OrtRunner.maxAbsDiff(ortWeights(bnb4), ours)).isLessThan(1e-6f);
  }

  @Test
  void matMulIntegerReadsOurPerTensorInt8AndUint8Weights() throws Exception {
    float[] w = weights();
    for (boolean signed : new boolean[] {true, false}) {
      ModelProto q8 = DynamicQuantization.apply(matMul(w), signed);
      TensorProto data = init(q8, "w_quantized");
      assertThat(data.getDataType()).isEqualTo((signed ? DataType.INT8 : DataType.UINT8).getNumber());
      float scale = bytes(init(q8, "w_scale")).getFloat(0);
      int zp = signed ? bytes(init(q8, "w_zero_point")).get(0) : bytes(init(q8, "w_zero_point")).get(0) & 0xff;
      if (signed) {
        assertThat(zp).as("symmetric").isZero();
      }
      ByteBuffer q = bytes(data);
      float[] ours = new float[K * N];
      for (int i = 0; i < ours.length; i++) {
        ours[i] = scale * ((signed ? q.get(i) : q.get(i) & 0xff) - zp);
        assertThat(Math.abs(ours[i] - w[i])).isLessThanOrEqualTo(scale * 0.5f + 1e-7f);
      }
      // identity activations quantise exactly (scale 1/255, zero point 0), so ORT returns the dequantised weights.
      assertThat(OrtRunner.maxAbsDiff(ortWeights(q8), ours)).as(signed ? "int8" : "uint8").isLessThan(1e-6f);
    }
  }

  @Test
  void nf4CodesAreTheNearestCodeBookValues() {
    for (float x = -1f; x <= 1f; x += 0.001f) {
      int code = FourBitQuantization.nf4Code(x);
      for (float v : FourBitQuantization.NF4_VALUES) {
        assertThat(Math.abs(FourBitQuantization.NF4_VALUES[code] - x)).isLessThanOrEqualTo(Math.abs(v - x) + 1e-7f);
      }
    }
  }
}
