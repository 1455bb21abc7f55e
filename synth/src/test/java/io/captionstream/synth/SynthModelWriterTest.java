package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder looks like the hub repo and its JSON files describe the graphs that were written. */
class SynthModelWriterTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesTheHubLayout(@TempDir Path dir) throws IOException {
    SynthModelWriter.Written written = SynthModelWriter.write(SynthSpec.tiny(), dir);
    assertThat(written.files()).map(Path::toString).contains(
        "config.json", "preprocessor_config.json", "processor_config.json", "generation_config.json",
        "tokenizer.json", "tokenizer_config.json", "onnx/vision_encoder.onnx", "onnx/embed_tokens.onnx",
            "onnx/decoder_model_merged.onnx");
    assertThat(written.files()).map(Path::toString).noneMatch(f -> f.endsWith(".onnx_data"));
    assertThat(written.totalBytes()).isGreaterThan(100_000);
  }

  @Test
  void configFilesCarryTheSpec(@TempDir Path dir) throws IOException {
    SynthSpec spec = SynthSpec.tiny().toBuilder().imageSplitting(false).eosBias(3f).build();
    SynthModelWriter.write(spec, dir);
    JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
    assertThat(config.path("model_type").asText()).isEqualTo("idefics3");
    assertThat(config.path("image_token_id").asInt()).isEqualTo(spec.imageTokenId());
    assertThat(config.path("scale_factor").asInt()).isEqualTo(2);
    JsonNode text = config.path("text_config");
    assertThat(text.path("num_hidden_layers").asInt()).isEqualTo(2);
    assertThat(text.path("num_attention_heads").asInt()).isEqualTo(4);
    assertThat(text.path("num_key_value_heads").asInt()).isEqualTo(2);
    assertThat(text.path("head_dim").asInt()).isEqualTo(16);
    assertThat(text.path("hidden_size").asInt()).isEqualTo(64);
    assertThat(text.path("vocab_size").asInt()).isEqualTo(512);
    assertThat(text.path("rope_theta").asDouble()).isEqualTo(100000.0);
    assertThat(config.path("vision_config").path("patch_size").asInt()).isEqualTo(8);

    JsonNode pre = JSON.readTree(dir.resolve("preprocessor_config.json").toFile());
    assertThat(pre.path("processor_class").asText()).isEqualTo("Idefics3Processor");
    assertThat(pre.path("image_processor_type").asText()).isEqualTo("Idefics3ImageProcessor");
    assertThat(pre.path("size").path("longest_edge").asInt()).isEqualTo(256);
    assertThat(pre.path("max_image_size").path("longest_edge").asInt()).isEqualTo(64);
    assertThat(pre.path("do_image_splitting").asBoolean()).isFalse();
    assertThat(pre.path("resample").asInt()).isEqualTo(1);
    assertThat(pre.path("rescale_factor").asDouble()).isEqualTo(1 / 255.0);
    assertThat(pre.path("image_mean").get(0).asDouble()).isEqualTo(0.5);

    assertThat(JSON.readTree(dir.resolve("processor_config.json").toFile()).path("image_seq_len").asInt())
        .isEqualTo(16);
    JsonNode gen = JSON.readTree(dir.resolve("generation_config.json").toFile());
    assertThat(gen.path("eos_token_id").asInt()).isEqualTo(511);
    assertThat(gen.path("bos_token_id").asInt()).isEqualTo(1);
  }

  @Test
  void sameSeedWritesIdenticalGraphsAndAnotherSeedDoesNot(@TempDir Path a, @TempDir Path b, @TempDir Path c)
      throws IOException {
    SynthModelWriter.writeGraphs(SynthSpec.tiny(), a);
    SynthModelWriter.writeGraphs(SynthSpec.tiny(), b);
    SynthModelWriter.writeGraphs(SynthSpec.tiny().withSeed(7), c);
    for (Path graph : new Path[] {Path.of("onnx/decoder_model_merged.onnx"), Path.of("onnx/vision_encoder.onnx"),
        Path.of("onnx/embed_tokens.onnx")}) {
      byte[] first = Files.readAllBytes(a.resolve(graph));
      assertThat(Files.readAllBytes(b.resolve(graph))).isEqualTo(first);
      assertThat(Arrays.equals(Files.readAllBytes(c.resolve(graph)), first)).isFalse();
    }
  }

  @Test
  void externalDataGoesBesideEachGraphAndStillLoads(@TempDir Path dir) throws IOException, OrtException {
    SynthSpec spec = SynthSpec.tiny().withExternalData(true);
    SynthModelWriter.Written written = SynthModelWriter.write(spec, dir);
    assertThat(written.files()).map(Path::toString).contains(
        "onnx/decoder_model_merged.onnx_data", "onnx/vision_encoder.onnx_data", "onnx/embed_tokens.onnx_data");
    assertThat(Files.size(SynthModelWriter.decoder(dir))).isLessThan(50_000);
    try (OrtSession decoder = OrtRunner.open(SynthModelWriter.decoder(dir))) {
      float[] logits = OrtRunner.decode(decoder, spec, new float[spec.textHidden()], new long[] {1}, new long[] {0},
          null).logits();
      assertThat(logits).hasSize(spec.vocab()).doesNotContain(Float.NaN);
    }
  }

  @Test
  void realDimensionGraphsMatchTheContractShapes(@TempDir Path dir) throws IOException, OrtException {
    // The 256M dimensions with one layer each and a small vocabulary: the same head layout as the full preset.
    SynthSpec spec = SynthSpec.smolVlm256m().toBuilder().textLayers(1).visionLayers(1).vocab(1024)
        .intermediate(256).visionIntermediate(256).build();
    SynthModelWriter.writeGraphs(spec, dir);
    try (OrtSession decoder = OrtRunner.open(SynthModelWriter.decoder(dir));
         OrtSession vision = OrtRunner.open(SynthModelWriter.visionEncoder(dir))) {
      TensorInfo past = (TensorInfo) decoder.getInputInfo().get("past_key_values.0.key").getInfo();
      assertThat(past.getShape()).containsExactly(-1, 3, -1, 64);
      TensorInfo features = (TensorInfo) vision.getOutputInfo().get("image_features").getInfo();
      assertThat(features.getShape()).containsExactly(-1, 64, 576);
      TensorInfo pixels = (TensorInfo) vision.getInputInfo().get("pixel_values").getInfo();
      assertThat(pixels.getShape()).containsExactly(-1, -1, 3, 512, 512);

      // Running the 512-px vision graph is left to the by-hand full-preset check (seconds on one thread).
      float[] embeds = new float[2 * 576];
      Arrays.fill(embeds, 0.5f);
      OrtRunner.DecoderOut step = OrtRunner.decode(decoder, spec, embeds, new long[] {1, 1}, new long[] {0, 1}, null);
      assertThat(step.logits()).hasSize(2 * 1024);
      assertThat(step.presentShapes().get("present.0.value")).containsExactly(1, 3, 2, 64);
    }
  }
}
