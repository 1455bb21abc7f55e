package io.captionstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphContractTest {

  private static final OnnxJavaType F = OnnxJavaType.FLOAT;
  private static final OnnxJavaType H = OnnxJavaType.FLOAT16;

  /** Metadata shaped like the 500M decoder: 32 layers, 5 kv heads, head dim 64, hidden 960. */
  private static Map<String, TensorSpec> decoderIn(int layers, int kv, int headDim, int hidden, OnnxJavaType kvType,
      boolean cacheBranch) {
    Map<String, TensorSpec> in = new LinkedHashMap<>();
    in.put("inputs_embeds", new TensorSpec(F, new long[] {-1, -1, hidden}));
    in.put("attention_mask", new TensorSpec(OnnxJavaType.INT64, new long[] {-1, -1}));
    in.put("position_ids", new TensorSpec(OnnxJavaType.INT64, new long[] {-1, -1}));
    for (int i = layers - 1; i >= 0; i--) { // reverse order: layer order must come from the names
      in.put("past_key_values." + i + ".key", new TensorSpec(kvType, new long[] {-1, kv, -1, headDim}));
      in.put("past_key_values." + i + ".value", new TensorSpec(kvType, new long[] {-1, kv, -1, headDim}));
    }
    if (cacheBranch) {
      in.put("use_cache_branch", new TensorSpec(OnnxJavaType.BOOL, new long[] {1}));
    }
    return in;
  }

  private static Map<String, TensorSpec> decoderOut(int layers, int kv, int headDim, int vocab, OnnxJavaType type) {
    Map<String, TensorSpec> out = new LinkedHashMap<>();
    out.put("logits", new TensorSpec(type, new long[] {-1, -1, vocab}));
    for (int i = 0; i < layers; i++) {
      out.put("present." + i + ".key", new TensorSpec(type, new long[] {-1, kv, -1, headDim}));
      out.put("present." + i + ".value", new TensorSpec(type, new long[] {-1, kv, -1, headDim}));
    }
    return out;
  }

  private static GraphContract derive(Map<String, TensorSpec> decIn, Map<String, TensorSpec> decOut, int hidden,
      int visionRank) {
    Map<String, TensorSpec> visIn = Map.of(
        "pixel_values", new TensorSpec(F, new long[] {-1, -1, 3, 512, 512}),
        "pixel_attention_mask", new TensorSpec(OnnxJavaType.BOOL, new long[] {-1, -1, 512, 512}));
    Map<String, TensorSpec> visOut = Map.of("image_features",
        new TensorSpec(F, visionRank == 3 ? new long[] {-1, 64, hidden} : new long[] {-1, hidden}));
    return GraphContract.derive("vision_encoder.onnx", visIn, visOut,
        "embed_tokens.onnx", Map.of("input_ids", new TensorSpec(OnnxJavaType.INT64, new long[] {-1, -1})),
        Map.of("inputs_embeds", new TensorSpec(F, new long[] {-1, -1, hidden})),
        "decoder_model_merged.onnx", decIn, decOut);
  }

  @Test
  void derivesLayersKvHeadsAndHeadDimFromPastInputs() {
    GraphContract c = derive(decoderIn(32, 5, 64, 960, F, false), decoderOut(32, 5, 64, 49280, F), 960, 3);
    assertThat(c.layers()).isEqualTo(32);
    assertThat(c.kvHeads()).isEqualTo(5);
    assertThat(c.headDim()).isEqualTo(64);
    assertThat(c.hidden()).isEqualTo(960);
    assertThat(c.vocab()).isEqualTo(49280);
    assertThat(c.kvType()).isEqualTo(F);
    assertThat(c.useCacheBranch()).isFalse();
    assertThat(c.visionOutputRank()).isEqualTo(3);
    assertThat(c.tileSize()).isEqualTo(512);
    assertThat(c.pixelMaskType()).isEqualTo(OnnxJavaType.BOOL);
    assertThat(c.pastKeys()).first().isEqualTo("past_key_values.0.key");
    assertThat(c.pastKeys()).last().isEqualTo("past_key_values.31.key");
    assertThat(c.presentValues()).element(7).isEqualTo("present.7.value");
  }

  @Test
  void readsFloat16CacheAndLogitsAndTheCacheBranchInput() {
    GraphContract c = derive(decoderIn(30, 3, 64, 576, H, true), decoderOut(30, 3, 64, 49280, H), 576, 2);
    assertThat(c.kvType()).isEqualTo(H);
    assertThat(c.logitsType()).isEqualTo(H);
    assertThat(c.useCacheBranch()).isTrue();
    assertThat(c.visionOutputRank()).isEqualTo(2);
    assertThat(c.layers()).isEqualTo(30);
  }

  @Test
  void rejectsADecoderWithoutPastInputs() {
    Map<String, TensorSpec> in = decoderIn(0, 3, 64, 576, F, false);
    assertThatThrownBy(() -> derive(in, decoderOut(2, 3, 64, 100, F), 576, 3))
        .isInstanceOf(GraphContractException.class)
        .hasMessageContaining("decoder_model_merged.onnx")
        .hasMessageContaining("past_key_values");
  }

  @Test
  void rejectsAMissingPresentOutput() {
    Map<String, TensorSpec> out = decoderOut(2, 3, 64, 100, F);
    out.remove("present.1.value");
    assertThatThrownBy(() -> derive(decoderIn(2, 3, 64, 576, F, false), out, 576, 3))
        .isInstanceOf(GraphContractException.class)
        .hasMessageContaining("present.1.value");
  }

  @Test
  void rejectsImageFeaturesOfAnotherWidth() {
    Map<String, TensorSpec> visIn = Map.of("pixel_values", new TensorSpec(F, new long[] {-1, -1, 3, 64, 64}));
    Map<String, TensorSpec> visOut = Map.of("image_features", new TensorSpec(F, new long[] {-1, 16, 32}));
    assertThatThrownBy(() -> GraphContract.derive("vision_encoder.onnx", visIn, visOut,
        "embed_tokens.onnx", Map.of("input_ids", new TensorSpec(OnnxJavaType.INT64, new long[] {-1, -1})),
        Map.of("inputs_embeds", new TensorSpec(F, new long[] {-1, -1, 64})),
        "decoder_model_merged.onnx", decoderIn(2, 2, 16, 64, F, false), decoderOut(2, 2, 16, 512, F)))
        .isInstanceOf(GraphContractException.class)
        .hasMessageContaining("vision_encoder.onnx")
        .hasMessageContaining("32");
  }

  @Test
  void acceptsAConfigThatAgreesWithTheGraphs() {
    GraphContract c = derive(decoderIn(30, 3, 64, 576, F, false), decoderOut(30, 3, 64, 49280, F), 576, 3);
    c.checkAgainst(new TextConfig(576, 30, 9, 3, 64, 49280, 8192, 100000), Path.of("m", "config.json"));
  }

  @Test
  void namesTheFileAndFieldWhenConfigDisagrees() {
    GraphContract c = derive(decoderIn(32, 3, 64, 960, F, false), decoderOut(32, 3, 64, 49280, F), 960, 3);
    TextConfig text = new TextConfig(960, 32, 15, 5, 64, 49280, 8192, 100000);
    assertThatThrownBy(() -> c.checkAgainst(text, Path.of("m", "config.json")))
        .isInstanceOf(GraphContractException.class)
        .hasMessageStartingWith("config.json: text_config.num_key_value_heads = 5")
        .hasMessageContaining("declare 3");
  }

  @Test
  void reportsAVocabularyMismatch() {
    GraphContract c = derive(decoderIn(2, 2, 32, 128, F, false), decoderOut(2, 2, 32, 512, F), 128, 3);
    assertThatThrownBy(() -> c.checkAgainst(new TextConfig(128, 2, 4, 2, 32, 49280, 0, 0), Path.of("config.json")))
        .hasMessageContaining("text_config.vocab_size = 49280")
        .hasMessageContaining("logits");
  }
}
