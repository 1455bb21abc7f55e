package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captionstream.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthModelCommandTest {

  @Test
  void writesTinyFolderWithOverriddenDimensions(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("model");
    int code = Main.execute("synth-model", "--preset", "tiny", "--out", out.toString(), "--heads", "6",
        "--kv-heads", "3", "--layers", "1", "--no-split", "--eos-bias", "5", "--seed", "9");
    assertThat(code).isZero();
    JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
    assertThat(config.path("text_config").path("num_attention_heads").asInt()).isEqualTo(6);
    assertThat(config.path("text_config").path("num_key_value_heads").asInt()).isEqualTo(3);
    assertThat(config.path("text_config").path("num_hidden_layers").asInt()).isEqualTo(1);
    JsonNode pre = new ObjectMapper().readTree(out.resolve("preprocessor_config.json").toFile());
    assertThat(pre.path("do_image_splitting").asBoolean()).isFalse();
    assertThat(out.resolve("onnx/decoder_model_merged.onnx")).exists();
    assertThat(out.resolve("tokenizer.json")).exists();
    assertThat(Files.exists(out.resolve("onnx/decoder_model_merged.onnx_data"))).isFalse();
  }

  @Test
  void rejectsInconsistentDimensionsWithExitCode2(@TempDir Path dir) {
    int code = Main.execute("synth-model", "--preset", "tiny", "--out", dir.resolve("m").toString(),
        "--kv-heads", "3");
    assertThat(code).isEqualTo(2);
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void rejectsUnknownPreset(@TempDir Path dir) {
    assertThat(Main.execute("synth-model", "--preset", "giant", "--out", dir.toString())).isEqualTo(2);
  }

  @Test
  void variantsFlagWritesEachChosenVariantOfAllThreeGraphsBesideFp32(@TempDir Path dir) {
    Path out = dir.resolve("model");
    assertThat(Main.execute("synth-model", "--out", out.toString(), "--layers", "1", "--variants", "int8,q4"))
        .isZero();
    for (String graph : new String[] {"vision_encoder", "embed_tokens", "decoder_model_merged"}) {
      assertThat(out.resolve("onnx/" + graph + ".onnx")).exists();
      assertThat(out.resolve("onnx/" + graph + "_int8.onnx")).exists();
      assertThat(out.resolve("onnx/" + graph + "_q4.onnx")).exists();
      assertThat(out.resolve("onnx/" + graph + "_bnb4.onnx")).doesNotExist();
    }
  }

  @Test
  void variantsAllWritesEveryHubSuffix(@TempDir Path dir) {
    Path out = dir.resolve("model");
    assertThat(Main.execute("synth-model", "--out", out.toString(), "--layers", "1", "--variants", "all")).isZero();
    for (String suffix : new String[] {"", "_fp16", "_int8", "_uint8", "_quantized", "_q4", "_q4f16", "_bnb4"}) {
      assertThat(out.resolve("onnx/decoder_model_merged" + suffix + ".onnx")).exists();
      assertThat(out.resolve("onnx/vision_encoder" + suffix + ".onnx")).exists();
      assertThat(out.resolve("onnx/embed_tokens" + suffix + ".onnx")).exists();
    }
  }

  @Test
  void rejectsAnUnknownVariantWithExitCode2(@TempDir Path dir) {
    assertThat(Main.execute("synth-model", "--out", dir.resolve("m").toString(), "--variants", "q3")).isEqualTo(2);
    assertThat(dir.resolve("m")).doesNotExist();
  }
}
