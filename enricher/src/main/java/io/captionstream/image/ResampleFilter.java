package io.captionstream.image;

import io.captionstream.CaptionException;

/**
 * The separable resampling filters of Pillow ({@code Resample.c}), by their PIL ids. Each one is a kernel with a
 * support radius; {@link PillowResampler} stretches the support by the downscale factor exactly as Pillow does.
 * NEAREST (0) is not a convolution and is not offered.
 */
public enum ResampleFilter {
  LANCZOS(1, 3.0) {
    @Override
    double weight(double x) {
      // truncated sinc: sinc(x) * sinc(x / 3) on [-3, 3)
      if (-3.0 <= x && x < 3.0) {
        return sinc(x) * sinc(x / 3);
      }
      return 0.0;
    }
  },
  BILINEAR(2, 1.0) {
    @Override
    double weight(double x) {
      double a = x < 0.0 ? -x : x;
      return a < 1.0 ? 1.0 - a : 0.0;
    }
  },
  BICUBIC(3, 2.0) {
    @Override
    double weight(double x) {
      double a = -0.5;
      double t = x < 0.0 ? -x : x;
      if (t < 1.0) {
        return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
      }
      if (t < 2.0) {
        return (((t - 5) * t + 8) * t - 4) * a;
      }
      return 0.0;
    }
  },
  BOX(4, 0.5) {
    @Override
    double weight(double x) {
      return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
    }
  };

  private final int pilId;
  private final double support;

  ResampleFilter(int pilId, double support) {
    this.pilId = pilId;
    this.support = support;
  }

  /** The kernel value at {@code x} (in input-pixel units divided by the filter scale). */
  abstract double weight(double x);

  /** The kernel's support radius at scale 1. */
  double support() {
    return support;
  }

  public int pilId() {
    return pilId;
  }

  /** The filter for a {@code resample} id of {@code preprocessor_config.json}. */
  public static ResampleFilter fromPilId(int id) {
    for (ResampleFilter f : values()) {
      if (f.pilId == id) {
        return f;
      }
    }
    throw new CaptionException(CaptionException.Reason.INVALID_REQUEST,
        "unsupported resample filter id " + id + " (supported: 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX)");
  }

  private static double sinc(double x) {
    if (x == 0.0) {
      return 1.0;
    }
    double px = x * Math.PI;
    return StrictMath.sin(px) / px;
  }
}
