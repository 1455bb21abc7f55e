package io.captionstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.model.PreprocessorConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pixel parity with the Pillow reference ({@code src/test/python/pillow_reference.py}): every case is generated here,
 * decoded and preprocessed by our Java code and by Pillow 9.4 + numpy, and the {@code pixel_values} compared. Lossless
 * sources (PNG, GIF, BMP, lossless WebP) must match bit for bit; JPEG within {@link #JPEG_TOLERANCE} because the two
 * JPEG decoders (JDK's libjpeg 6b vs libjpeg-turbo) may differ by a level before any of our code runs (measured: 0 on
 * these baseline 4:2:0 files); lossy WebP only within {@link #LOSSY_WEBP_MEAN_TOLERANCE} on average.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PillowParityTest {

  /** Max abs difference of normalised values for JPEG sources: 4 levels of 255 after normalisation (2/255 each). */
  static final double JPEG_TOLERANCE = 4 * 2 / 255.0;

  /**
   * Lossy WebP: TwelveMonkeys' pure-Java VP8 decoder converts YUV to RGB differently from libwebp (measured: up to 15
   * levels on a smooth image, 73 at noisy sharp chroma edges), so only the mean difference is bounded: 5 levels.
   */
  static final double LOSSY_WEBP_MEAN_TOLERANCE = 5 * 2 / 255.0;
  static final double LOSSY_WEBP_MAX_TOLERANCE = 0.5;

  record ParityCase(String name, String ext, Supplier<byte[]> source, int longestEdge, int tile, boolean split,
      boolean lossy) {
    @Override
    public String toString() {
      return name + " @" + longestEdge + "/" + tile + (split ? " split" : " unsplit");
    }
  }

  private Path dir;

  private final Map<String, byte[]> sources = new LinkedHashMap<>();

  static List<ParityCase> cases() {
    List<ParityCase> c = new ArrayList<>();
    c.add(png("rgb 1x1", 1, 1, PngBuilder.RGB, 8, 96, 32, true));
    c.add(png("rgb 3x7", 3, 7, PngBuilder.RGB, 8, 96, 32, true));
    c.add(png("rgb 100x80", 100, 80, PngBuilder.RGB, 8, 96, 32, true));
    c.add(png("rgb 100x80 defaults", 100, 80, PngBuilder.RGB, 8, 2048, 512, true));
    c.add(png("rgb 100x80 defaults", 100, 80, PngBuilder.RGB, 8, 2048, 512, false));
    c.add(png("gray 80x100", 80, 100, PngBuilder.GRAY, 8, 96, 32, true));
    c.add(palette("palette+tRNS 511x512", 511, 512, 8, 96, 32, true));
    c.add(png("rgba 513x512", 513, 512, PngBuilder.RGBA, 8, 96, 32, true));
    c.add(png("rgb 1000x10", 1000, 10, PngBuilder.RGB, 8, 96, 32, true));
    c.add(png("gray+alpha 10x1000", 10, 1000, PngBuilder.GRAY_ALPHA, 8, 96, 32, true));
    c.add(png("rgb16 640x480 defaults", 640, 480, PngBuilder.RGB, 16, 2048, 512, true));
    c.add(png("rgb 4000x3000 defaults", 4000, 3000, PngBuilder.RGB, 8, 2048, 512, true));
    c.add(gray16("gray16 low-range 640x480", 640, 480, 400, 96, 32, false));
    c.add(gray16("gray16 full-range 200x150", 200, 150, 65535, 100, 48, true));
    c.add(png("rgba16 300x200", 300, 200, PngBuilder.RGBA, 16, 100, 48, true));
    c.add(png("gray+alpha16 120x90", 120, 90, PngBuilder.GRAY_ALPHA, 16, 100, 48, true));
    c.add(png("gray 2-bit 33x65", 33, 65, PngBuilder.GRAY, 2, 96, 32, true));
    c.add(palette("palette 4-bit 64x48", 64, 48, 4, 96, 32, true));
    c.add(png("rgb 257x129 unsplit", 257, 129, PngBuilder.RGB, 8, 128, 64, false));
    c.add(png("rgb 513x512 unsplit", 513, 512, PngBuilder.RGB, 8, 96, 32, false));
    c.add(new ParityCase("gif 150x100", "gif", () -> TestImages.gif(150, 100, 11), 96, 32, true, false));
    c.add(new ParityCase("bmp 123x77", "bmp", () -> SamplePictures.encode(bgr(123, 77, 12), "bmp"), 96, 32, true,
        false));
    c.add(exifPng("png eXIf orientation 8 90x60", 8));
    c.add(exifPng("png eXIf orientation 5 90x60", 5));
    c.add(exifPng("png eXIf orientation 7 90x60", 7));
    c.add(new ParityCase("jpeg EXIF orientation 6 160x120", "jpg",
        () -> TestImages.withExifOrientation(TestImages.jpeg(TestImages.rgbImage(160, 120, 21), 0.9f), 6),
        96, 32, true, true));
    c.add(new ParityCase("jpeg EXIF orientation 3 300x200", "jpg",
        () -> TestImages.withExifOrientation(TestImages.jpeg(TestImages.rgbImage(300, 200, 22), 0.85f), 3),
        100, 48, true, true));
    c.add(new ParityCase("jpeg 640x480 defaults", "jpg",
        () -> TestImages.jpeg(TestImages.rgbImage(640, 480, 23), 0.9f), 2048, 512, true, true));
    c.add(new ParityCase("jpeg progressive 4:4:4 by Pillow 200x150", "jpg", () -> PillowOracle.encodeWithPillow(
        new PngBuilder(200, 150, 8, PngBuilder.RGB, TestImages.pattern(200, 150, 3, 255, 24)).build(), "JPEG",
        "quality=92, progressive=True, subsampling=0"), 96, 32, true, true));
    c.add(new ParityCase("jpeg gray by Pillow 150x200", "jpg", () -> PillowOracle.encodeWithPillow(
        new PngBuilder(150, 200, 8, PngBuilder.GRAY, TestImages.pattern(150, 200, 1, 255, 25)).build(), "JPEG",
        "quality=85"), 96, 32, true, true));
    c.add(new ParityCase("bmp 8-bit palette by Pillow 70x50", "bmp", () -> PillowOracle.encodeWithPillow(
        palettePng(70, 50), "BMP", "optimize=False"), 96, 32, true, false));
    c.add(new ParityCase("bmp 32-bit rgba by Pillow 70x50", "bmp", () -> PillowOracle.encodeWithPillow(
        new PngBuilder(70, 50, 8, PngBuilder.RGBA, TestImages.pattern(70, 50, 4, 255, 26)).build(), "BMP",
        "optimize=False"), 96, 32, true, false));
    c.add(new ParityCase("gif with transparency by Pillow 70x50", "gif", () -> PillowOracle.encodeWithPillow(
        palettePng(70, 50), "GIF", "transparency=3"), 96, 32, true, false));
    c.add(new ParityCase("webp lossless EXIF orientation 6 by Pillow 90x60", "webp", () -> PillowOracle
        .encodeWithPillow(new PngBuilder(90, 60, 8, PngBuilder.RGB, TestImages.pattern(90, 60, 3, 255, 27))
            .exif(TestImages.exifTiff(6)).build(), "WEBP", "lossless=True, exif=Image.open(sys.argv[1]).getexif()"),
        96, 32, true, false));
    c.add(new ParityCase("gif 20x10 frame at 5,7 on 40x30 screen", "gif",
        () -> GifBuilder.gif(40, 30, 5, 7, 20, 10, 9, null, TestImages.palette(256, 41),
            TestImages.pattern(20, 10, 1, 255, 42)), 96, 32, true, false));
    c.add(new ParityCase("gif 20x10 frame at 5,7 on 40x30 screen, transparency 4", "gif",
        () -> GifBuilder.gif(40, 30, 5, 7, 20, 10, 9, 4, TestImages.palette(256, 43),
            TestImages.pattern(20, 10, 1, 255, 44)), 96, 32, true, false));
    c.add(new ParityCase("gif 30x20 frame at 20,15 sticking out of 40x30 screen", "gif",
        () -> GifBuilder.gif(40, 30, 20, 15, 30, 20, 9, null, TestImages.palette(256, 45),
            TestImages.pattern(30, 20, 1, 255, 46)), 96, 32, true, false));
    c.add(new ParityCase("jpeg CMYK by Pillow 120x80", "jpg", () -> PillowOracle.encodeWithPillow(
        new PngBuilder(120, 80, 8, PngBuilder.RGB, TestImages.pattern(120, 80, 3, 255, 47)).build(), "CMYK", "JPEG",
        "quality=95"), 96, 32, true, true));
    c.add(new ParityCase("bmp 16-bit 565 99x61", "bmp", () -> SamplePictures.encode(ushort565(99, 61), "bmp"), 96, 32,
        true, false));
    c.add(new ParityCase("webp lossless 130x90", "webp", () -> PillowOracle.webpFromPng(new PngBuilder(130, 90, 8,
        PngBuilder.RGB, TestImages.pattern(130, 90, 3, 255, 31)).build(), true, 100), 96, 32, true, false));
    c.add(new ParityCase("webp lossy 130x90", "webp", () -> PillowOracle.webpFromPng(new PngBuilder(130, 90, 8,
        PngBuilder.RGB, TestImages.pattern(130, 90, 3, 255, 32)).build(), false, 90), 96, 32, true, true));
    c.add(new ParityCase("webp lossy smooth 160x120", "webp", () -> PillowOracle.webpFromPng(new PngBuilder(160, 120,
        8, PngBuilder.RGB, smooth(160, 120)).build(), false, 90), 96, 32, true, true));
    c.add(new ParityCase("webp lossless rgba 90x130", "webp", () -> PillowOracle.webpFromPng(new PngBuilder(90, 130, 8,
        PngBuilder.RGBA, TestImages.pattern(90, 130, 4, 255, 33)).build(), true, 100), 96, 32, true, false));
    return c;
  }

  private static ParityCase png(String name, int w, int h, int colorType, int bits, int longest, int tile,
      boolean split) {
    long seed = name.hashCode();
    int max = (1 << bits) - 1;
    return new ParityCase(name, "png", () -> new PngBuilder(w, h, bits, colorType,
        TestImages.pattern(w, h, PngBuilder.channels(colorType), max, seed)).build(), longest, tile, split, false);
  }

  private static BufferedImage ushort565(int w, int h) {
    BufferedImage src = TestImages.rgbImage(w, h, 48);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_565_RGB);
    out.getGraphics().drawImage(src, 0, 0, null);
    return out;
  }

  private static byte[] palettePng(int w, int h) {
    return new PngBuilder(w, h, 8, PngBuilder.PALETTE, TestImages.pattern(w, h, 1, 255, 28))
        .palette(TestImages.palette(256, 29)).build();
  }

  /** A photo-like smooth image (no noise, no hard edges). */
  private static int[] smooth(int w, int h) {
    int[] s = new int[w * h * 3];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        s[i++] = (int) (127.5 + 120 * Math.sin(x / 17.0) * Math.cos(y / 23.0));
        s[i++] = (int) (255.0 * x / w);
        s[i++] = (int) (255.0 * y / h);
      }
    }
    return s;
  }

  private static ParityCase gray16(String name, int w, int h, int max, int longest, int tile, boolean split) {
    return new ParityCase(name, "png", () -> new PngBuilder(w, h, 16, PngBuilder.GRAY,
        TestImages.pattern(w, h, 1, max, 5)).build(), longest, tile, split, false);
  }

  private static ParityCase palette(String name, int w, int h, int bits, int longest, int tile, boolean split) {
    int n = 1 << bits;
    return new ParityCase(name, "png", () -> {
      byte[] trns = new byte[n / 2];
      for (int i = 0; i < trns.length; i++) {
        trns[i] = (byte) (i * 7);
      }
      return new PngBuilder(w, h, bits, PngBuilder.PALETTE, TestImages.pattern(w, h, 1, n - 1, 3))
          .palette(TestImages.palette(n, 4)).transparency(trns).build();
    }, longest, tile, split, false);
  }

  private static ParityCase exifPng(String name, int orientation) {
    return new ParityCase(name, "png", () -> new PngBuilder(90, 60, 8, PngBuilder.RGB,
        TestImages.pattern(90, 60, 3, 255, orientation)).exif(TestImages.exifTiff(orientation)).build(),
        96, 32, true, false);
  }

  private static BufferedImage bgr(int w, int h, long seed) {
    BufferedImage src = TestImages.rgbImage(w, h, seed);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    out.getGraphics().drawImage(src, 0, 0, null);
    return out;
  }

  Stream<ParityCase> parityCases() {
    return cases().stream();
  }

  @BeforeAll
  void runOracle(@TempDir Path tmp) throws Exception {
    PillowOracle.requireAvailable();
    dir = tmp;
    List<Map<String, Object>> manifest = new ArrayList<>();
    for (ParityCase c : cases()) {
      String id = id(c);
      byte[] bytes = sources.computeIfAbsent(c.name() + c.ext(), k -> c.source().get());
      Path image = dir.resolve(id + "." + c.ext());
      Files.write(image, bytes);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("image", image.toString());
      m.put("out", dir.resolve(id + ".npy").toString());
      m.put("meta", dir.resolve(id + ".json").toString());
      m.put("rgb_out", dir.resolve(id + ".rgb.npy").toString());
      m.put("longest_edge", c.longestEdge());
      m.put("tile_size", c.tile());
      m.put("split", c.split());
      manifest.add(m);
    }
    PillowOracle.run(manifest, dir);
  }

  private static String id(ParityCase c) {
    return c.toString().replaceAll("[^A-Za-z0-9]+", "_");
  }


  private RgbImage decode(ParityCase c) throws IOException {
    return new ImageDecoder().decode(Files.readAllBytes(dir.resolve(id(c) + "." + c.ext())));
  }

  private static PreprocessorConfig config(ParityCase c) {
    return PreprocessorConfig.smolVlmDefaults().withLongestEdge(c.longestEdge()).withSplitting(c.split());
  }

  private static PreprocessorConfig withTile(PreprocessorConfig base, int tile) {
    return new PreprocessorConfig(base.longestEdge(), tile, base.doResize(), base.doImageSplitting(), base.resample(),
        base.doRescale(), base.rescaleFactor(), base.doNormalize(), base.imageMean(), base.imageStd(),
        base.doConvertRgb());
  }

  private PixelBatch preprocess(ParityCase c, RgbImage image, int resample) {
    PreprocessorConfig cfg = withTile(config(c), c.tile());
    if (resample != cfg.resample()) {
      cfg = new PreprocessorConfig(cfg.longestEdge(), cfg.tileSize(), cfg.doResize(), cfg.doImageSplitting(),
          resample, cfg.doRescale(), cfg.rescaleFactor(), cfg.doNormalize(), cfg.imageMean(), cfg.imageStd(),
          cfg.doConvertRgb());
    }
    return new ImagePreprocessor(cfg).preprocess(image);
  }

  /** Difference figures of two equally long float arrays. */
  record Diff(long mismatches, double maxAbs, double meanAbs, int firstIndex) {
    static Diff of(float[] a, float[] b) {
      long n = 0;
      double max = 0;
      double sum = 0;
      int first = -1;
      for (int i = 0; i < a.length; i++) {
        if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
          n++;
          if (first < 0) {
            first = i;
          }
          double d = Math.abs((double) a[i] - b[i]);
          max = Math.max(max, d);
          sum += d;
        }
      }
      return new Diff(n, max, a.length == 0 ? 0 : sum / a.length, first);
    }
  }

  private Diff compare(ParityCase c, PixelBatch batch) throws IOException {
    NpyFile npy = NpyFile.read(dir.resolve(id(c) + ".npy"));
    Map<String, Object> meta = PillowOracle.meta(dir.resolve(id(c) + ".json"));
    assertThat(npy.shape()).as("shape of %s", c).containsExactly(batch.pixelShape());
    assertThat(meta.get("rows")).as("rows of %s", c).isEqualTo(batch.rows());
    assertThat(meta.get("cols")).as("cols of %s", c).isEqualTo(batch.cols());
    return Diff.of(batch.pixelValues(), npy.floats());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parityCases")
  void matchesPillowReference(ParityCase c) throws IOException {
    RgbImage decoded = decode(c);
    PixelBatch batch = preprocess(c, decoded, ResampleFilter.LANCZOS.pilId());
    Diff diff = compare(c, batch);
    System.out.printf("parity %-45s tiles=%2d grid=%dx%d mismatches=%d maxAbs=%.6f meanAbs=%.8f%n", c,
        batch.tiles(), batch.rows(), batch.cols(), diff.mismatches(), diff.maxAbs(), diff.meanAbs());
    if (c.lossy()) {
      byte[] pillowRgb = NpyFile.read(dir.resolve(id(c) + ".rgb.npy")).bytes();
      byte[] ours = decoded.toByteArray();
      assertThat(ours.length).as("decoded size of %s", c).isEqualTo(pillowRgb.length);
      int maxLevel = 0;
      for (int i = 0; i < ours.length; i++) {
        maxLevel = Math.max(maxLevel, Math.abs((ours[i] & 0xFF) - (pillowRgb[i] & 0xFF)));
      }
      System.out.printf("parity %-45s decoder max level diff=%d%n", c, maxLevel);
      if (c.ext().equals("webp")) {
        assertThat(diff.meanAbs()).as("mean abs diff of %s", c).isLessThanOrEqualTo(LOSSY_WEBP_MEAN_TOLERANCE);
        assertThat(diff.maxAbs()).as("max abs diff of %s", c).isLessThanOrEqualTo(LOSSY_WEBP_MAX_TOLERANCE);
      } else {
        assertThat(diff.maxAbs()).as("max abs diff of %s", c).isLessThanOrEqualTo(JPEG_TOLERANCE);
      }
    } else {
      assertThat(diff.mismatches()).as("floats differing from Pillow in %s (first at %d, max %f)", c,
          diff.firstIndex(), diff.maxAbs()).isZero();
    }
  }

  @Test
  void oracleCatchesBilinearInsteadOfLanczos() throws IOException {
    ParityCase c = cases().get(2); // rgb 100x80 @96/32
    PixelBatch wrong = preprocess(c, decode(c), ResampleFilter.BILINEAR.pilId());
    Diff diff = compare(c, wrong);
    assertThat(diff.mismatches()).as("bilinear must not pass as Lanczos").isGreaterThan(1000);
  }

  @Test
  void oracleCatchesOneLevelOffInOneSourcePixel() throws IOException {
    ParityCase c = cases().get(1); // rgb 3x7 @96/32
    RgbImage decoded = decode(c);
    byte[] rgb = decoded.toByteArray();
    rgb[3 * 10 + 1] = (byte) ((rgb[3 * 10 + 1] & 0xFF) == 255 ? 254 : (rgb[3 * 10 + 1] & 0xFF) + 1);
    PixelBatch wrong = preprocess(c, RgbImage.of(decoded.width(), decoded.height(), rgb), 1);
    assertThat(compare(c, wrong).mismatches()).as("one level in one pixel must be visible").isPositive();
  }

  @Test
  void referenceVectorsHaveContractTileCounts() throws IOException {
    ParityCase square = cases().get(3); // 100x80 @2048/512 split
    PixelBatch b = preprocess(square, decode(square), 1);
    assertThat(b.tiles()).isEqualTo(17);
    assertThat(b.rows()).isEqualTo(4);
    assertThat(b.cols()).isEqualTo(4);
    ParityCase fourThree = cases().get(10); // 640x480 @2048/512 split
    PixelBatch f = preprocess(fourThree, decode(fourThree), 1);
    assertThat(f.tiles()).isEqualTo(13);
    assertThat(f.rows()).isEqualTo(3);
    assertThat(f.cols()).isEqualTo(4);
    assertThat(compare(fourThree, f).mismatches()).isZero();
  }
}
