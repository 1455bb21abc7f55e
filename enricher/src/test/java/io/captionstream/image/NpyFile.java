package io.captionstream.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the little-endian float32 / uint8 C-order .npy files the Pillow reference script writes. */
record NpyFile(long[] shape, String dtype, ByteBuffer data) {

  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  static NpyFile read(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (buf.get() != (byte) 0x93 || buf.get() != 'N') {
      throw new IOException("not an npy file: " + file);
    }
    buf.position(6);
    int major = buf.get();
    buf.get();
    int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
    byte[] header = new byte[headerLen];
    buf.get(header);
    String h = new String(header, StandardCharsets.ISO_8859_1);
    if (h.contains("'fortran_order': True")) {
      throw new IOException("fortran order not supported");
    }
    Matcher d = DESCR.matcher(h);
    Matcher s = SHAPE.matcher(h);
    if (!d.find() || !s.find()) {
      throw new IOException("bad npy header: " + h);
    }
    long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
        .mapToLong(Long::parseLong).toArray();
    return new NpyFile(shape, d.group(1), buf.slice().order(ByteOrder.LITTLE_ENDIAN));
  }

  float[] floats() {
    if (!dtype.equals("<f4")) {
      throw new IllegalStateException("dtype " + dtype);
    }
    float[] out = new float[data.remaining() / 4];
    data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  byte[] bytes() {
    if (!dtype.equals("|u1")) {
      throw new IllegalStateException("dtype " + dtype);
    }
    byte[] out = new byte[data.remaining()];
    data.duplicate().get(out);
    return out;
  }
}
