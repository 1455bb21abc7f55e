package io.captionstream.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import io.captionstream.model.VariantSelection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelResolverTest {

  @TempDir Path tmp;

  private HubSettings unusedHub() {
    return HubSettings.fromEnvironment(Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp)
        .withEndpoint(URI.create("http://127.0.0.1:9"));
  }

  private Path folderWith(OnnxVariant... variants) throws IOException {
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir.resolve("onnx"));
    Files.writeString(dir.resolve("config.json"), "{}");
    for (OnnxVariant v : variants) {
      for (String g : VariantFiles.graphFiles(v)) {
        Files.write(dir.resolve(g), new byte[] {1});
      }
    }
    return dir;
  }

  @Test
  void modelDirWinsAndItsCompleteVariantIsPicked() throws IOException {
    Path dir = folderWith(OnnxVariant.Q4F16);

    ModelResolver.ResolvedModel r = new ModelResolver(unusedHub(), DownloadProgress.NONE)
        .resolve(dir, "org/name", "main", null, true);

    assertThat(r.folder()).isEqualTo(dir);
    assertThat(r.variant()).isEqualTo(VariantSelection.all(OnnxVariant.Q4F16));
    assertThat(r.source()).isEqualTo("dir");
    assertThat(r.repo()).isEqualTo(dir.toAbsolutePath().normalize().toString());
  }

  @Test
  void fp32IsPreferredWhenAFolderHoldsSeveralVariants() throws IOException {
    Path dir = folderWith(OnnxVariant.Q4, OnnxVariant.FP32);

    assertThat(ModelResolver.variantIn(dir, null)).isEqualTo(VariantSelection.all(OnnxVariant.FP32));
    assertThat(ModelResolver.variantIn(dir,
        VariantSelection.all(OnnxVariant.Q4))).isEqualTo(VariantSelection.all(OnnxVariant.Q4));
    assertThat(ModelResolver.variantIn(dir, VariantSelection.parse("q4,vision=fp32")))
        .isEqualTo(VariantSelection.parse("q4,vision=fp32"));
  }

  @Test
  void modelDirWithoutTheRequestedVariantIsRefusedWithTheMissingFiles() throws IOException {
    Path dir = folderWith(OnnxVariant.FP32);

    assertThatThrownBy(() -> ModelResolver.variantIn(dir, VariantSelection.all(OnnxVariant.INT8)))
        .hasMessageContaining("onnx/vision_encoder_int8.onnx");
  }

  @Test
  void folderWithoutConfigIsNotAModel() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));

    assertThatThrownBy(() -> ModelResolver.variantIn(empty, null)).hasMessageContaining("config.json");
  }

  @Test
  void hubCacheLocationFollowsHuggingFaceEnvironmentVariables() {
    Path home = Path.of("/home/u");
    assertThat(HubSettings.fromEnvironment(Map.of(),
        home).hubCache()).isEqualTo(Path.of("/home/u/.cache/huggingface/hub"));
    assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/data/hf"),
        home).hubCache()).isEqualTo(Path.of("/data/hf/hub"));
    assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/data/hf", "HF_HUB_CACHE", "/c"), home).hubCache())
        .isEqualTo(Path.of("/c"));
    HubSettings s = HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "https://mirror.example/", "HF_TOKEN", "t"), home);
    assertThat(s.resolveUrl("a/b", "main", "onnx/x.onnx").toString()).isEqualTo("https://mirror.example/a/b/resolve/main/onnx/x.onnx");
    assertThat(s.token()).isEqualTo("t");
  }

  @Test
  void variantsParseFromTheirNamesAndSuffixes() {
    assertThat(VariantSelection.parse("fp32")).isEqualTo(VariantSelection.all(OnnxVariant.FP32));
    assertThat(VariantSelection.parse("_q4f16")).isEqualTo(VariantSelection.all(OnnxVariant.Q4F16));
    assertThat(VariantSelection.parse("none")).isEqualTo(VariantSelection.all(OnnxVariant.FP32));
    assertThat(VariantFiles.graphFile(OnnxVariant.parse("QUANTIZED"),
        OnnxGraph.EMBED_TOKENS)).isEqualTo("onnx/embed_tokens_quantized.onnx");
    assertThatThrownBy(() -> VariantSelection.parse("q3")).hasMessageContaining("q4f16");
    assertThat(VariantFiles.graphFiles(VariantSelection.parse("q4,vision=fp32"))).containsExactly(
        "onnx/vision_encoder.onnx", "onnx/embed_tokens_q4.onnx", "onnx/decoder_model_merged_q4.onnx");
  }
}
