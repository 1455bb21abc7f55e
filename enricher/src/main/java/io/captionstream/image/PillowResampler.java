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

  private static byte[] horizontalPass(byte[] src, int inWidth, int firstRow, int rows, AxisKernel k) {
    int outWidth = k.outSize;
    byte[] out = new byte[rows * outWidth * 3];
    int[] weights = k.weights;
    int[] start = k.start;
    int[] count = k.count;
    int taps = k.taps;
    int inStride = inWidth * 3;
    for (int y = 0; y < rows; y++) {
      int rowBase = (y + firstRow) * inStride;
      int o = y * outWidth * 3;
      for (int x = 0; x < outWidth; x++) {
        int p = rowBase + start[x] * 3;
        int n = count[x];
        int wb = x * taps;
        int r = HALF;
        int g = HALF;
        int b = HALF;
        for (int i = 0; i < n; i++, p += 3) {
          int w = weights[wb + i];
          r += (src[p] & 0xFF) * w;
          g += (src[p + 1] & 0xFF) * w;
          b += (src[p + 2] & 0xFF) * w;
        }
        out[o++] = clip8(r);
        out[o++] = clip8(g);
        out[o++] = clip8(b);
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
