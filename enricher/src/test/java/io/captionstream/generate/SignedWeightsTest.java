package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.captionstream.image.SamplePictures;
import io.captionstream.model.GraphContract;
import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import io.captionstream.synth.SynthSpec;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unsigned 8-bit weights loaded as signed: the same integer products, so bit-identical outputs, on ONNX Runtime's
 * VNNI kernel. Checked on the synthetic kit's 8-bit graphs (the hub's recipe: uint8 weights in every 8-bit vision
 * encoder and in the {@code _uint8} decoder), inline and with external data.
 */
class SignedWeightsTest {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  @TempDir static Path tmp;
  static TinyModel inline;
  static TinyModel external;

  @BeforeAll
  static void writeModels() {
    Set<OnnxVariant> eightBit = Set.of(OnnxVariant.INT8, OnnxVariant.UINT8, OnnxVariant.QUANTIZED);
    SynthSpec spec = SynthSpec.tiny().withEosBias(-1e4f);
    inline = TinyModel.write(spec, tmp.resolve("inline"), eightBit);
    external = TinyModel.write(spec.toBuilder().externalData(true).build(), tmp.resolve("external"), eightBit);
  }

  private static Path graph(TinyModel m, OnnxGraph g, OnnxVariant v) {
    return m.dir.resolve("onnx").resolve(g.fileName(v));
  }

  @Test
  void everyMatMulIntegerWeightAndZeroPointBecomesTheSameValueMinus128AndNothingElseChanges() throws Exception {
    Path original = graph(inline, OnnxGraph.VISION_ENCODER, OnnxVariant.INT8);
    SignedWeights.Outcome o = SignedWeights.rewrite(original);
    assertThat(o.skipped()).isNull();
    try {
      ModelProto before = ModelProto.parseFrom(Files.readAllBytes(original));
      ModelProto after = ModelProto.parseFrom(Files.readAllBytes(o.copy().file()));
      Map<String, TensorProto> was = byName(before);
      Map<String, TensorProto> now = byName(after);
      int flipped = 0;
      for (NodeProto n : after.getGraph().getNodeList()) {
        if (n.getOpType().equals("MatMulInteger")) {
          for (int i : new int[] {1, 3}) {
            TensorProto w = now.get(n.getInput(i));
            assertThat(w.getDataType()).as(n.getInput(i)).isEqualTo(TensorProto.DataType.INT8_VALUE);
            byte[] u = was.get(n.getInput(i)).getRawData().toByteArray();
            byte[] s = w.getRawData().toByteArray();
            for (int k = 0; k < u.length; k++) {
              assertThat(s[k]).isEqualTo((byte) ((u[k] & 0xff) - 128));
            }
            flipped++;
          }
        }
        if (n.getOpType().equals("ConvInteger")) {
          assertThat(now.get(n.getInput(1)).getDataType()).as("ConvInteger keeps its uint8 kernel")
              .isEqualTo(TensorProto.DataType.UINT8_VALUE);
        }
      }
      assertThat(flipped).isPositive().isEqualTo(o.tensors());
      assertThat(after.getGraph().getNodeList()).isEqualTo(before.getGraph().getNodeList());
      assertThat(now.keySet()).isEqualTo(was.keySet());
    } finally {
      o.copy().delete();
    }
    assertThat(o.copy().file().getParent()).as("the temporary folder goes").doesNotExist();
  }

