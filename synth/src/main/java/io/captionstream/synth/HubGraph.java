package io.captionstream.synth;

/**
 * The three graphs of a SmolVLM ONNX export, by their base file name in the hub repo's {@code onnx/} folder.
 *
 * <p>The kit states this part of the hub contract on its own, independently of the engine's reader
 * ({@code io.captionstream.model.OnnxGraph}), so that the kit does not depend on the engine. The enricher's
 * {@code HubTablesAgreeTest} checks that both tables name the same files, so they cannot drift apart.
 */
public enum HubGraph {
  VISION_ENCODER("vision_encoder"),
  EMBED_TOKENS("embed_tokens"),
  DECODER("decoder_model_merged");

  private final String baseName;

  HubGraph(String baseName) {
    this.baseName = baseName;
  }

  /** File name without suffix and extension, e.g. {@code decoder_model_merged}. */
  public String baseName() {
    return baseName;
  }

  /** {@code onnx/} file name of this graph in {@code variant}, e.g. {@code decoder_model_merged_q4.onnx}. */
  public String fileName(HubVariant variant) {
    return baseName + variant.suffix() + ".onnx";
  }
}
