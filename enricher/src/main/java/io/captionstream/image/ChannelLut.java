package io.captionstream.image;

import io.captionstream.model.PreprocessorConfig;

/**
 * Rescale and normalise of every possible 8-bit sample, per channel, computed once: {@code (float)(u8 * factor)}
 * (double multiply, then float, like transformers' {@code rescale}) and then {@code (v - mean) / std} in float32 (like
 * its {@code normalize}). A table lookup gives the same floats as doing the arithmetic per pixel.
 */
final class ChannelLut {

  private final float[][] table = new float[3][256];

  ChannelLut(PreprocessorConfig config) {
    float[] mean = config.imageMean();
    float[] std = config.imageStd();
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        float f = config.doRescale() ? (float) (v * config.rescaleFactor()) : (float) v;
        if (config.doNormalize()) {
          f = (f - mean[c]) / std[c];
        }
        table[c][v] = f;
      }
    }
  }

  float[] channel(int c) {
    return table[c];
  }
}
