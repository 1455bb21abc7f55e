package io.captionstream.model;

/**
 * The vision encoder's dimensions from {@code config.json → vision_config}.
 *
 * @param hiddenSize      {@code hidden_size} (768)
 * @param imageSize       {@code image_size}: the tile side S (512)
 * @param patchSize       {@code patch_size} (16)
 * @param numHiddenLayers {@code num_hidden_layers}, 0 if absent
 */
public record VisionConfig(int hiddenSize, int imageSize, int patchSize, int numHiddenLayers) {

  /** Patches per tile side (32 for 512/16). */
  public int patchesPerSide() {
    return imageSize / patchSize;
  }
}
