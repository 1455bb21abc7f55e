package io.captionstream.model;

/**
 * The image processor settings of a model folder ({@code preprocessor_config.json}), as the image stage consumes them.
 * Parsed by the model stage; never hard-coded elsewhere.
 *
 * @param longestEdge    {@code size.longest_edge}: the first resize target (2048 for the real models)
 * @param tileSize       {@code max_image_size.longest_edge}: tile side S fed to the vision encoder (512)
 * @param doResize       {@code do_resize}
 * @param doImageSplitting {@code do_image_splitting}
 * @param resample       PIL resample filter id ({@code resample}; 1 = LANCZOS)
 * @param doRescale      {@code do_rescale}
 * @param rescaleFactor  {@code rescale_factor} (1/255)
 * @param doNormalize    {@code do_normalize}
 * @param imageMean      {@code image_mean}, 3 values
 * @param imageStd       {@code image_std}, 3 values
 * @param doConvertRgb   {@code do_convert_rgb}
 */
public record PreprocessorConfig(
    int longestEdge,
    int tileSize,
    boolean doResize,
    boolean doImageSplitting,
    int resample,
    boolean doRescale,
    double rescaleFactor,
    boolean doNormalize,
    float[] imageMean,
    float[] imageStd,
    boolean doConvertRgb) {

  public static final int PIL_LANCZOS = 1;

  public PreprocessorConfig {
    if (longestEdge < 1 || tileSize < 1) {
      throw new IllegalArgumentException("longestEdge and tileSize must be positive");
    }
    if (imageMean.length != 3 || imageStd.length != 3) {
      throw new IllegalArgumentException("image_mean and image_std need 3 values");
    }
    imageMean = imageMean.clone();
    imageStd = imageStd.clone();
  }

  /** The values of the real SmolVLM-256M/500M processors. */
  public static PreprocessorConfig smolVlmDefaults() {
    return new PreprocessorConfig(
        2048, 512, true, true, PIL_LANCZOS, true, 1 / 255.0, true,
        new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, true);
  }

  public PreprocessorConfig withLongestEdge(int px) {
    return new PreprocessorConfig(px, tileSize, doResize, doImageSplitting, resample, doRescale, rescaleFactor,
        doNormalize, imageMean, imageStd, doConvertRgb);
  }

  public PreprocessorConfig withSplitting(boolean split) {
    return new PreprocessorConfig(longestEdge, tileSize, doResize, split, resample, doRescale, rescaleFactor,
        doNormalize, imageMean, imageStd, doConvertRgb);
  }

  @Override
  public float[] imageMean() {
    return imageMean.clone();
  }

  @Override
  public float[] imageStd() {
    return imageStd.clone();
  }
}
