package io.captionstream.image;

import io.captionstream.model.PreprocessorConfig;

/**
 * BENCHMARK/TEST BASELINE ONLY: the preprocessing path as it was before the performance work (commit 2df59bf), on
 * {@link BaselineResampler}, plus the synthetic benchmark inputs. Public so that the JMH benchmark in
 * {@code io.captionstream.image.bench} can reach it; never used by main code.
 */
public final class BaselinePipeline {

  private BaselinePipeline() {
  }

  /** The pre-optimisation decode: every JPEG through the codec's own BGR raster and {@code RasterConverter}. */
  public static RgbImage decode(byte[] bytes) {
    return new ImageDecoder(DecodeLimits.defaults(), false).decode(bytes);
  }

  /** The pre-optimisation {@code ImagePreprocessor.preprocess(image, cfg)}, verbatim except for the resampler. */
  public static PixelBatch preprocess(RgbImage image, PreprocessorConfig cfg) {
    BaselineResampler resampler = new BaselineResampler(ResampleFilter.fromPilId(cfg.resample()));
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

  /** A photo-sized 4000×3000 baseline JPEG (quality 0.9) of the deterministic test pattern. */
  public static byte[] jpeg4000x3000() {
    return TestImages.jpeg(TestImages.rgbImage(4000, 3000, 4000), 0.9f);
  }

  /** A 640×480 8-bit RGB PNG of the deterministic test pattern. */
  public static byte[] png640x480() {
    return new PngBuilder(640, 480, 8, PngBuilder.RGB, TestImages.pattern(640, 480, 3, 255, 640)).build();
  }
}
