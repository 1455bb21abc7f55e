package io.captionstream.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the JSON config files of a model folder into a {@link ModelConfig}. */
final class ConfigFiles {

  static final String CONFIG = "config.json";
  static final String PROCESSOR = "processor_config.json";
  static final String PREPROCESSOR = "preprocessor_config.json";
  static final String GENERATION = "generation_config.json";
  static final String TOKENIZER = "tokenizer.json";
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String CHAT_TEMPLATE_JSON = "chat_template.json";
  static final String CHAT_TEMPLATE_JINJA = "chat_template.jinja";

  private ConfigFiles() {}

  static ModelConfig read(Path dir) {
    JsonFile config = JsonFile.read(dir.resolve(CONFIG));
    ModelConfig mc = new ModelConfig(
        config.requireString("model_type"),
        config.requireInt("image_token_id"),
        config.requirePositiveInt("scale_factor"),
        text(config),
        vision(config),
        JsonFile.read(dir.resolve(PROCESSOR)).requirePositiveInt("image_seq_len"),
        JsonFile.read(dir.resolve(GENERATION)).requireIntOrIntList("eos_token_id"),
        preprocessor(JsonFile.read(dir.resolve(PREPROCESSOR))));
    checkConsistency(dir, mc);
    return mc;
  }

  private static TextConfig text(JsonFile f) {
    int hidden = f.requirePositiveInt("text_config.hidden_size");
    int heads = f.requirePositiveInt("text_config.num_attention_heads");
    int headDim = f.has("text_config.head_dim") ? f.requirePositiveInt("text_config.head_dim") : hidden / heads;
    int vocab = f.has("text_config.vocab_size") ? f.requirePositiveInt("text_config.vocab_size")
        : f.requirePositiveInt("vocab_size");
    return new TextConfig(hidden,
        f.requirePositiveInt("text_config.num_hidden_layers"),
        heads,
        f.requirePositiveInt("text_config.num_key_value_heads"),
        headDim,
        vocab,
        f.optInt("text_config.max_position_embeddings", 0),
        f.optDouble("text_config.rope_theta", 0));
  }

  private static VisionConfig vision(JsonFile f) {
    return new VisionConfig(
        f.requirePositiveInt("vision_config.hidden_size"),
        f.requirePositiveInt("vision_config.image_size"),
        f.requirePositiveInt("vision_config.patch_size"),
        f.optInt("vision_config.num_hidden_layers", 0));
  }

  /** Sizes are required; the other fields default as in transformers' Idefics3ImageProcessor. */
  private static PreprocessorConfig preprocessor(JsonFile f) {
    float[] half = {0.5f, 0.5f, 0.5f};
    try {
      return new PreprocessorConfig(
          f.requirePositiveInt("size.longest_edge"),
          f.requirePositiveInt("max_image_size.longest_edge"),
          f.optBoolean("do_resize", true),
          f.optBoolean("do_image_splitting", true),
          f.optInt("resample", PreprocessorConfig.PIL_LANCZOS),
          f.optBoolean("do_rescale", true),
          f.optDouble("rescale_factor", 1 / 255.0),
          f.optBoolean("do_normalize", true),
          f.optFloat3("image_mean", half),
          f.optFloat3("image_std", half),
          f.optBoolean("do_convert_rgb", true));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(f.file(), null, e.getMessage(), e);
    }
  }

  private static void checkConsistency(Path dir, ModelConfig mc) {
    if (mc.vision().imageSize() % mc.vision().patchSize() != 0
        || mc.vision().patchesPerSide() % mc.scaleFactor() != 0) {
      throw new ModelLoadException(dir.resolve(CONFIG), "vision_config.image_size",
          "image_size " + mc.vision().imageSize() + " is not a multiple of patch_size " + mc.vision().patchSize()
              + " × scale_factor " + mc.scaleFactor());
    }
    if (mc.imageSeqLen() != mc.derivedImageSeqLen()) {
      throw new ModelLoadException(dir.resolve(PROCESSOR), "image_seq_len",
          "image_seq_len " + mc.imageSeqLen() + " disagrees with config.json: (image_size/patch_size)²/scale_factor² = "
              + mc.derivedImageSeqLen());
    }
    if (mc.preprocessor().tileSize() != mc.vision().imageSize()) {
      throw new ModelLoadException(dir.resolve(PREPROCESSOR), "max_image_size.longest_edge",
          "tile size " + mc.preprocessor().tileSize() + " differs from config.json vision_config.image_size "
              + mc.vision().imageSize());
    }
    int vocab = mc.text().vocabSize();
    if (mc.imageTokenId() < 0 || mc.imageTokenId() >= vocab) {
      throw new ModelLoadException(dir.resolve(CONFIG), "image_token_id",
          "image_token_id " + mc.imageTokenId() + " outside the vocabulary 0.." + (vocab - 1));
    }
  }

  /**
   * The chat template: {@code tokenizer_config.json → chat_template}, else {@code chat_template.json →
   * chat_template}, else {@code chat_template.jinja} (newer hub exports keep it in a file of its own).
   */
  static String chatTemplate(Path dir) {
    JsonFile tc = JsonFile.read(dir.resolve(TOKENIZER_CONFIG));
    if (tc.has("chat_template")) {
      return tc.requireString("chat_template");
    }
    var json = JsonFile.readIfPresent(dir.resolve(CHAT_TEMPLATE_JSON));
    if (json.isPresent()) {
      return json.get().requireString("chat_template");
    }
    Path jinja = dir.resolve(CHAT_TEMPLATE_JINJA);
    if (Files.isRegularFile(jinja)) {
      try {
        return Files.readString(jinja);
      } catch (IOException e) {
        throw new ModelLoadException(jinja, null, "cannot read: " + e.getMessage(), e);
      }
    }
    throw new ModelLoadException(tc.file(), "chat_template",
        "missing field (and no " + CHAT_TEMPLATE_JSON + " or " + CHAT_TEMPLATE_JINJA + " beside it)");
  }
}
