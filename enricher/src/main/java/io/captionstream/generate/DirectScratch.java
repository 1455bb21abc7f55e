package io.captionstream.generate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A worker's reusable native-order direct buffer for input tensors. ONNX Runtime's Java API copies a heap buffer
 * into a new direct buffer for every tensor, and direct buffers are freed only when a GC finds them, so a worker
 * that builds megabytes of inputs per run without reusing a buffer grows the process by up to
 * {@code -XX:MaxDirectMemorySize} between collections. Not thread-safe: one per worker, one tensor at a time.
 */
final class DirectScratch {

  private ByteBuffer buffer = ByteBuffer.allocateDirect(0);

  /** A buffer of exactly {@code bytes} (position 0, native order) over memory reused by the next call. */
  ByteBuffer bytes(long bytes) {
    int n = Math.toIntExact(bytes);
    if (buffer.capacity() < n) {
      buffer = ByteBuffer.allocateDirect(n);
    }
    return buffer.duplicate().clear().limit(n).slice().order(ByteOrder.nativeOrder());
  }
}
