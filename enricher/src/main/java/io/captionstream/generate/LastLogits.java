package io.captionstream.generate;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * A reusable native buffer the decoder writes its {@code logits} into (an ORT pinned output), so that only the last
 * position's row is ever read into Java: the prefill produces N &times; vocab values, of which one row matters.
 * Float16 logits are converted to float. Not thread-safe.
 */
final class LastLogits {

  private final OnnxJavaType type;
  private final int vocab;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

  LastLogits(OnnxJavaType type, int vocab) {
    if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16) {
      throw new IllegalArgumentException("logits must be float32 or float16, are " + type);
    }
    this.type = type;
    this.vocab = vocab;
  }

  /** A fresh output tensor {@code [1, seq, vocab]} over the shared buffer; the caller closes it after the run. */
  OnnxTensor outputFor(OrtEnvironment env, int seq) throws OrtException {
    long bytes = (long) seq * vocab * type.size;
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("logits of " + seq + " positions exceed 2 GiB");
    }
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
    view.clear().limit((int) bytes);
    ByteBuffer slice = view.slice().order(ByteOrder.nativeOrder());
    long[] shape = {1, seq, vocab};
    return type == OnnxJavaType.FLOAT
        ? OnnxTensor.createTensor(env, slice.asFloatBuffer(), shape)
        : OnnxTensor.createTensor(env, slice.asShortBuffer(), shape, OnnxJavaType.FLOAT16);
  }

  /** Argmax of the row of position {@code seq - 1} written by the last run; ties go to the lowest id. */
  int argmaxLast(int seq) {
    int base = (seq - 1) * vocab;
    if (type == OnnxJavaType.FLOAT) {
      FloatBuffer f = buffer.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
      return argmax(f, base, vocab);
    }
    ShortBuffer s = buffer.duplicate().order(ByteOrder.nativeOrder()).asShortBuffer();
    float[] row = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      row[i] = Float.float16ToFloat(s.get(base + i));
    }
    return argmax(FloatBuffer.wrap(row), 0, vocab);
  }

  /** Index of the largest value in {@code [from, from + n)} relative to {@code from}; first wins on ties, NaN never. */
  static int argmax(FloatBuffer values, int from, int n) {
    int best = -1;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = values.get(from + i);
      if (v > bestValue || (best < 0 && v == bestValue)) {
        best = i;
        bestValue = v;
      }
    }
    return Math.max(best, 0);
  }
}
