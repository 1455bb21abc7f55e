package io.captionstream.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files (format 1.0, little endian, C order) for the dtypes the model inputs use:
 * float32 ({@code <f4}), int64 ({@code <i8}) and bool ({@code |b1}).
 */
public final class NpyWriter {

  private NpyWriter() {}

  public static void writeFloat32(Path file, FloatBuffer values, long[] shape) throws IOException {
    FloatBuffer v = values.duplicate();
    int count = v.remaining();
    ByteBuffer bytes = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(v);
    write(file, "<f4", shape, bytes.array(), count);
  }

  public static void writeInt64(Path file, long[] values, long[] shape) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    write(file, "<i8", shape, bytes.array(), values.length);
  }

  public static void writeBool(Path file, boolean[] values, long[] shape) throws IOException {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    write(file, "|b1", shape, bytes, values.length);
  }

  private static void write(Path file, String descr, long[] shape, byte[] data, long count) throws IOException {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != count) {
      throw new IllegalArgumentException(count + " values do not fill shape of " + n);
    }
    StringBuilder dims = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      dims.append(shape[i]).append(i == 0 && shape.length == 1 ? "," : "").append(i < shape.length - 1 ? ", " : "");
    }
    StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
        + dims + "), }");
    int total = 10 + header.length() + 1;
    int pad = (64 - total % 64) % 64;
    header.append(" ".repeat(pad)).append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
      out.write(h.length & 0xff);
      out.write((h.length >> 8) & 0xff);
      out.write(h);
      out.write(data);
    }
  }
}
