package io.captionstream.synth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic random weights: each tensor gets its own stream, derived from the model seed and the tensor's name,
 * so adding or reordering tensors never changes the values of the others.
 */
final class SeededWeights {

  private final long seed;

  SeededWeights(long seed) {
    this.seed = seed;
  }

  /** {@code count} little-endian float32 values uniform in [center − halfWidth, center + halfWidth). */
  ByteBuffer uniform(String tensorName, long count, float center, float halfWidth) {
    if (count * 4 > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor " + tensorName + " too large: " + count + " values");
    }
    SplittableRandom random = new SplittableRandom(streamSeed(tensorName));
    ByteBuffer buf = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
    float width = 2 * halfWidth;
    for (long i = 0; i < count; i++) {
      buf.putFloat(center + (random.nextFloat() - 0.5f) * width);
    }
    buf.flip();
    return buf;
  }

  private long streamSeed(String tensorName) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (byte b : tensorName.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001B3L;
    }
    return h ^ (h >>> 31);
  }
}
