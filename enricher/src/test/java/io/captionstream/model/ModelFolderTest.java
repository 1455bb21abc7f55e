package io.captionstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

  @TempDir Path tmp;

  private Path folder(OnnxVariant... variants) {
    return TestModelFolders.writeFolder(tmp.resolve("SmolVLM-test"), 1000, variants);
  }

  @Test
  void readsConfigValuesFromTheHubFileLayout() {
    ModelFolder f = ModelFolder.load(folder(OnnxVariant.FP32));
    ModelConfig c = f.config();
    assertThat(c.modelType()).isEqualTo("idefics3");
    assertThat(c.imageTokenId()).isEqualTo(1000 - 90);
    assertThat(c.scaleFactor()).isEqualTo(4);
    assertThat(c.imageSeqLen()).isEqualTo(64).isEqualTo(c.derivedImageSeqLen());
    assertThat(c.eosTokenId()).isEqualTo(999);
    assertThat(c.text()).isEqualTo(new TextConfig(64, 2, 4, 2, 16, 1000, 8192, 100000.0));
    assertThat(c.vision()).isEqualTo(new VisionConfig(32, 512, 16, 1));
    assertThat(f.preprocessor().longestEdge()).isEqualTo(2048);
    assertThat(f.preprocessor().tileSize()).isEqualTo(512);
    assertThat(f.preprocessor().doImageSplitting()).isTrue();
    assertThat(f.chatTemplate()).startsWith("<|im_start|>{% for message in messages %}");
    assertThat(f.tokenizerFile()).isRegularFile();
    assertThat(f.modelId()).isEqualTo("SmolVLM-test");
    assertThat(f.variants()).hasToString("fp32");
  }

  @Test
  void selectsGraphFilesByVariantSuffixWithPerGraphOverrides() {
    Path dir = folder(OnnxVariant.FP32, OnnxVariant.Q4, OnnxVariant.QUANTIZED);
    ModelFolder f = ModelFolder.load(dir, VariantSelection.parse("q4,vision=fp32"));
    assertThat(f.graphs().visionEncoder().onnx().getFileName()).hasToString("vision_encoder.onnx");
    assertThat(f.graphs().embedTokens().onnx().getFileName()).hasToString("embed_tokens_q4.onnx");
    assertThat(f.graphs().decoder().onnx().getFileName()).hasToString("decoder_model_merged_q4.onnx");
    assertThat(f.variants()).hasToString("vision=fp32,embed=q4,decoder=q4");
    assertThat(ModelFolder.load(dir, VariantSelection.parse("q8")).graphs().decoder().onnx().getFileName())
        .hasToString("decoder_model_merged_quantized.onnx");
    assertThat(ModelFolder.availableVariants(dir).get(OnnxGraph.DECODER))
        .containsExactly(OnnxVariant.FP32, OnnxVariant.QUANTIZED, OnnxVariant.Q4);
  }

  @Test
  void missingVariantNamesTheFileAndListsWhatIsPresent() {
    Path dir = folder(OnnxVariant.FP32, OnnxVariant.FP16);
    assertThatThrownBy(() -> ModelFolder.load(dir, VariantSelection.all(OnnxVariant.Q4F16)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("vision_encoder_q4f16.onnx")
        .hasMessageContaining("variants present: [fp32, fp16]");
  }

  @Test
  void missingConfigFileIsNamed() throws Exception {
    Path dir = folder(OnnxVariant.FP32);
    Files.delete(dir.resolve("processor_config.json"));
    assertThatThrownBy(() -> ModelFolder.load(dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("processor_config.json")
        .hasMessageContaining("required file is missing");
  }

  @Test
  void missingFieldNamesFileAndField() {
    Path dir = folder(OnnxVariant.FP32);
    TestModelFolders.editJson(dir.resolve("config.json"),
        root -> ((ObjectNode) root.get("text_config")).remove("num_key_value_heads"));
    assertThatThrownBy(() -> ModelFolder.load(dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("text_config.num_key_value_heads")
        .satisfies(e -> assertThat(((ModelLoadException) e).field()).isEqualTo("text_config.num_key_value_heads"));
  }

  @Test
  void wrongFieldTypeIsReported() {
    Path dir = folder(OnnxVariant.FP32);
    TestModelFolders.editJson(dir.resolve("generation_config.json"), root -> root.put("eos_token_id", "eou"));
    assertThatThrownBy(() -> ModelFolder.load(dir))
        .hasMessageContaining("generation_config.json").hasMessageContaining("eos_token_id");
  }

  @Test
  void eosTokenIdMayBeAList() {
    Path dir = folder(OnnxVariant.FP32);
    TestModelFolders.editJson(dir.resolve("generation_config.json"),
        root -> root.putArray("eos_token_id").add(999).add(2));
    assertThat(ModelFolder.load(dir).config().eosTokenIds()).containsExactly(999, 2);
  }

  @Test
  void imageSeqLenMustMatchTheVisionGeometry() {
    Path dir = folder(OnnxVariant.FP32);
    TestModelFolders.editJson(dir.resolve("processor_config.json"), root -> root.put("image_seq_len", 81));
    assertThatThrownBy(() -> ModelFolder.load(dir))
        .hasMessageContaining("processor_config.json").hasMessageContaining("image_seq_len 81")
        .hasMessageContaining("= 64");
  }

  @Test
  void missingChatTemplateIsNamedAndChatTemplateJsonIsAccepted() throws Exception {
    Path dir = folder(OnnxVariant.FP32);
    String template = ModelFolder.load(dir).chatTemplate();
    TestModelFolders.editJson(dir.resolve("tokenizer_config.json"), root -> root.remove("chat_template"));
    assertThatThrownBy(() -> ModelFolder.load(dir))
        .hasMessageContaining("tokenizer_config.json").hasMessageContaining("chat_template");
    Files.writeString(dir.resolve("chat_template.json"),
        new ObjectMapper().writeValueAsString(Map.of("chat_template", template)));
    assertThat(ModelFolder.load(dir).chatTemplate()).isEqualTo(template);
  }

  @Test
  void externalDataMustBePresent() throws Exception {
    Path dir = folder(OnnxVariant.FP32);
    Path decoder = dir.resolve("onnx/decoder_model_merged.onnx");
    TestModelFolders.writeOnnx(decoder, "decoder_model_merged.onnx_data");
    assertThatThrownBy(() -> ModelFolder.load(dir))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("decoder_model_merged.onnx")
        .hasMessageContaining("external data file decoder_model_merged.onnx_data is missing");
    Files.write(dir.resolve("onnx/decoder_model_merged.onnx_data"), new byte[16]);
    assertThat(ModelFolder.load(dir).graphs().decoder().externalData())
        .containsExactly(dir.resolve("onnx/decoder_model_merged.onnx_data").toAbsolutePath());
    assertThat(ModelFolder.load(dir).graphs().visionEncoder().externalData()).isEmpty();
  }

  @Test
  void modelIdComesFromParameterMarkerFileOrHubCachePath() throws Exception {
    Path dir = folder(OnnxVariant.FP32);
    assertThat(ModelFolder.load(dir, VariantSelection.defaults(), "acme/tiny").modelId()).isEqualTo("acme/tiny");
    Files.writeString(dir.resolve(ModelFolder.MARKER_FILE),
        "{\"model_id\":\"HuggingFaceTB/SmolVLM-256M-Instruct\",\"revision\":\"abc123\"}");
    ModelFolder f = ModelFolder.load(dir);
    assertThat(f.modelId()).isEqualTo("HuggingFaceTB/SmolVLM-256M-Instruct");
    assertThat(f.revision()).contains("abc123");

    Path cached = TestModelFolders.writeFolder(
        tmp.resolve("hub/models--HuggingFaceTB--SmolVLM-500M-Instruct/snapshots/0123abcd"), 1000, OnnxVariant.FP32);
    ModelFolder hub = ModelFolder.load(cached);
    assertThat(hub.modelId()).isEqualTo("HuggingFaceTB/SmolVLM-500M-Instruct");
    assertThat(hub.revision()).contains("0123abcd");
  }

  @Test
  void missingFolderFailsClearly() {
    assertThatThrownBy(() -> ModelFolder.load(tmp.resolve("nope")))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("model folder does not exist");
  }

  @Test
  void variantSelectionParsesUniformAndPerGraphSpecs() {
    assertThat(VariantSelection.parse(null)).isEqualTo(VariantSelection.defaults());
    assertThat(VariantSelection.parse("Q4F16")).isEqualTo(VariantSelection.all(OnnxVariant.Q4F16));
    assertThat(VariantSelection.parse("vision=fp32, decoder=q4"))
        .isEqualTo(new VariantSelection(OnnxVariant.FP32, OnnxVariant.FP32, OnnxVariant.Q4));
    assertThat(VariantSelection.parse("decoder_model_merged=bnb4,int8").decoder()).isEqualTo(OnnxVariant.BNB4);
    assertThatThrownBy(() -> VariantSelection.parse("q3")).hasMessageContaining("unknown ONNX variant 'q3'");
    assertThatThrownBy(() -> VariantSelection.parse("text=q4")).hasMessageContaining("unknown graph 'text'");
    assertThat(List.of(OnnxVariant.values())).extracting(OnnxVariant::suffix)
        .containsExactly("", "_fp16", "_int8", "_uint8", "_quantized", "_q4", "_q4f16", "_bnb4");
  }
}
