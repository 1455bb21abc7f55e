package io.captionstream.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything the engine reads from a model folder's JSON files.
 *
 * @param modelType    {@code config.json → model_type} ({@code idefics3} or {@code smolvlm})
 * @param imageTokenId {@code config.json → image_token_id} (49190)
 * @param scaleFactor  {@code config.json → scale_factor}: pixel-shuffle factor (4)
 * @param text         {@code config.json → text_config}
 * @param vision       {@code config.json → vision_config}
 * @param imageSeqLen  {@code processor_config.json → image_seq_len}: {@code <image>} tokens per tile (64)
 * @param eosTokenIds  {@code generation_config.json → eos_token_id} (int or list; 49279 for the real models)
 * @param preprocessor {@code preprocessor_config.json}
 */
public record ModelConfig(String modelType, int imageTokenId, int scaleFactor, TextConfig text, VisionConfig vision,
    int imageSeqLen, List<Integer> eosTokenIds, PreprocessorConfig preprocessor) {

  public ModelConfig {
    Objects.requireNonNull(modelType, "modelType");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(vision, "vision");
    Objects.requireNonNull(preprocessor, "preprocessor");
    eosTokenIds = List.copyOf(eosTokenIds);
    if (eosTokenIds.isEmpty()) {
      throw new IllegalArgumentException("eosTokenIds must not be empty");
    }
  }

  /** The first end-of-sequence id: the stop token ({@code <end_of_utterance>}). */
  public int eosTokenId() {
    return eosTokenIds.get(0);
  }

  /** Image tokens per tile implied by the vision config: (S / patch)² / scale² (64 for the real models). */
  public int derivedImageSeqLen() {
    int side = vision.patchesPerSide() / scaleFactor;
    return side * side;
  }
}