  @Test
  void theVisionFeaturesAreBitForBitTheSameAndAWrongRewriteIsCaught() throws Exception {
    assumeTrue(CpuFlags.int8DotProduct(), "the signed copy is used (and exact) on CPUs with VNNI only");
    for (TinyModel m : List.of(inline, external)) {
      Path original = graph(m, OnnxGraph.VISION_ENCODER, OnnxVariant.INT8);
      float[] stored = vision(original, m);
      SignedWeights.Outcome o = SignedWeights.rewrite(original);
      try {
        assertThat(o.skipped()).isNull();
        assertThat(vision(o.copy().file(), m)).as(m.dir.toString()).containsExactly(stored);
      } finally {
        o.copy().delete();
      }
    }
    // negative control: both retyped, but only the weights' values flipped (the zero points reinterpreted, not
    // shifted): every weight is 128 off its zero point
    Path original = graph(inline, OnnxGraph.VISION_ENCODER, OnnxVariant.INT8);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(original));
    Set<String> weights = new HashSet<>();
    Set<String> zeroPoints = new HashSet<>();
    m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMulInteger")).forEach(n -> {
      weights.add(n.getInput(1));
      zeroPoints.add(n.getInput(3));
    });
    ModelProto.Builder wrong = m.toBuilder();
    for (int i = 0; i < wrong.getGraph().getInitializerCount(); i++) {
      TensorProto t = wrong.getGraph().getInitializer(i);
      if (weights.contains(t.getName()) || zeroPoints.contains(t.getName())) {
        byte[] b = t.getRawData().toByteArray();
        for (int k = 0; k < b.length && weights.contains(t.getName()); k++) {
          b[k] ^= (byte) 0x80;
        }
        wrong.getGraphBuilder().setInitializer(i, t.toBuilder().setDataType(TensorProto.DataType.INT8_VALUE)
            .setRawData(ByteString.copyFrom(b)));
      }
    }
    Path broken = Files.createTempDirectory(tmp, "wrong").resolve(original.getFileName());
    Files.write(broken, wrong.build().toByteArray());
    assertThat(vision(broken, inline)).isNotEqualTo(vision(original, inline));
  }

  @Test
  void captionsAreTheSameWithSignedAndStoredWeightsForEvery8BitChoice() throws Exception {
    byte[] picture = SamplePictures.png(300, 200, 0);
    boolean used = CpuFlags.int8DotProduct();
    for (TinyModel m : List.of(inline, external)) {
      for (String variant : List.of("int8", "uint8", "quantized", "fp32,vision=uint8", "uint8,vision=fp32")) {
        try (CaptionModel model = CaptionModel.load(m.dir, variant);
            Captioner signed = model.newCaptioner(EngineSettings.threads(1));
            Captioner stored = model.newCaptioner(EngineSettings.threads(1).withSignedWeights(false))) {
          assertThat(stored.signedWeightTensors()).isZero();
          assertThat(signed.signedWeightTensors() > 0).as("%s: signed copy used", variant).isEqualTo(used);
          for (Integer edge : Arrays.asList(null, 64)) {
            CaptionOptions options = CaptionOptions.defaults().withMaxNewTokens(12).withLongestEdge(edge);
            assertThat(signed.caption(picture, options).tokenIds()).as("%s, edge %s", variant, edge)
                .containsExactly(stored.caption(picture, options).tokenIds());
          }
        }
      }
    }
  }

  @Test
  void typeDeclarationsOfTheFlippedTensorsSayInt8TooSoTheCopyLoads() throws Exception {
    // exporters may declare initializers in value_info; a declaration left at uint8 would contradict the tensor
    Path original = graph(inline, OnnxGraph.VISION_ENCODER, OnnxVariant.INT8);
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(original));
    ModelProto.Builder declared = m.toBuilder();
    Set<String> named = new HashSet<>();
    for (NodeProto n : m.getGraph().getNodeList()) {
      if (n.getOpType().equals("MatMulInteger") && named.add(n.getInput(1))) {
        declared.getGraphBuilder().addValueInfo(ValueInfoProto.newBuilder().setName(n.getInput(1))
            .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.UINT8_VALUE))));
      }
    }
    Path file = Files.createTempDirectory(tmp, "declared").resolve(original.getFileName());
    Files.write(file, declared.build().toByteArray());

    SignedWeights.Outcome o = SignedWeights.rewrite(file);
    assertThat(o.skipped()).isNull();
    try {
      ModelProto after = ModelProto.parseFrom(Files.readAllBytes(o.copy().file()));
      assertThat(after.getGraph().getValueInfoList()).hasSize(named.size()).allSatisfy(v ->
          assertThat(v.getType().getTensorType().getElemType()).isEqualTo(TensorProto.DataType.INT8_VALUE));
      if (CpuFlags.int8DotProduct()) {
        assertThat(vision(o.copy().file(), inline)).containsExactly(vision(original, inline));
      }
    } finally {
      o.copy().delete();
    }
  }

  @Test
  void aCopyThatCannotBeWrittenIsAFailureTheEngineLogsNotASkip() throws Exception {
    // the graph's external data file is missing: nothing to copy, the session then loads the graph as it is
    Path lonely = Files.createTempDirectory(tmp, "lonely");
    Path g = Files.copy(graph(external, OnnxGraph.VISION_ENCODER, OnnxVariant.INT8),
        lonely.resolve("vision_encoder_int8.onnx"));
    SignedWeights.Outcome o = SignedWeights.rewrite(g);
    assertThat(o.failed()).isTrue();
    assertThat(o.skipped()).startsWith("cannot rewrite vision_encoder_int8.onnx");
    assertThat(SignedWeights.rewrite(graph(inline, OnnxGraph.DECODER, OnnxVariant.INT8)).failed()).isFalse();
  }

  @Test
  void graphsWithoutUnsignedMatMulIntegerWeightsAreLeftAlone() {
    assertThat(SignedWeights.rewrite(graph(inline, OnnxGraph.DECODER, OnnxVariant.INT8)).skipped())
        .as("int8 decoder: weights already signed").contains("no unsigned MatMulInteger weights");
    assertThat(SignedWeights.rewrite(graph(inline, OnnxGraph.EMBED_TOKENS, OnnxVariant.INT8)).skipped())
        .as("the uint8 embedding table feeds a Gather").contains("no unsigned MatMulInteger weights");
    assertThat(SignedWeights.rewrite(graph(inline, OnnxGraph.VISION_ENCODER, OnnxVariant.FP32)).skipped())
        .contains("no unsigned MatMulInteger weights");
  }

  @Test
  void aWeightOrZeroPointUsedElsewhereOrWithoutItsPartnerStaysUnsigned() {
    List<NodeProto> nodes = List.of(
        node("MatMulInteger", "x", "w1", "xz", "z1"),
        node("MatMulInteger", "x", "w2", "xz", "z2"), node("Identity", "w2"),
        node("MatMulInteger", "x", "w3", "xz", "z3"), node("MatMulInteger", "x", "w4", "xz", "z3"),
        node("MatMulInteger", "x", "w5", "xz", "z5"), node("MatMulInteger", "x", "w6"),
        node("MatMulInteger", "x", "w7", "xz", "z7"));
    Set<String> unsigned = Set.of("w1", "z1", "w2", "z2", "w3", "w4", "z3", "w5", "w6", "w7", "z7");

    assertThat(SignedWeights.flippable(nodes, unsigned, Set.of("w7")))
        .as("w2 also feeds an Identity, z5 is not unsigned, w6 has no zero point, w7 is a graph output")
        .containsExactlyInAnyOrder("w1", "z1", "w3", "w4", "z3");
  }

  private static NodeProto node(String op, String... inputs) {
    return NodeProto.newBuilder().setOpType(op).addAllInput(Arrays.asList(inputs))
        .addOutput(op + String.join("_", inputs)).build();
  }

  private static Map<String, TensorProto> byName(ModelProto m) {
    Map<String, TensorProto> out = new HashMap<>();
    m.getGraph().getInitializerList().forEach(t -> out.put(t.getName(), t));
    return out;
  }

  /** The vision encoder's features for two seeded tiles. */
  private static float[] vision(Path file, TinyModel m) throws Exception {
    int s = m.spec.tileSize();
    float[] px = new float[2 * 3 * s * s];
    Random r = new Random(7);
    for (int i = 0; i < px.length; i++) {
      px[i] = r.nextFloat() * 2 - 1;
    }
    boolean[][][][] mask = new boolean[1][2][s][s];
    for (boolean[][] tile : mask[0]) {
      for (boolean[] row : tile) {
        Arrays.fill(row, true);
      }
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = ENV.createSession(file.toString(), options);
        OnnxTensor pixels = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(px), new long[] {1, 2, 3, s, s});
        OnnxTensor valid = OnnxTensor.createTensor(ENV, mask);
        OrtSession.Result out = session.run(Map.of(GraphContract.PIXEL_VALUES, pixels,
            GraphContract.PIXEL_ATTENTION_MASK, valid))) {
      FloatBuffer f = ((OnnxTensor) out.get(0)).getFloatBuffer();
      float[] features = new float[f.remaining()];
      f.get(features);
      return features;
    }
  }
}
