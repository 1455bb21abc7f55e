package io.captionstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.CaptionException.Reason;
import io.captionstream.CaptionException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder();

  private static byte[] rgbPng(int w, int h, int[] samples) {
    return new PngBuilder(w, h, 8, PngBuilder.RGB, samples).build();
  }

  @Test
  void decodesRgbPngSamplesUnchanged() {
    int[] s = TestImages.pattern(5, 4, 3, 255, 1);
    RgbImage img = decoder.decode(rgbPng(5, 4, s));
    assertThat(img.width()).isEqualTo(5);
    assertThat(img.height()).isEqualTo(4);
    byte[] expected = new byte[s.length];
    for (int i = 0; i < s.length; i++) {
      expected[i] = (byte) s[i];
    }
    assertThat(img.toByteArray()).isEqualTo(expected);
  }

  @Test
  void dropsAlphaWithoutCompositing() {
    int[] rgba = {200, 100, 50, 0, 10, 20, 30, 128};
    RgbImage img = decoder.decode(new PngBuilder(2, 1, 8, PngBuilder.RGBA, rgba).build());
    assertThat(img.toByteArray()).containsExactly(200, 100, 50, 10, 20, 30);
  }

  @Test
  void expandsPaletteIgnoringTransparency() {
    byte[] palette = {1, 2, 3, 40, 50, 60, (byte) 250, (byte) 251, (byte) 252};
    byte[] png = new PngBuilder(3, 1, 8, PngBuilder.PALETTE, new int[] {2, 0, 1})
        .palette(palette).transparency(new byte[] {0, 0, 0}).build();
    assertThat(decoder.decode(png).toByteArray()).containsExactly(250, 251, 252, 1, 2, 3, 40, 50, 60);
  }

  @Test
  void replicatesGrayAndScalesLowBitDepthLikePillow() {
    byte[] twoBit = new PngBuilder(4, 1, 2, PngBuilder.GRAY, new int[] {0, 1, 2, 3}).build();
    assertThat(decoder.decode(twoBit).toByteArray()).containsExactly(0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255,
        255);
  }

  @Test
  void sixteenBitGrayClampsLikePillowModeI() {
    byte[] png = new PngBuilder(4, 1, 16, PngBuilder.GRAY, new int[] {7, 255, 256, 65535}).build();
    assertThat(decoder.decode(png).toByteArray()).containsExactly(7, 7, 7, 255, 255, 255, 255, 255, 255, 255, 255,
        255);
  }

  @Test
  void sixteenBitColourKeepsHighByte() {
    byte[] png = new PngBuilder(1, 1, 16, PngBuilder.RGB, new int[] {0x1234, 0xFFFF, 0x00FF}).build();
    assertThat(decoder.decode(png).toByteArray()).containsExactly(0x12, 0xFF, 0x00);
  }

  @ParameterizedTest(name = "orientation {0}")
  @CsvSource({
      "1, 3, 2, 0 1 2 3 4 5",
      "2, 3, 2, 2 1 0 5 4 3",
      "3, 3, 2, 5 4 3 2 1 0",
      "4, 3, 2, 3 4 5 0 1 2",
      "5, 2, 3, 0 3 1 4 2 5",
      "6, 2, 3, 3 0 4 1 5 2",
      "7, 2, 3, 5 2 4 1 3 0",
      "8, 2, 3, 2 5 1 4 0 3"})
  void appliesExifOrientationLikeExifTranspose(int orientation, int w, int h, String order) {
    // 3x2 source whose pixel i has red = i
    int[] s = new int[18];
    for (int i = 0; i < 6; i++) {
      s[i * 3] = i;
    }
    byte[] png = new PngBuilder(3, 2, 8, PngBuilder.RGB, s).exif(TestImages.exifTiff(orientation)).build();
    RgbImage img = decoder.decode(png);
    assertThat(img.width()).isEqualTo(w);
    assertThat(img.height()).isEqualTo(h);
    int[] reds = new int[6];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        reds[i++] = img.sample(x, y, 0);
      }
    }
    assertThat(reds).containsExactly(Arrays.stream(order.split(" ")).mapToInt(Integer::parseInt).toArray());
  }

  @Test
  void readsOrientationFromJpegExif() {
    byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.rgbImage(40, 20, 3), 0.9f), 6);
    RgbImage img = decoder.decode(jpeg);
    assertThat(img.width()).isEqualTo(20);
    assertThat(img.height()).isEqualTo(40);
  }

  @Test
  void decodesGifBmpAndJpeg() {
    assertThat(decoder.decode(TestImages.gif(30, 20, 1))).extracting(RgbImage::width).isEqualTo(30);
    assertThat(decoder.decode(SamplePictures.encode(TestImages.rgbImage(7, 9, 2), "bmp")).height()).isEqualTo(9);
    assertThat(decoder.decode(TestImages.jpeg(TestImages.rgbImage(33, 17, 3), 0.8f)).width()).isEqualTo(33);
  }

  @Test
  void rejectsEmptyInputAsUnsupported() {
    assertReason(() -> decoder.decode(new byte[0]), Reason.UNSUPPORTED_FORMAT);
  }

  @Test
  void rejectsTextAsUnsupported() {
    assertReason(() -> decoder.decode("hello, this is not an image at all".getBytes()), Reason.UNSUPPORTED_FORMAT);
  }

  @Test
  void rejectsTiffAsUnsupportedEvenThoughJavaCanReadIt() {
    assertReason(() -> decoder.decode(SamplePictures.encode(TestImages.rgbImage(4, 4, 1), "tiff")),
        Reason.UNSUPPORTED_FORMAT);
  }

  @Test
  void rejectsTruncatedPngAsCorrupt() {
    byte[] png = rgbPng(64, 64, TestImages.pattern(64, 64, 3, 255, 9));
    assertReason(() -> decoder.decode(Arrays.copyOf(png, png.length / 2)), Reason.CORRUPT_IMAGE);
  }

  @Test
  void rejectsTruncatedJpegAsCorrupt() {
    byte[] jpeg = TestImages.jpeg(TestImages.rgbImage(128, 128, 4), 0.9f);
    assertReason(() -> decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2)), Reason.CORRUPT_IMAGE);
  }

  @Test
  void rejectsHeaderOnlyPngAsCorrupt() {
    byte[] png = rgbPng(8, 8, new int[8 * 8 * 3]);
    assertReason(() -> decoder.decode(Arrays.copyOf(png, 33)), Reason.CORRUPT_IMAGE);
  }

  @Test
  void refusesDecompressionBombFromHeaderBeforeDecoding() {
    // a valid header claiming 100000 x 100000 followed by a tiny IDAT: must be refused without allocating 30 GB
    byte[] png = rgbPng(8, 8, new int[8 * 8 * 3]);
    byte[] bomb = png.clone();
    writeInt(bomb, 16, 100_000);
    writeInt(bomb, 20, 100_000);
    fixIhdrCrc(bomb);
    CaptionException e = assertReason(() -> decoder.decode(bomb), Reason.TOO_LARGE);
    assertThat(e.getMessage()).contains("100000x100000");
  }

  @Test
  void honoursConfiguredPixelAndByteLimits() {
    byte[] png = rgbPng(20, 10, new int[20 * 10 * 3]);
    assertReason(() -> new ImageDecoder(new DecodeLimits(199, 1 << 20)).decode(png), Reason.TOO_LARGE);
    assertThat(new ImageDecoder(new DecodeLimits(200, 1 << 20)).decode(png).width()).isEqualTo(20);
    assertReason(() -> new ImageDecoder(new DecodeLimits(1000, png.length - 1)).decode(png), Reason.TOO_LARGE);
  }

  @Test
  void probesHeaderSizeWithoutDecoding() {
    assertThat(decoder.probe(rgbPng(20, 10, new int[600]))).isEqualTo(new ImageSize(20, 10));
  }

  @Test
  void mutatedImagesOnlyEverFailWithCaptionException() {
    byte[][] seeds = {
        rgbPng(32, 24, TestImages.pattern(32, 24, 3, 255, 1)),
        new PngBuilder(16, 16, 4, PngBuilder.PALETTE, TestImages.pattern(16, 16, 1, 15, 2))
            .palette(TestImages.palette(16, 3)).build(),
        TestImages.jpeg(TestImages.rgbImage(32, 24, 4), 0.8f),
        TestImages.gif(32, 24, 5),
        SamplePictures.encode(TestImages.rgbImage(32, 24, 6), "bmp")};
    SplittableRandom rnd = new SplittableRandom(42);
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < 400; round++) {
      byte[] b = seeds[round % seeds.length].clone();
      int flips = 1 + rnd.nextInt(8);
      for (int i = 0; i < flips; i++) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextInt(4) == 0) {
        b = Arrays.copyOf(b, rnd.nextInt(1, b.length));
      }
      try {
        RgbImage img = decoder.decode(b);
        assertThat(img.toByteArray()).hasSize(img.width() * img.height() * 3);
        decoded++;
      } catch (CaptionException e) {
        assertThat(e.reason()).isIn(Reason.UNSUPPORTED_FORMAT, Reason.CORRUPT_IMAGE, Reason.TOO_LARGE);
        assertThat(e.getMessage()).isNotBlank();
        refused++;
      }
    }
    assertThat(decoded + refused).isEqualTo(400);
    assertThat(refused).isPositive();
  }

  private static CaptionException assertReason(Runnable r, Reason reason) {
    Throwable t = Assertions.assertThrows(CaptionException.class, r::run);
    CaptionException e = (CaptionException) t;
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.getMessage()).isNotBlank();
    return e;
  }

  private static void writeInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static void fixIhdrCrc(byte[] png) {
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    writeInt(png, 29, (int) crc.getValue());
  }
}
