package io.captionstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.CaptionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The direct-to-RGB JPEG path ({@link RgbDestination}) gives exactly the pixels of the generic raster path. */
class JpegDirectDecodeTest {

  private final ImageDecoder direct = new ImageDecoder();
  private final ImageDecoder generic = new ImageDecoder(DecodeLimits.defaults(), false);

  private void assertSamePixels(String what, byte[] jpeg) {
    RgbImage a = direct.decode(jpeg);
    RgbImage b = generic.decode(jpeg);
    assertThat(a).as(what).isEqualTo(b);
  }

  private static byte[] pillowPng(int w, int h, int colorType, long seed) {
    return new PngBuilder(w, h, 8, colorType, TestImages.pattern(w, h, PngBuilder.channels(colorType), 255, seed))
        .build();
  }

  @Test
  void baselineJpegsDecodeToTheSamePixelsOnBothPaths() {
    assertSamePixels("4:2:0 301x203", TestImages.jpeg(TestImages.rgbImage(301, 203, 1), 0.9f));
    assertSamePixels("4:2:0 1x1", TestImages.jpeg(TestImages.rgbImage(1, 1, 2), 0.9f));
    assertSamePixels("4:2:0 17x1000", TestImages.jpeg(TestImages.rgbImage(17, 1000, 3), 0.75f));
    assertSamePixels("EXIF orientation 6", TestImages.withExifOrientation(
        TestImages.jpeg(TestImages.rgbImage(160, 120, 4), 0.9f), 6));
  }

  @Test
  void pillowMadeJpegsDecodeToTheSamePixelsOnBothPaths() {
    PillowOracle.requireAvailable();
    assertSamePixels("progressive 4:4:4", PillowOracle.encodeWithPillow(pillowPng(200, 150, PngBuilder.RGB, 5),
        "JPEG", "quality=92, progressive=True, subsampling=0"));
    assertSamePixels("4:2:2 restart markers", PillowOracle.encodeWithPillow(pillowPng(123, 77, PngBuilder.RGB, 6),
        "JPEG", "quality=80, subsampling=1, restart_marker_blocks=2"));
    assertSamePixels("gray (generic path)", PillowOracle.encodeWithPillow(pillowPng(150, 200, PngBuilder.GRAY, 7),
        "JPEG", "quality=85"));
    assertSamePixels("CMYK (generic path)", PillowOracle.encodeWithPillow(pillowPng(120, 80, PngBuilder.RGB, 8),
        "CMYK", "JPEG", "quality=95"));
  }

  @Test
  void directPathIsTakenForColourJpegsOnly() throws Exception {
    assertThat(destinationFor(TestImages.jpeg(TestImages.rgbImage(64, 48, 11), 0.9f))).isNotNull();
    PillowOracle.requireAvailable();
    assertThat(destinationFor(PillowOracle.encodeWithPillow(pillowPng(30, 20, PngBuilder.GRAY, 12), "JPEG",
        "quality=85"))).isNull();
  }

  private static RgbDestination destinationFor(byte[] jpeg) throws Exception {
    try (ImageInputStream in = ImageIO.createImageInputStream(
        new ByteArrayInputStream(jpeg))) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      try {
        reader.setInput(in, true, true);
        return RgbDestination.forJpeg(reader, jpeg);
      } finally {
        reader.dispose();
      }
    }
  }

  @Test
  void iccProfileKeepsTheGenericPath() {
    byte[] plain = TestImages.jpeg(TestImages.rgbImage(40, 30, 9), 0.9f);
    assertThat(RgbDestination.mayCarryIccProfile(plain)).isFalse();
    assertThat(RgbDestination.mayCarryIccProfile(TestImages.withExifOrientation(plain, 3))).isFalse();
    byte[] icc = withApp2IccSegment(plain);
    assertThat(RgbDestination.mayCarryIccProfile(icc)).isTrue();
    assertThat(RgbDestination.mayCarryIccProfile(new byte[] {1, 2, 3, 4, 5})).isTrue();
    assertThat(RgbDestination.mayCarryIccProfile(Arrays.copyOf(plain, 30))).isTrue();
  }

  @Test
  void truncatedJpegIsStillRejectedOnTheDirectPath() {
    byte[] jpeg = TestImages.jpeg(TestImages.rgbImage(300, 200, 10), 0.9f);
    byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
    Assertions.assertThatThrownBy(() -> direct.decode(cut))
        .isInstanceOf(CaptionException.class)
        .hasFieldOrPropertyWithValue("reason", CaptionException.Reason.CORRUPT_IMAGE);
  }

  /** {@code jpeg} with an APP2 ICC_PROFILE segment (payload not a real profile: only the marker matters here). */
  private static byte[] withApp2IccSegment(byte[] jpeg) {
    byte[] payload = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, 1, 1, 0, 0, 0, 0};
    int len = 2 + payload.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (len >> 8), (byte) len});
    out.writeBytes(payload);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
