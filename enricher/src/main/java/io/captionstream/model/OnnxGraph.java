package io.captionstream.model;

/** The three graphs of a SmolVLM ONNX export, by their base file name in {@code onnx/}. */
public enum OnnxGraph {
  VISION_ENCODER("vision_encoder", "vision"),
  EMBED_TOKENS("embed_tokens", "embed"),
  DECODER("decoder_model_merged", "decoder");

  private final String baseName;
  private final String key;

  OnnxGraph(String baseName, String key) {
    this.baseName = baseName;
    this.key = key;
  }

  /** File name without suffix and extension, e.g. {@code decoder_model_merged}. */
  public String baseName() {
    return baseName;
  }

  /** Short key used in variant selections: {@code vision}, {@code embed}, {@code decoder}. */
  public String key() {
    return key;
  }

  /** {@code onnx/} file name of this graph in {@code variant}, e.g. {@code decoder_model_merged_q4.onnx}. */
  public String fileName(OnnxVariant variant) {
    return baseName + variant.suffix() + ".onnx";
  }
}
