package io.captionstream.image;

import java.util.Arrays;

/**
 * Resizes 8-bit RGB images bit-exactly like Pillow's {@code Image.resize(size, filter)} on an "RGB" image: separable
 * convolution with fixed-point (22 fractional bits) weights, accumulator starting at 2^21, result {@code >> 22}
 * clamped to 0..255; the horizontal pass runs first (only on the rows the vertical pass will read) into an 8-bit
 * intermediate, then the vertical pass; an axis whose size does not change is not resampled, and a resize to the
 * same size returns the input.
 */
public final class PillowResampler {

  private static final int HALF = 1 << (AxisKernel.PRECISION_BITS - 1);
  /** {@link #HALF} in both 32-bit lanes of a packed red/blue accumulator. */
  private static final long HALF_PAIR = ((long) HALF << 32) + HALF;

  private final ResampleFilter filter;

  public PillowResampler(ResampleFilter filter) {
    this.filter = filter;
  }

  public ResampleFilter filter() {
    return filter;
  }

  public RgbImage resize(RgbImage in, int outWidth, int outHeight) {
    if (outWidth < 1 || outHeight < 1) {
      throw new IllegalArgumentException("target size must be positive: " + outWidth + "x" + outHeight);
    }
    boolean horizontal = outWidth != in.width();
    boolean vertical = outHeight != in.height();
    if (!horizontal && !vertical) {
      return in;
    }
    AxisKernel vk = AxisKernel.of(filter, in.height(), outHeight);
    byte[] src = in.data();
    int width = in.width();
    int rowOffset = 0;
    int rows = in.height();
    if (horizontal) {
      AxisKernel hk = AxisKernel.of(filter, in.width(), outWidth);
      rowOffset = vk.firstUsed();
      rows = vk.endUsed() - rowOffset;
      src = horizontalPass(src, in.width(), rowOffset, rows, hk);
      width = outWidth;
    }
    if (!vertical) {
      return RgbImage.wrap(width, rows, src);
    }
    return RgbImage.wrap(width, outHeight, verticalPass(src, width, rowOffset, vk));
  }

  /**
   * The horizontal pass, two channels per multiply: each input row is first widened into {@code long}s holding red
   * in the high and blue in the low 32 bits (and an {@code int} for green), so one 64-bit multiply-add by the tap's
   * weight advances both red and blue. This is exact: each channel's true sum (2^21 plus 8-bit samples times 22-bit
   * weights whose absolute values add up to at most ~1.6, so |sum| &lt; 1.6 · 255 · 2^22 + 2^21 &lt; 2^31) fits a
   * signed 32-bit lane, so the 64-bit total is exactly {@code red · 2^32 + blue}; its low word read as a signed int
   * is blue, and {@code (total - blue) >> 32} is red.
   */
  private static byte[] horizontalPass(byte[] src, int inWidth, int firstRow, int rows, AxisKernel k) {
    int outWidth = k.outSize;
    byte[] out = new byte[rows * outWidth * 3];
    int[] weights = k.weights;
    int[] start = k.start;
    int[] count = k.count;
    int taps = k.taps;
    long[] redBlue = new long[inWidth];
    int[] green = new int[inWidth];
    int inStride = inWidth * 3;
    for (int y = 0; y < rows; y++) {
      int p = (y + firstRow) * inStride;
      for (int x = 0; x < inWidth; x++, p += 3) {
        redBlue[x] = ((long) (src[p] & 0xFF) << 32) | (src[p + 2] & 0xFF);
        green[x] = src[p + 1] & 0xFF;
      }
      int o = y * outWidth * 3;
      for (int x = 0; x < outWidth; x++) {
        int s = start[x];
        int n = count[x];
        int wb = x * taps;
        long rb = HALF_PAIR;
        int g = HALF;
        for (int i = 0; i < n; i++) {
          int w = weights[wb + i];
          rb += redBlue[s + i] * w;
          g += green[s + i] * w;
        }
        int b = (int) rb;
        out[o] = clip8((int) ((rb - b) >> 32));
        out[o + 1] = clip8(g);
        out[o + 2] = clip8(b);
        o += 3;
      }
    }
    return out;
  }

  /** {@code src} holds the input rows starting at input row {@code rowOffset}. */
  private static byte[] verticalPass(byte[] src, int width, int rowOffset, AxisKernel k) {
    int stride = width * 3;
    byte[] out = new byte[k.outSize * stride];
    int[] acc = new int[stride];
    int[] weights = k.weights;
    for (int y = 0; y < k.outSize; y++) {
      Arrays.fill(acc, HALF);
      int first = k.start[y] - rowOffset;
      int n = k.count[y];
      int wb = y * k.taps;
      for (int i = 0; i < n; i++) {
        int w = weights[wb + i];
        int p = (first + i) * stride;
        for (int j = 0; j < stride; j++) {
          acc[j] += (src[p + j] & 0xFF) * w;
        }
      }
      int o = y * stride;
      for (int j = 0; j < stride; j++) {
        out[o + j] = clip8(acc[j]);
      }
    }
    return out;
  }

  private static byte clip8(int v) {
    int s = v >> AxisKernel.PRECISION_BITS;
    return (byte) (s < 0 ? 0 : (s > 255 ? 255 : s));
  }
}
