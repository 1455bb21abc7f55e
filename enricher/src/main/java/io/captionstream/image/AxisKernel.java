package io.captionstream.image;

/**
 * The fixed-point weights of one resampling axis, computed exactly like Pillow's {@code precompute_coeffs} followed by
 * {@code normalize_coeffs_8bpc}: for output index {@code o}, the input range is {@code [start(o), start(o)+count(o))}
 * and the weights are {@code weights[o * taps + i]}, scaled by 2^22 and rounded half away from zero.
 */
final class AxisKernel {

  /** Fractional bits of the fixed-point weights (Pillow: 32 - 8 - 2). */
  static final int PRECISION_BITS = 22;

  final int inSize;
  final int outSize;
  final int taps;
  final int[] start;
  final int[] count;
  final int[] weights;

  private AxisKernel(int inSize, int outSize, int taps, int[] start, int[] count, int[] weights) {
    this.inSize = inSize;
    this.outSize = outSize;
    this.taps = taps;
    this.start = start;
    this.count = count;
    this.weights = weights;
  }

  static AxisKernel of(ResampleFilter filter, int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filter.support() * filterScale;
    int taps = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[outSize];
    int[] count = new int[outSize];
    int[] weights = new int[Math.multiplyExact(outSize, taps)];
    double[] k = new double[taps];
    double ss = 1.0 / filterScale;
    double one = 1 << PRECISION_BITS;
    for (int o = 0; o < outSize; o++) {
      double center = (o + 0.5) * scale;
      int min = (int) (center - support + 0.5);
      if (min < 0) {
        min = 0;
      }
      int max = (int) (center + support + 0.5);
      if (max > inSize) {
        max = inSize;
      }
      int n = max - min;
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        double w = filter.weight((i + min - center + 0.5) * ss);
        k[i] = w;
        sum += w;
      }
      int base = o * taps;
      for (int i = 0; i < n; i++) {
        double w = sum != 0.0 ? k[i] / sum : k[i];
        weights[base + i] = w < 0 ? (int) (-0.5 + w * one) : (int) (0.5 + w * one);
      }
      start[o] = min;
      count[o] = n;
    }
    return new AxisKernel(inSize, outSize, taps, start, count, weights);
  }

  /** First input index any output reads. */
  int firstUsed() {
    return start[0];
  }

  /** One past the last input index any output reads. */
  int endUsed() {
    return start[outSize - 1] + count[outSize - 1];
  }
}
