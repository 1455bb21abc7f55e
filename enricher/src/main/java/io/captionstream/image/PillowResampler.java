package io.captionstream.image;

import java.util.Arrays;

/**
 * Resizes 8-bit RGB images bit-exactly like Pillow's {@code Image.resize(size, filter)} on an "RGB" image: separable
 * convolution with fixed-point (22 fractional bits) weights, accumulator starting at 2^21, result {@code >> 22}
 * clamped to 0..255; the horizontal pass runs first into an 8-bit intermediate, then the vertical pass; an axis whose
 * size does not change is not resampled, and a resize to the same size returns the input.
 *
 * <p>How it is fast without changing a bit: the two passes are fused. The vertical pass pulls the rows of its window
 * from a small ring of horizontally resampled rows ({@code taps + 16} rows, each produced once, in order, only the
 * rows some output reads), so no full-size intermediate image is built; the ring holds the intermediate's 8-bit
 * values as {@code int}s, which lets the JIT vectorise the vertical multiply-add. The horizontal pass works on blocks
 * of 16 rows transposed per column, which vectorises too (see {@link HorizontalRows}). Every sum is the same integer
 * sum of the same terms as Pillow's, so every clamp sees the same value. Stateless and thread-safe (all scratch space
 * is per call).
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
    RowSource rows = horizontal
        ? new HorizontalRows(in, AxisKernel.of(filter, in.width(), outWidth))
        : new WidenedRows(in);
    int stride = outWidth * 3;
    if (!vertical) {
      byte[] out = new byte[Math.multiplyExact(in.height(), stride)];
      int block = rows.blockRows();
      int[][] buffer = new int[block][stride];
      for (int y0 = 0; y0 < in.height(); y0 += block) {
        int m = Math.min(block, in.height() - y0);
        rows.produce(y0, m, buffer, block);
        for (int r = 0; r < m; r++) {
          int[] row = buffer[(y0 + r) % block];
          int o = (y0 + r) * stride;
          for (int j = 0; j < stride; j++) {
            out[o + j] = (byte) row[j];
          }
        }
      }
      return RgbImage.wrap(outWidth, in.height(), out);
    }
    return RgbImage.wrap(outWidth, outHeight,
        verticalPass(rows, stride, AxisKernel.of(filter, in.height(), outHeight)));
  }

  /**
   * The vertical pass over rows pulled from {@code source}, {@code source.blockRows()} at a time, through a ring of
   * {@code k.taps + blockRows} rows.
   */
  private static byte[] verticalPass(RowSource source, int stride, AxisKernel k) {
    byte[] out = new byte[Math.multiplyExact(k.outSize, stride)];
    int block = source.blockRows();
    int ring = k.taps + block; // a window spans at most taps rows, and a block adds at most block - 1 more
    int[][] window = new int[ring][stride];
    int[] acc = new int[stride];
    int end = k.endUsed();
    int next = 0;
    for (int y = 0; y < k.outSize; y++) {
      int first = k.start[y];
      int n = k.count[y];
      if (next < first) {
        next = first; // windows only move forward: rows skipped here are never read
      }
      while (next < first + n) {
        // next <= first + n - 1, so the rows overwritten (up to next + block - 1 - ring <= next - taps - 1) lie below
        // this window (n <= taps) and so below every later one
        int m = Math.min(block, end - next);
        source.produce(next, m, window, ring);
        next += m;
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

  /** The rows the vertical pass reads, as 8-bit values in ints ({@code 3 * width} per row). */
  private interface RowSource {
    /** How many rows one {@link #produce} call makes at most. */
    int blockRows();

    /** Writes rows {@code y0 .. y0 + m - 1} (m &lt;= blockRows) into {@code ring[row % ring.length]}. */
    void produce(int y0, int m, int[][] ring, int ringSize);
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
    public int blockRows() {
      return 1;
    }

    @Override
    public void produce(int y0, int m, int[][] ring, int ringSize) {
      for (int y = y0; y < y0 + m; y++) {
        int[] dst = ring[y % ringSize];
        int p = y * stride;
        for (int j = 0; j < stride; j++) {
          dst[j] = src[p + j] & 0xFF;
        }
      }
    }
  }

  /**
   * The horizontal pass, {@link #BLOCK} rows at a time so that it vectorises: the block is transposed into one small
   * array per input column ({@code column[x][r * 3 + c]} = sample c of pixel x in block row r), so the convolution for
   * output column x is {@code acc[j] += column[start + i][j] * weight[i]} over all {@code 3 * BLOCK} samples at once,
   * the same index on both arrays, which C2 turns into vector multiply-adds. Each sum is the exact integer sum of
   * Pillow's per-pixel loop (same terms, integer addition), so the result is unchanged.
   */
  private static final class HorizontalRows implements RowSource {
    static final int BLOCK = 16;
    private static final int LANES = 3 * BLOCK;

    private final byte[] src;
    private final int inWidth;
    private final AxisKernel k;
    private final int[][] columns;
    private final int[] acc = new int[LANES];

    HorizontalRows(RgbImage in, AxisKernel k) {
      this.src = in.data();
      this.inWidth = in.width();
      this.k = k;
      this.columns = new int[inWidth][LANES];
    }

    @Override
    public int blockRows() {
      return BLOCK;
    }

    @Override
    public void produce(int y0, int m, int[][] ring, int ringSize) {
      int[][] cols = columns;
      for (int r = 0; r < m; r++) {
        int p = (y0 + r) * inWidth * 3;
        int q = r * 3;
        for (int x = 0; x < inWidth; x++, p += 3) {
          int[] col = cols[x];
          col[q] = src[p] & 0xFF;
          col[q + 1] = src[p + 1] & 0xFF;
          col[q + 2] = src[p + 2] & 0xFF;
        }
      }
      int[] sums = acc;
      int[] weights = k.weights;
      int[] start = k.start;
      int[] count = k.count;
      int taps = k.taps;
      for (int x = 0; x < k.outSize; x++) {
        Arrays.fill(sums, HALF);
        int s = start[x];
        int n = count[x];
        int wb = x * taps;
        for (int i = 0; i < n; i++) {
          multiplyAdd(sums, cols[s + i], weights[wb + i], LANES);
        }
        int o = x * 3;
        for (int r = 0; r < m; r++) {
          int[] dst = ring[(y0 + r) % ringSize];
          dst[o] = clip8Int(sums[r * 3]);
          dst[o + 1] = clip8Int(sums[r * 3 + 1]);
          dst[o + 2] = clip8Int(sums[r * 3 + 2]);
        }
      }
    }
  }
}
