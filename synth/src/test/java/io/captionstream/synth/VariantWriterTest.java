package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every variant of every graph, derived from the fp32 weights: the hub's nodes, and outputs close to fp32. */
class VariantWriterTest {

  static final SynthSpec SPEC = SynthSpec.tiny();
  static final long[] IDS = {1, 17, 300, 42, 9, 120, 7};

  @TempDir static Path dir;

  @BeforeAll
  static void writeAllVariants() throws IOException {
    SynthModelWriter.write(SPEC, dir, EnumSet.allOf(HubVariant.class));
  }

  static Path file(HubGraph g, HubVariant v) {
    return dir.resolve("onnx").resolve(g.fileName(v));
  }

  static ModelProto model(HubGraph g, HubVariant v) throws IOException {
    return OnnxModelFile.read(file(g, v));
  }

  static List<String> ops(ModelProto m) {
    return m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
  }

  static long count(ModelProto m, String op) {
    return ops(m).stream().filter(op::equals).count();
  }

  @Test
  void eightBitVariantsQuantiseEveryConstantMatMulAndTheEmbeddingTable() throws IOException {
    ModelProto fp32 = model(HubGraph.DECODER, HubVariant.FP32);
    long projections = fp32.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMul")
        && fp32.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals(n.getInput(1)))).count();
    assertThat(projections).isEqualTo(7L * SPEC.textLayers() + 1);
    for (HubVariant v : List.of(HubVariant.INT8, HubVariant.UINT8, HubVariant.QUANTIZED)) {
      ModelProto d = model(HubGraph.DECODER, v);
      assertThat(count(d, "MatMulInteger")).as(v.id()).isEqualTo(projections);
      // q, k, v share one quantised activation, gate and up another: 4 per layer + the LM head.
      assertThat(count(d, "DynamicQuantizeLinear")).as(v.id()).isEqualTo(4L * SPEC.textLayers() + 1);
      assertThat(count(d, "MatMul")).as("attention MatMuls stay float").isEqualTo(2L * SPEC.textLayers());
      DataType weights = v == HubVariant.UINT8 ? DataType.UINT8 : DataType.INT8;
      assertThat(d.getGraph().getInitializerList()).filteredOn(t -> t.getName().endsWith("proj.weight_quantized"))
          .isNotEmpty().allMatch(t -> t.getDataType() == weights.getNumber());
      ModelProto e = model(HubGraph.EMBED_TOKENS, v);
      assertThat(ops(e)).containsExactly("Gather", "DequantizeLinear");
      assertThat(e.getGraph().getInitializerList()).anyMatch(t -> t.getDataType() == DataType.UINT8.getNumber()
          && t.getDimsCount() == 2 && t.getDims(0) == SPEC.vocab());
    }
    for (HubVariant v : List.of(HubVariant.INT8, HubVariant.UINT8, HubVariant.QUANTIZED)) {
      ModelProto vision = model(HubGraph.VISION_ENCODER, v);
      assertThat(vision.getGraph().getInitializerList()).as("%s of a graph with a Conv uses uint8 weights", v)
          .filteredOn(t -> t.getName().endsWith("weight_quantized"))
          .isNotEmpty().allMatch(t -> t.getDataType() == DataType.UINT8.getNumber());
      assertThat(count(vision, "ConvInteger")).isEqualTo(1);
      assertThat(count(vision, "Conv")).isZero();
    }
  }

  @Test
  void fourBitVariantsUseTheContribOpsWithTheHubsAttributes() throws IOException {
    ModelProto q4 = model(HubGraph.DECODER, HubVariant.Q4);
    List<NodeProto> nbits = q4.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMulNBits"))
        .toList();
    assertThat(nbits).hasSize(7 * SPEC.textLayers() + 1).allMatch(n -> n.getDomain().equals("com.microsoft"));
    for (NodeProto n : nbits) {
      assertThat(attr(n, "bits")).isEqualTo(4);
      assertThat(attr(n, "block_size")).isEqualTo(32);
      assertThat(n.getAttributeList()).noneMatch(a -> a.getName().equals("accuracy_level"));
      assertThat(n.getInputCount()).as("symmetric: no zero points").isEqualTo(3);
    }
    List<NodeProto> bnb = model(HubGraph.DECODER, HubVariant.BNB4).getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("MatMulBnb4")).toList();
    assertThat(bnb).hasSize(7 * SPEC.textLayers() + 1);
    assertThat(bnb).allMatch(n -> attr(n, "quant_type") == 1 && attr(n, "block_size") == 64);
    assertThat(ops(model(HubGraph.EMBED_TOKENS, HubVariant.Q4))).as("embeddings stay fp32")
        .containsExactly("Gather");
    ModelProto q4f16 = model(HubGraph.DECODER, HubVariant.Q4F16);
    assertThat(count(q4f16, "MatMulNBits")).isEqualTo(7L * SPEC.textLayers() + 1);
    assertThat(q4f16.getGraph().getInitializerList()).filteredOn(t -> t.getName().endsWith("_scales"))
        .allMatch(t -> t.getDataType() == DataType.FLOAT16.getNumber());
  }

  @Test
  void halfPrecisionGraphsHoldNoFloat32WeightsAndKeepFloat32Io() throws IOException, OrtException {
    for (HubGraph g : HubGraph.values()) {
      for (HubVariant v : List.of(HubVariant.FP16, HubVariant.Q4F16)) {
        assertThat(model(g, v).getGraph().getInitializerList()).as("%s %s", g, v)
            .noneMatch(t -> t.getDataType() == DataType.FLOAT.getNumber());
      }
    }
    try (OrtSession vision = OrtRunner.open(file(HubGraph.VISION_ENCODER, HubVariant.FP16));
        OrtSession embed = OrtRunner.open(file(HubGraph.EMBED_TOKENS, HubVariant.FP16));
        OrtSession decoder = OrtRunner.open(file(HubGraph.DECODER, HubVariant.Q4F16))) {
      assertThat(type(vision.getInputInfo().get("pixel_values").getInfo())).isEqualTo(OnnxJavaType.FLOAT);
      assertThat(type(vision.getOutputInfo().get("image_features").getInfo())).isEqualTo(OnnxJavaType.FLOAT);
      assertThat(type(embed.getOutputInfo().get("inputs_embeds").getInfo())).isEqualTo(OnnxJavaType.FLOAT);
      assertThat(type(decoder.getInputInfo().get("inputs_embeds").getInfo())).isEqualTo(OnnxJavaType.FLOAT);
      assertThat(type(decoder.getInputInfo().get("past_key_values.0.key").getInfo()))
          .isEqualTo(OnnxJavaType.FLOAT16);
      assertThat(type(decoder.getOutputInfo().get("logits").getInfo())).isEqualTo(OnnxJavaType.FLOAT16);
    }
  }

  @Test
  void everyVariantsEmbeddingsAndImageFeaturesStayCloseToFp32() throws IOException, OrtException {
    float[] pixels = new float[3 * SPEC.tileSize() * SPEC.tileSize()];
    Random r = new Random(3);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = r.nextFloat() * 2 - 1;
    }
    boolean[] mask = new boolean[SPEC.tileSize() * SPEC.tileSize()];
    Arrays.fill(mask, true);
    float[] refEmbeds = embeds(HubVariant.FP32);
    float[] refFeatures = features(HubVariant.FP32, pixels, mask);
    for (HubVariant v : HubVariant.values()) {
      System.out.printf("variant %-9s embeddings %.5f image features %.5f%n", v.id(),
          relativeError(embeds(v), refEmbeds), relativeError(features(v, pixels, mask), refFeatures));
      assertThat(relativeError(embeds(v), refEmbeds)).as("embeddings %s", v).isLessThan(tolerance(v));
      assertThat(relativeError(features(v, pixels, mask), refFeatures)).as("image features %s", v)
          .isLessThan(tolerance(v)).isGreaterThanOrEqualTo(v == HubVariant.FP32 ? 0f : 1e-6f);
    }
  }

  @Test
  void everyFloatCacheVariantsLogitsStayCloseToFp32() throws IOException, OrtException {
    float[] embeds = embeds(HubVariant.FP32);
    long[] mask = new long[IDS.length];
    Arrays.fill(mask, 1);
    long[] positions = new long[IDS.length];
    Arrays.setAll(positions, i -> i);
    float[] ref = logits(HubVariant.FP32, embeds, mask, positions);
    for (HubVariant v : List.of(HubVariant.INT8, HubVariant.UINT8, HubVariant.QUANTIZED, HubVariant.Q4,
        HubVariant.BNB4)) {
      float err = relativeError(logits(v, embeds, mask, positions), ref);
      System.out.printf("variant %-9s logits %.5f%n", v.id(), err);
      assertThat(err).as("logits %s", v).isLessThan(tolerance(v)).isGreaterThan(1e-6f);
    }
  }

  static float tolerance(HubVariant v) {
    return switch (v) {
      case FP32 -> 1e-6f;
      case FP16 -> 0.01f;
      case INT8, UINT8, QUANTIZED -> 0.1f;
      case Q4, Q4F16, BNB4 -> 0.3f;
    };
  }

  private static float[] embeds(HubVariant v) throws OrtException {
    try (OrtSession s = OrtRunner.open(file(HubGraph.EMBED_TOKENS, v))) {
      return OrtRunner.embed(s, IDS);
    }
  }

  private static float[] features(HubVariant v, float[] pixels, boolean[] mask) throws OrtException {
    try (OrtSession s = OrtRunner.open(file(HubGraph.VISION_ENCODER, v))) {
      return OrtRunner.vision(s, SPEC, pixels, mask, 1, new long[3]);
    }
  }

  private static float[] logits(HubVariant v, float[] embeds, long[] mask, long[] positions) throws OrtException {
    try (OrtSession s = OrtRunner.open(file(HubGraph.DECODER, v))) {
      return OrtRunner.decode(s, SPEC, embeds, mask, positions, null).logits();
    }
  }

  /** max |a − b| / max |b|. */
  static float relativeError(float[] a, float[] b) {
    float scale = 0;
    for (float x : b) {
      scale = Math.max(scale, Math.abs(x));
    }
    return OrtRunner.maxAbsDiff(a, b) / scale;
  }

  private static long attr(NodeProto n, String name) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(AttributeProto::getI)
        .findFirst().orElseThrow();
  }

  private static OnnxJavaType type(ValueInfo info) {
    return ((TensorInfo) info).type;
  }
}
