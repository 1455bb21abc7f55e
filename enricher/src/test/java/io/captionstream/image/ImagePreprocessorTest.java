package io.captionstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.model.PreprocessorConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  private static RgbImage pattern(int w, int h) {
    int[] s = TestImages.pattern(w, h, 3, 255, 7);
    byte[] b = new byte[s.length];
    for (int i = 0; i < s.length; i++) {
      b[i] = (byte) s[i];
    }
    return RgbImage.of(w, h, b);
  }

  private static RgbImage constant(int w, int h, int r, int g, int b) {
    byte[] px = new byte[w * h * 3];
    for (int i = 0; i < px.length; i += 3) {
      px[i] = (byte) r;
      px[i + 1] = (byte) g;
      px[i + 2] = (byte) b;
    }
    return RgbImage.of(w, h, px);
  }

  @Test
  void splitsFourByThreeImageIntoTwelveTilesPlusGlobal() {
    PixelBatch batch = new ImagePreprocessor(PreprocessorConfig.smolVlmDefaults()).preprocess(pattern(64, 48));
    assertThat(batch.rows()).isEqualTo(3);
    assertThat(batch.cols()).isEqualTo(4);
    assertThat(batch.tiles()).isEqualTo(13);
    assertThat(batch.pixelShape()).containsExactly(1, 13, 3, 512, 512);
    assertThat(batch.maskShape()).containsExactly(1, 13, 512, 512);
    assertThat(batch.pixelValues()).hasSize(13 * 3 * 512 * 512);
  }

  @Test
  void gridOfPixelsEqualsPlannedGrid() {
    PreprocessorConfig cfg = PreprocessorConfig.smolVlmDefaults().withLongestEdge(300);
    ImagePreprocessor p = new ImagePreprocessor(cfg);
    for (int[] size : new int[][] {{100, 80}, {80, 100}, {7, 300}, {1000, 999}, {1, 1}}) {
      RgbImage img = pattern(size[0], size[1]);
      cfg = cfg.withLongestEdge(900);
      assertThat(p.preprocess(img, cfg).grid()).as("%dx%d", size[0], size[1])
          .isEqualTo(TileGrid.plan(size[0], size[1], cfg));
    }
  }

  @Test
  void unsplitModeGivesOneTile() {
    PreprocessorConfig cfg = PreprocessorConfig.smolVlmDefaults().withSplitting(false);
    PixelBatch batch = new ImagePreprocessor(cfg).preprocess(pattern(100, 80));
    assertThat(batch.tiles()).isEqualTo(1);
    assertThat(batch.rows()).isZero();
    assertThat(batch.cols()).isZero();
    assertThat(batch.pixelShape()).containsExactly(1, 1, 3, 512, 512);
  }

  @Test
  void rescalesAndNormalisesToMinusOneOne() {
    PreprocessorConfig cfg = PreprocessorConfig.smolVlmDefaults().withLongestEdge(64).withSplitting(false);
    PixelBatch black = new ImagePreprocessor(cfg).preprocess(constant(10, 10, 0, 255, 128));
    float[] v = black.pixelValues();
    int plane = 512 * 512;
    assertThat(v[0]).isEqualTo(-1.0f);
    assertThat(v[plane]).isEqualTo(1.0f);
    float expected = ((float) (128 * (1 / 255.0)) - 0.5f) / 0.5f;
    assertThat(v[2 * plane]).isEqualTo(expected);
    // a constant image stays exactly constant through every Lanczos resize
    assertThat(Arrays.copyOfRange(v, 0, plane)).containsOnly(-1.0f);
    assertThat(Arrays.copyOfRange(v, 2 * plane, 3 * plane)).containsOnly(expected);
  }

  @Test
  void maskIsAllTrue() {
    PreprocessorConfig cfg = PreprocessorConfig.smolVlmDefaults().withLongestEdge(600);
    PixelBatch batch = new ImagePreprocessor(cfg).preprocess(pattern(30, 20));
    byte[] mask = batch.attentionMask();
    assertThat(mask).hasSize(batch.tiles() * 512 * 512);
    for (byte b : mask) {
      assertThat(b).isEqualTo((byte) 1);
    }
  }

  @Test
  void tilesAreRowMajorCropsOfTheResizedImageAndGlobalIsLast() {
    // 2 x 1 tiles of 4 px: left half black, right half white survives the resize to 8x4 (no resize needed)
    PreprocessorConfig cfg = new PreprocessorConfig(8, 4, true, true, 1, true, 1 / 255.0, true,
        new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, true);
    byte[] px = new byte[8 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 4; x < 8; x++) {
        Arrays.fill(px, (y * 8 + x) * 3, (y * 8 + x) * 3 + 3, (byte) 255);
      }
    }
    PixelBatch batch = new ImagePreprocessor(cfg).preprocess(RgbImage.of(8, 4, px));
    assertThat(batch.grid()).isEqualTo(new TileGrid(1, 2, 4));
    float[] v = batch.pixelValues();
    int tile = 3 * 16;
    assertThat(Arrays.copyOfRange(v, 0, tile)).containsOnly(-1.0f);
    assertThat(Arrays.copyOfRange(v, tile, 2 * tile)).containsOnly(1.0f);
    // the global tile is the 8x4 image squeezed to 4x4: dark on the left, bright on the right
    assertThat(v[2 * tile]).isLessThan(0f);
    assertThat(v[2 * tile + 3]).isGreaterThan(0f);
  }

  @Test
  void resamplerReturnsSameImageForSameSizeAndKeepsConstants() {
    PillowResampler r = new PillowResampler(ResampleFilter.LANCZOS);
    RgbImage img = pattern(13, 9);
    assertThat(r.resize(img, 13, 9)).isSameAs(img);
    RgbImage grey = constant(13, 9, 77, 0, 255);
    RgbImage up = r.resize(grey, 40, 3);
    assertThat(up).isEqualTo(constant(40, 3, 77, 0, 255));
  }

  @Test
  void perRequestOverridesChangeTheGrid() {
    ImagePreprocessor p = new ImagePreprocessor(PreprocessorConfig.smolVlmDefaults().withLongestEdge(1024));
    RgbImage img = pattern(40, 30);
    assertThat(p.preprocess(img).grid()).isEqualTo(new TileGrid(2, 2, 512));
    assertThat(p.preprocess(img, p.config().withLongestEdge(1536)).grid()).isEqualTo(new TileGrid(3, 3, 512));
    assertThat(p.preprocess(img, p.config().withSplitting(false)).tiles()).isEqualTo(1);
    assertThat(p.preprocess(img, 1536, null)).isEqualTo(p.preprocess(img, p.config().withLongestEdge(1536)));
    assertThat(p.preprocess(img, null, false).grid()).isEqualTo(TileGrid.unsplit(512));
    assertThat(p.preprocess(img, null, null)).isEqualTo(p.preprocess(img));
  }
}
