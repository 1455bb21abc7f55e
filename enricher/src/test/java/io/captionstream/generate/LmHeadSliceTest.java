package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

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
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.captionstream.image.SamplePictures;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmHeadSliceTest {

  @TempDir Path tmp;

  private static final int HIDDEN = 4;
  private static final int VOCAB = 6;

  @Test
  void theRewrittenHeadComputesExactlyTheLastRowOfTheOriginal() throws Exception {
    Path file = write(head("MatMul", List.of(node("Add", List.of("h", "bias"), "logits"))));
    float[] x = new float[5 * HIDDEN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 1.7);
    }
    float[][] full = run(file, x, 5);
    LmHeadSlice.Outcome o = LmHeadSlice.rewrite(file);
    assertThat(o.skipped()).isNull();
    assertThat(o.bytes()).as("a small graph is rewritten in memory").isNotNull();
    Path rewritten = file.resolveSibling("rewritten.onnx");
    Files.write(rewritten, o.bytes());
    float[][] last = run(rewritten, x, 5);
    assertThat(last).hasNumberOfRows(1);
    assertThat(last[0]).containsExactly(full[4]);
  }

  @Test
  void aHeadFedByAnOpAcrossPositionsIsLeftAlone() throws Exception {
    // Softmax over the sequence axis mixes positions: slicing before the head would change the last row
    Path softmax = write(head("MatMul", List.of(NodeProto.newBuilder().setOpType("Softmax").addInput("h")
        .addOutput("logits").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
            .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)).build())));
    assertThat(LmHeadSlice.rewrite(softmax).skipped()).contains("Softmax");
    // an lm head whose "weights" are a graph input is not a constant projection
    Path dynamic = write(head("dynamic MatMul", List.of(node("Add", List.of("h", "bias"), "logits"))));
    assertThat(LmHeadSlice.rewrite(dynamic).skipped()).contains("weights are not constant");
    // a quantised head (DynamicQuantizeLinear scales over every position) is not one of the per-row heads
    Path other = write(head("MatMulInteger", List.of(node("Add", List.of("h", "bias"), "logits"))));
    assertThat(LmHeadSlice.rewrite(other).skipped()).contains("MatMulInteger");
  }

  @Test
  void syntheticDecodersAreRewrittenAndGiveTheSameIds() throws Exception {
    SynthSpec spec = SynthSpec.tiny().withEosBias(-1e4f);
    TinyModel.write(spec, tmp.resolve("m"), true);
    byte[] picture = SamplePictures.png(300, 200, 0);
    for (String variant : List.of("fp32", "fp32,decoder=fp16")) {
      try (CaptionModel model = CaptionModel.load(tmp.resolve("m"), variant);
          Captioner sliced = model.newCaptioner(EngineSettings.threads(1));
          Captioner full = model.newCaptioner(EngineSettings.threads(1).withLastPositionLogits(false))) {
        assertThat(sliced.contract().vocab()).isEqualTo(spec.vocab());
        for (int max : new int[] {1, 20}) {
          for (Integer edge : Arrays.asList(null, 64)) {
            CaptionOptions options = CaptionOptions.defaults().withMaxNewTokens(max).withLongestEdge(edge);
            assertThat(sliced.caption(picture, options).tokenIds()).as("%s, max %d, edge %s", variant, max, edge)
                .containsExactly(full.caption(picture, options).tokenIds());
          }
        }
      }
    }
  }

  @Test
  void aDecoderWithExternalDataIsRewrittenAndFindsItsWeights() {
    // the synthetic writer can put large weights beside the graph in .onnx_data files
    TinyModel external = TinyModel.write(SynthSpec.tiny().withEosBias(-1e4f).toBuilder().externalData(true).build(),
        tmp.resolve("x"));
    assertThat(Files.exists(SynthModelWriter.decoder(external.dir)
        .resolveSibling("decoder_model_merged.onnx_data"))).isTrue();
    try (SessionSet s = external.open()) {
      assertThat(s.lastPositionLogits()).isTrue();
      try (RunControl c = RunControl.start(null, null)) {
        assertThat(DecodeVariant.EXACT.decoder(s, external.spec.imageTokenId(), new long[] {external.spec.eosTokenId()})
            .generate(external.inputs(1, 1, 300), 3, c).tokenIds()).hasSize(3);
      }
    }
  }

  // --- a hand-made graph: h = op(X, W) (W constant, or a graph input for "dynamic MatMul"), then the tail to logits

  private static NodeProto node(String op, List<String> in, String out) {
    return NodeProto.newBuilder().setOpType(op).setName(op + "_" + out).addAllInput(in).addOutput(out).build();
  }

  private static GraphProto head(String op, List<NodeProto> tail) {
    GraphProto.Builder g = GraphProto.newBuilder().setName("head");
    g.addInput(value("X", -1, HIDDEN));
    if (op.equals("dynamic MatMul")) {
      g.addInput(value("W", HIDDEN, VOCAB, true));
      g.addNode(node("MatMul", List.of("X", "W"), "h"));
    } else {
      g.addInitializer(floats("W", HIDDEN, VOCAB));
      g.addNode(node(op, List.of("X", "W"), "h"));
    }
    g.addInitializer(floats("bias", VOCAB));
    tail.forEach(g::addNode);
    g.addOutput(value("logits", -1, VOCAB));
    return g.build();
  }

  private Path write(GraphProto g) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "g");
    Path file = dir.resolve("decoder.onnx");
    ModelProto m = ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    Files.write(file, m.toByteArray());
    return file;
  }

  private static TensorProto floats(String name, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    long n = 1;
    for (long d : dims) {
      t.addDims(d);
      n *= d;
    }
    for (int i = 0; i < n; i++) {
      t.addFloatData((float) Math.cos(i * 0.37 + name.length()));
    }
    return t.build();
  }

  private static ValueInfoProto value(String name, long seq, long width) {
    return value(name, seq, width, false);
  }

  private static ValueInfoProto value(String name, long a, long b, boolean matrix) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    if (!matrix) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1));
    }
    shape.addDim(a < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("seq").build()
        : TensorShapeProto.Dimension.newBuilder().setDimValue(a).build());
    shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(b));
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
  }

  private static float[][] run(Path file, float[] x, int seq) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, seq, HIDDEN});
        OrtSession.Result r = s.run(Map.of("X", in))) {
      return ((float[][][]) r.get(0).getValue())[0];
    }
  }
}
