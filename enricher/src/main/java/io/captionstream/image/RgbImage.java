package io.captionstream.image;

import java.util.Arrays;

/**
 * A decoded image: 8-bit RGB, interleaved, row-major ({@code rgb[(y * width + x) * 3 + c]}). Immutable: the pixel
 * array is owned by this object and never handed out; {@link #toByteArray()} returns a copy.
 */
public final class RgbImage {

  private final int width;
  private final int height;
  private final byte[] rgb;

  private RgbImage(int width, int height, byte[] rgb) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
      throw new IllegalArgumentException("expected " + width + "x" + height + "x3 bytes, got " + rgb.length);
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** An image holding a copy of {@code rgb} (interleaved R, G, B bytes, row-major). */
  public static RgbImage of(int width, int height, byte[] rgb) {
    return new RgbImage(width, height, rgb.clone());
  }

  /** Takes ownership of {@code rgb} without copying; only for this package's stages, which never touch it again. */
  static RgbImage wrap(int width, int height, byte[] rgb) {
    return new RgbImage(width, height, rgb);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The sample of channel {@code c} (0 = R, 1 = G, 2 = B) at (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /** A copy of the interleaved RGB bytes. */
  public byte[] toByteArray() {
    return rgb.clone();
  }

  /** The pixel array itself, read-only by convention, for this package's stages. */
  byte[] data() {
    return rgb;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage other
        && width == other.width && height == other.height && Arrays.equals(rgb, other.rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
