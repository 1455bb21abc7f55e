package io.captionstream.image;

import java.util.Arrays;

/**
 * Resizes 8-bit RGB images bit-exactly like Pillow's {@code Image.resize(size, filter)} on an "RGB" image: separable
 * convolution with fixed-point (22 fractional bits) weights, accumulator starting at 2^21, result {@code >> 22}
 * clamped to 0..255; the horizontal pass runs first into an 8-bit intermediate, then the vertical pass; an axis whose
 * size does not change is not resampled, and a resize to the same size returns the input.
 *
 * <p>How it is fast without changing a bit: the two passes are fused row by row. The vertical pass pulls the rows of
 * its window from a small ring of horizontally resampled rows (at most {@code taps} rows, produced once each, in
 * order, only the rows some output reads), so no full-size intermediate image is ever built; the ring holds the
 * intermediate's 8-bit values as {@code int}s, which lets the JIT vectorise the vertical multiply-add. The horizontal
 * pass multiplies red and blue together (see {@link HorizontalRows}). Stateless and thread-safe (all scratch space is
 * per call).
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
    RowSource rows = horizontal
        ? new HorizontalRows(in, AxisKernel.of(filter, in.width(), outWidth))
        : new WidenedRows(in);
    int stride = outWidth * 3;
    if (!vertical) {
      byte[] out = new byte[Math.multiplyExact(in.height(), stride)];
      int[] row = new int[stride];
      for (int y = 0; y < in.height(); y++) {
        rows.produce(y, row);
        int o = y * stride;
        for (int j = 0; j < stride; j++) {
          out[o + j] = (byte) row[j];
        }
      }
      return RgbImage.wrap(outWidth, in.height(), out);
    }
    return RgbImage.wrap(outWidth, outHeight,
        verticalPass(rows, stride, AxisKernel.of(filter, in.height(), outHeight)));
  }

  /** The vertical pass over rows pulled from {@code source} through a ring of {@code k.taps} rows. */
  private static byte[] verticalPass(RowSource source, int stride, AxisKernel k) {
    byte[] out = new byte[Math.multiplyExact(k.outSize, stride)];
    int ring = k.taps; // every window spans at most taps rows
    int[][] window = new int[ring][stride];
    int[] acc = new int[stride];
    int next = 0;
    for (int y = 0; y < k.outSize; y++) {
      int first = k.start[y];
      int n = k.count[y];
      if (next < first) {
        next = first; // windows only move forward: rows skipped here are never read
      }
      for (; next < first + n; next++) {
        // overwrites row next - ring, which is below this window (n <= ring) and so below every later one
        source.produce(next, window[next % ring]);
      }
      Arrays.fill(acc, HALF);
      int wb = y * k.taps;
      for (int i = 0; i < n; i++) {
        multiplyAdd(acc, window[(first + i) % ring], k.weights[wb + i], stride);
      }
      int o = y * stride;
      for (int j = 0; j < stride; j++) {
        out[o + j] = clip8(acc[j]);
      }
    }
    return out;
  }

  /** {@code acc[j] += row[j] * w}: same index on both arrays, so C2 vectorises it. */
  private static void multiplyAdd(int[] acc, int[] row, int w, int n) {
    for (int j = 0; j < n; j++) {
      acc[j] += row[j] * w;
    }
  }

  private static byte clip8(int v) {
    int s = v >> AxisKernel.PRECISION_BITS;
    return (byte) (s < 0 ? 0 : (s > 255 ? 255 : s));
  }

  private static int clip8Int(int v) {
    int s = v >> AxisKernel.PRECISION_BITS;
    return s < 0 ? 0 : (s > 255 ? 255 : s);
  }

  /** The rows the vertical pass reads: input row {@code y} as 8-bit values in ints, {@code 3 * width} of them. */
  private interface RowSource {
    void produce(int y, int[] dst);
  }

  /** An axis that is not resampled horizontally: the input row, widened. */
  private static final class WidenedRows implements RowSource {
    private final byte[] src;
    private final int stride;

    WidenedRows(RgbImage in) {
      this.src = in.data();
      this.stride = in.width() * 3;
    }

    @Override
    public void produce(int y, int[] dst) {
      int p = y * stride;
      for (int j = 0; j < stride; j++) {
        dst[j] = src[p + j] & 0xFF;
      }
    }
  }

  /**
   * The horizontal pass, one row at a time, two channels per multiply: the input row is first widened into
   * {@code long}s holding red in the high and blue in the low 32 bits (and an {@code int} for green), so one 64-bit
   * multiply-add by the tap's weight advances both red and blue. This is exact: each channel's true sum (2^21 plus
   * 8-bit samples times 22-bit weights whose absolute values add up to at most ~1.6, so
   * |sum| &lt; 1.6 · 255 · 2^22 + 2^21 &lt; 2^31) fits a signed 32-bit lane, so the 64-bit total is exactly
   * {@code red · 2^32 + blue}; its low word read as a signed int is blue, and {@code (total - blue) >> 32} is red.
   */
  private static final class HorizontalRows implements RowSource {
    private final byte[] src;
    private final int inWidth;
    private final AxisKernel k;
    private final long[] redBlue;
    private final int[] green;

    HorizontalRows(RgbImage in, AxisKernel k) {
      this.src = in.data();
      this.inWidth = in.width();
      this.k = k;
      this.redBlue = new long[inWidth];
      this.green = new int[inWidth];
    }

    @Override
    public void produce(int y, int[] dst) {
      long[] rbRow = redBlue;
      int[] gRow = green;
      int p = y * inWidth * 3;
      for (int x = 0; x < inWidth; x++, p += 3) {
        rbRow[x] = ((long) (src[p] & 0xFF) << 32) | (src[p + 2] & 0xFF);
        gRow[x] = src[p + 1] & 0xFF;
      }
      int[] weights = k.weights;
      int[] start = k.start;
      int[] count = k.count;
      int taps = k.taps;
      int outWidth = k.outSize;
      for (int x = 0, o = 0; x < outWidth; x++, o += 3) {
        int s = start[x];
        int n = count[x];
        int wb = x * taps;
        long rb = HALF_PAIR;
        int g = HALF;
        for (int i = 0; i < n; i++) {
          int w = weights[wb + i];
          rb += rbRow[s + i] * w;
          g += gRow[s + i] * w;
        }
        int b = (int) rb;
        dst[o] = clip8Int((int) ((rb - b) >> 32));
        dst[o + 1] = clip8Int(g);
        dst[o + 2] = clip8Int(b);
      }
    }
  }
}
