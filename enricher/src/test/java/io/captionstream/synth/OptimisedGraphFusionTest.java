package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The graphs use the op patterns of a torch export, so ONNX Runtime's fusions apply as they do on the hub's files:
 * RMSNorm → SimplifiedLayerNormalization, tanh-GELU → FastGelu, SiLU → QuickGelu, and for the quantised variants
 * DynamicQuantizeLinear + MatMulInteger → DynamicQuantizeMatMul / MatMulIntegerToFloat.
 */
class OptimisedGraphFusionTest {

  static final SynthSpec SPEC = SynthSpec.tiny();

  @TempDir static Path dir;

  @BeforeAll
  static void write() throws Exception {
    SynthModelWriter.write(SPEC, dir, EnumSet.of(OnnxVariant.INT8, OnnxVariant.Q4));
  }

  static Map<String, Integer> ops(OnnxGraph g, OnnxVariant v) throws Exception {
    return OptimisedGraphOps.histogram(dir.resolve("onnx").resolve(g.fileName(v)), dir.resolve("work"));
  }

  @Test
  void everyRmsNormOfTheDecoderFusesIntoSimplifiedLayerNormalization() throws Exception {
    Map<String, Integer> d = ops(OnnxGraph.DECODER, OnnxVariant.FP32);
    assertThat(d).containsEntry("SimplifiedLayerNormalization", 2 * SPEC.textLayers() + 1)
        .containsEntry("com.microsoft.QuickGelu", SPEC.textLayers())
        .doesNotContainKeys("ReduceMean", "Sqrt", "Pow", "Sigmoid");
  }

  @Test
  void everyTanhGeluOfTheVisionEncoderFusesIntoFastGelu() throws Exception {
    Map<String, Integer> v = ops(OnnxGraph.VISION_ENCODER, OnnxVariant.FP32);
    assertThat(v).containsEntry("com.microsoft.FastGelu", SPEC.visionLayers())
        .containsEntry("LayerNormalization", 2 * SPEC.visionLayers() + 1)
        .doesNotContainKeys("Tanh", "Pow");
  }

  @Test
  void quantisedVariantsKeepTheFusionsAndFuseTheirIntegerMatMuls() throws Exception {
    Map<String, Integer> int8 = ops(OnnxGraph.DECODER, OnnxVariant.INT8);
    assertThat(int8).containsEntry("SimplifiedLayerNormalization", 2 * SPEC.textLayers() + 1)
        .doesNotContainKeys("MatMulInteger");
    assertThat(int8.getOrDefault("com.microsoft.DynamicQuantizeMatMul", 0)
        + int8.getOrDefault("com.microsoft.MatMulIntegerToFloat", 0)).isEqualTo(7 * SPEC.textLayers() + 1);
    Map<String, Integer> q4 = ops(OnnxGraph.DECODER, OnnxVariant.Q4);
    assertThat(q4).containsEntry("com.microsoft.MatMulNBits", 7 * SPEC.textLayers() + 1)
        .containsEntry("SimplifiedLayerNormalization", 2 * SPEC.textLayers() + 1);
  }
}
