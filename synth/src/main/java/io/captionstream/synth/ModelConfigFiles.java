package io.captionstream.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON files of a model folder, shaped like the SmolVLM hub repos so that our engine and transformers.js read
 * them the same way: {@code config.json}, {@code preprocessor_config.json}, {@code processor_config.json},
 * {@code generation_config.json}.
 */
final class ModelConfigFiles {

  static final List<String> FILES =
      List.of("config.json", "preprocessor_config.json", "processor_config.json", "generation_config.json");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelConfigFiles() {}

  static void write(SynthSpec spec, Path dir) throws IOException {
    JSON.writeValue(dir.resolve("config.json").toFile(), config(spec));
    JSON.writeValue(dir.resolve("preprocessor_config.json").toFile(), preprocessor(spec));
    JSON.writeValue(dir.resolve("processor_config.json").toFile(), processor(spec));
    JSON.writeValue(dir.resolve("generation_config.json").toFile(), generation(spec));
  }

  static Map<String, Object> config(SynthSpec spec) {
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("architectures", List.of("VLlama3ForCausalLM"));
    text.put("model_type", "llama");
    text.put("attention_bias", false);
    text.put("attention_dropout", 0.0);
    text.put("head_dim", spec.headDim());
    text.put("hidden_act", "silu");
    text.put("hidden_size", spec.textHidden());
    text.put("intermediate_size", spec.intermediate());
    text.put("max_position_embeddings", 8192);
    text.put("mlp_bias", false);
    text.put("num_attention_heads", spec.textHeads());
    text.put("num_hidden_layers", spec.textLayers());
    text.put("num_key_value_heads", spec.kvHeads());
    text.put("pad_token_id", 2);
    text.put("rms_norm_eps", (double) DecoderGraph.RMS_EPS);
    text.put("rope_theta", spec.ropeTheta());
    text.put("tie_word_embeddings", false);
    text.put("torch_dtype", "float32");
    text.put("use_cache", true);
    text.put("vocab_size", spec.vocab());

    Map<String, Object> vision = new LinkedHashMap<>();
    vision.put("model_type", "idefics3_vision");
    vision.put("hidden_act", "gelu");
    vision.put("hidden_size", spec.visionHidden());
    vision.put("image_size", spec.tileSize());
    vision.put("intermediate_size", spec.visionIntermediate());
    vision.put("layer_norm_eps", (double) VisionEncoderGraph.LN_EPS);
    vision.put("num_attention_heads", spec.visionHeads());
    vision.put("num_channels", 3);
    vision.put("num_hidden_layers", spec.visionLayers());
    vision.put("patch_size", spec.patchSize());
    vision.put("max_image_size", Map.of("longest_edge", spec.tileSize()));

    Map<String, Object> c = new LinkedHashMap<>();
    c.put("architectures", List.of("Idefics3ForConditionalGeneration"));
    c.put("model_type", "idefics3");
    c.put("image_token_id", spec.imageTokenId());
    c.put("scale_factor", spec.scaleFactor());
    c.put("pad_token_id", 2);
    c.put("bos_token_id", 1);
    c.put("eos_token_id", spec.eosTokenId());
    c.put("tie_word_embeddings", false);
    c.put("torch_dtype", "float32");
    c.put("use_cache", true);
    c.put("vocab_size", spec.vocab());
    c.put("text_config", text);
    c.put("vision_config", vision);
    if (spec.externalData()) {
      c.put("transformers.js_config", Map.of("use_external_data_format", true));
    }
    c.put("_synthetic", Map.of(
        "generator", "captionstream synth-model",
        "seed", spec.seed(),
        "eos_bias", spec.eosBias(),
        "note", "random weights; graph contract of SmolVLM, not a trained model"));
    return c;
  }

  static Map<String, Object> preprocessor(SynthSpec spec) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("processor_class", "Idefics3Processor");
    p.put("image_processor_type", "Idefics3ImageProcessor");
    p.put("do_convert_rgb", true);
    p.put("do_resize", true);
    p.put("size", Map.of("longest_edge", spec.longestEdge()));
    p.put("max_image_size", Map.of("longest_edge", spec.tileSize()));
    p.put("do_image_splitting", spec.imageSplitting());
    p.put("resample", 1);
    p.put("do_rescale", true);
    p.put("rescale_factor", 1 / 255.0);
    p.put("do_normalize", true);
    p.put("image_mean", List.of(0.5, 0.5, 0.5));
    p.put("image_std", List.of(0.5, 0.5, 0.5));
    p.put("do_pad", true);
    return p;
  }

  static Map<String, Object> processor(SynthSpec spec) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("image_seq_len", spec.imageSeqLen());
    p.put("processor_class", "Idefics3Processor");
    return p;
  }

  static Map<String, Object> generation(SynthSpec spec) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("bos_token_id", 1);
    p.put("eos_token_id", spec.eosTokenId());
    p.put("pad_token_id", 2);
    p.put("do_sample", false);
    return p;
  }
}
