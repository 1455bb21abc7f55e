package io.captionstream.image;

import io.captionstream.model.PreprocessorConfig;

/**
 * Turns a decoded RGB image into vision encoder input exactly like transformers' slow {@code Idefics3ImageProcessor}
 * running on Pillow (contract §5): resize so the longest edge is {@code longestEdge}; if splitting, resize to tile
 * multiples, cut row-major tiles and append the whole image resized to one tile; else resize to one tile; then
 * rescale and normalise into {@code [1, T, 3, S, S]} float32 planes. Every resize is {@link PillowResampler} with the
 * config's {@code resample} filter. Stateless and thread-safe.
 */
public final class ImagePreprocessor {

  private final PreprocessorConfig config;

  public ImagePreprocessor(PreprocessorConfig config) {
    this.config = config;
  }

  public PreprocessorConfig config() {
    return config;
  }

  /** With this preprocessor's config. */
  public PixelBatch preprocess(RgbImage image) {
    return preprocess(image, config);
  }

  /**
   * With per-request overrides of {@code size.longest_edge} and {@code do_image_splitting}; {@code null} keeps this
   * preprocessor's value (the shape of {@code CaptionOptions.longestEdge()/split()}). Note that the first resize is
   * capped at {@link ResizePlan#MAX_IMAGE_SIZE} like transformers does, so at most 8 × 8 + 1 tiles of 512 result.
   */
  public PixelBatch preprocess(RgbImage image, Integer longestEdge, Boolean split) {
    PreprocessorConfig cfg = config;
    if (longestEdge != null) {
      cfg = cfg.withLongestEdge(longestEdge);
    }
    if (split != null) {
      cfg = cfg.withSplitting(split);
    }
    return preprocess(image, cfg);
  }

  /** With a per-request config (e.g. {@code config().withLongestEdge(1024).withSplitting(false)}). */
  public PixelBatch preprocess(RgbImage image, PreprocessorConfig cfg) {
    PillowResampler resampler = new PillowResampler(ResampleFilter.fromPilId(cfg.resample()));
    int tile = cfg.tileSize();
    RgbImage img = image;
    if (cfg.doResize()) {
      ImageSize size = ResizePlan.longestEdge(img.width(), img.height(), cfg.longestEdge());
      img = resampler.resize(img, size.width(), size.height());
    }
    ChannelLut lut = new ChannelLut(cfg);
    if (!cfg.doImageSplitting()) {
      RgbImage single = resampler.resize(img, tile, tile);
      float[] out = new float[3 * tile * tile];
      writeTile(single, 0, 0, tile, lut, out, 0);
      return new PixelBatch(out, TileGrid.unsplit(tile));
    }
    ImageSize multiple = ResizePlan.tileMultiple(img.width(), img.height(), tile);
    img = resampler.resize(img, multiple.width(), multiple.height());
    TileGrid grid = TileGrid.forTileMultiple(multiple, tile);
    int plane = tile * tile;
    float[] out = new float[grid.tiles() * 3 * plane];
    if (!grid.isSplit()) {
      writeTile(img, 0, 0, tile, lut, out, 0);
      return new PixelBatch(out, grid);
    }
    int t = 0;
    for (int r = 0; r < grid.rows(); r++) {
      for (int c = 0; c < grid.cols(); c++) {
        writeTile(img, c * tile, r * tile, tile, lut, out, (t++) * 3 * plane);
      }
    }
    RgbImage global = resampler.resize(img, tile, tile);
    writeTile(global, 0, 0, tile, lut, out, t * 3 * plane);
    return new PixelBatch(out, grid);
  }

  /** Writes the {@code tile}² square at (x0, y0) of {@code img} as three float planes at {@code offset}. */
  private static void writeTile(RgbImage img, int x0, int y0, int tile, ChannelLut lut, float[] out, int offset) {
    byte[] src = img.data();
    float[] lr = lut.channel(0);
    float[] lg = lut.channel(1);
    float[] lb = lut.channel(2);
    int plane = tile * tile;
    int stride = img.width() * 3;
    for (int y = 0; y < tile; y++) {
      int p = (y0 + y) * stride + x0 * 3;
      int o = offset + y * tile;
      for (int x = 0; x < tile; x++, p += 3, o++) {
        out[o] = lr[src[p] & 0xFF];
        out[o + plane] = lg[src[p + 1] & 0xFF];
        out[o + 2 * plane] = lb[src[p + 2] & 0xFF];
      }
    }
  }
}
