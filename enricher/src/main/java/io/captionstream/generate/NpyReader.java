package io.captionstream.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code .npy} files {@link NpyWriter} writes (format 1.x/2.x, little endian, C order). */
public final class NpyReader {

  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /** One array: its dtype descriptor, shape, and raw little-endian data. */
  public record Array(String descr, long[] shape, ByteBuffer data) {

    public long[] shape() {
      return shape.clone();
    }

    /** float32 values in a direct native-order buffer (ready for ORT without another copy). */
    public FloatBuffer asFloat32() {
      require("<f4");
      ByteBuffer direct = ByteBuffer.allocateDirect(data.remaining()).order(ByteOrder.nativeOrder());
      direct.asFloatBuffer().put(data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
      return direct.asFloatBuffer();
    }

    public long[] asInt64() {
      require("<i8");
      long[] out = new long[data.remaining() / 8];
      data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
      return out;
    }

    public boolean[] asBool() {
      require("|b1");
      boolean[] out = new boolean[data.remaining()];
      for (int i = 0; i < out.length; i++) {
        out[i] = data.get(data.position() + i) != 0;
      }
      return out;
    }

    private void require(String d) {
      if (!descr.equals(d)) {
        throw new IllegalStateException("array is " + descr + ", not " + d);
      }
    }
  }

  private NpyReader() {}

  public static Array read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10 || (all[0] & 0xff) != 0x93 || all[1] != 'N' || all[2] != 'U' || all[3] != 'M') {
      throw new IOException(file + " is not an .npy file");
    }
    int major = all[6];
    int headerLen;
    int offset;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      offset = 10;
    } else {
      headerLen = b.getInt(8);
      offset = 12;
    }
    String header = new String(all, offset, headerLen, StandardCharsets.US_ASCII);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new IOException(file + ": unreadable header " + header);
    }
    if (f.group(1).equals("True")) {
      throw new IOException(file + ": Fortran order is not supported");
    }
    long[] shape = Arrays.stream(s.group(1).split(","))
        .map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
    String descr = d.group(1).replace("=", "<");
    ByteBuffer data = ByteBuffer.wrap(all, offset + headerLen, all.length - offset - headerLen).slice();
    return new Array(descr, shape, data);
  }
}
