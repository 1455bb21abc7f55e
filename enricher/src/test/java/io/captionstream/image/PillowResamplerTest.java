package io.captionstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimised {@link PillowResampler} against the frozen pre-optimisation {@link BaselineResampler} (itself proven
 * against Pillow by {@link PillowParityTest}) on many sizes, every filter, and the inputs that stress the fixed-point
 * arithmetic most: hard 0/255 edges (largest negative lobes, clamping at both ends) and noise.
 */
class PillowResamplerTest {

  private static final int[][] SIZES = {
      {1, 1, 5, 3}, {3, 7, 1, 1}, {3, 7, 40, 2}, {13, 9, 13, 4}, {13, 9, 7, 9}, {100, 80, 37, 91}, {64, 48, 512, 384},
      {257, 129, 64, 64}, {1000, 10, 96, 1}, {10, 1000, 3, 96}, {640, 480, 2048, 1536}, {2048, 1536, 512, 512},
      {511, 512, 1021, 7}, {33, 65, 32, 64}, {4000, 30, 2048, 16}};

  private static RgbImage checkerboard(int w, int h, int cell) {
    byte[] px = new byte[w * h * 3];
    for (int y = 0, i = 0; y < h; y++) {
      for (int x = 0; x < w; x++, i += 3) {
        boolean on = ((x / cell) + (y / cell)) % 2 == 0;
        px[i] = (byte) (on ? 255 : 0);
        px[i + 1] = (byte) (on ? 0 : 255);
        px[i + 2] = (byte) (x % 3 == 0 ? 255 : 0);
      }
    }
    return RgbImage.of(w, h, px);
  }

  private static RgbImage noise(int w, int h, long seed) {
    byte[] px = new byte[w * h * 3];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) rnd.nextInt(256);
    }
    return RgbImage.of(w, h, px);
  }

  @Test
  void matchesBaselineOnEveryFilterSizeAndHardInput() {
    for (ResampleFilter filter : ResampleFilter.values()) {
      PillowResampler fast = new PillowResampler(filter);
      BaselineResampler slow = new BaselineResampler(filter);
      for (int[] s : SIZES) {
        for (RgbImage in : new RgbImage[] {checkerboard(s[0], s[1], 1), checkerboard(s[0], s[1], 3),
            noise(s[0], s[1], s[0] * 31L + s[1])}) {
          assertThat(fast.resize(in, s[2], s[3])).as("%s %dx%d -> %dx%d", filter, s[0], s[1], s[2], s[3])
              .isEqualTo(slow.resize(in, s[2], s[3]));
        }
      }
    }
  }

  @Test
  void int32AccumulatorsCannotOverflowForAnyKernel() {
    // Pillow's fixed-point sums (and ours, int32 like Pillow's) clamp the true value only if they never wrap:
    // |2^21 + 255 * sum|w|| < 2^31 for every kernel
    long limit = (Integer.MAX_VALUE - (1L << 21)) / 255;
    for (ResampleFilter filter : ResampleFilter.values()) {
      for (int in = 1; in <= 300; in += 1) {
        for (int out : new int[] {1, 2, 3, 5, 17, 64, 299, 512, 2048}) {
          AxisKernel k = AxisKernel.of(filter, in, out);
          for (int o = 0; o < out; o++) {
            long abs = 0;
            for (int i = 0; i < k.count[o]; i++) {
              abs += Math.abs(k.weights[o * k.taps + i]);
            }
            assertThat(abs).as("%s %d -> %d at %d", filter, in, out, o).isLessThan(limit);
          }
        }
      }
    }
  }

  @Test
  void baselineComparisonCatchesAOneLevelError() {
    RgbImage in = noise(50, 40, 5);
    RgbImage good = new PillowResampler(ResampleFilter.LANCZOS).resize(in, 23, 17);
    byte[] wrong = good.toByteArray();
    wrong[100] = (byte) (wrong[100] + 1);
    assertThat(RgbImage.of(23, 17, wrong)).isNotEqualTo(new BaselineResampler(ResampleFilter.LANCZOS).resize(in, 23,
        17));
  }
}
