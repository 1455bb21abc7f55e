package io.captionstream.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The protobuf wire format, just enough to walk the top-level fields of an ONNX message stored in a file without
 * reading its payloads (a 541 MB decoder with inline weights is scanned by seeking, never loaded into the heap), and
 * to copy byte ranges or write new length-delimited fields.
 */
final class OnnxWire {

  /** Field numbers of {@code onnx.proto}'s ModelProto and GraphProto that the load-time rewrites walk. */
  static final int MODEL_GRAPH = 7;
  static final int MODEL_OPSET_IMPORT = 8;
  static final int GRAPH_NODE = 1;
  static final int GRAPH_INITIALIZER = 5;
  static final int GRAPH_INPUT = 11;
  static final int GRAPH_OUTPUT = 12;
  static final int GRAPH_VALUE_INFO = 13;

  /** One field of a message: its number, wire type, and where its header and payload lie in the file. */
  record Field(int number, int wireType, long start, long payloadStart, long end) {
    long payloadLength() {
      return end - payloadStart;
    }
  }

  private final FileChannel file;
  private final ByteBuffer probe = ByteBuffer.allocate(10);

  OnnxWire(FileChannel file) {
    this.file = file;
  }

  /** The fields of the message occupying {@code [from, to)}. */
  List<Field> fields(long from, long to) throws IOException {
    List<Field> out = new ArrayList<>();
    long pos = from;
    while (pos < to) {
      long[] tag = varint(pos);
      int number = (int) (tag[0] >>> 3);
      int wireType = (int) (tag[0] & 7);
      long p = tag[1];
      long payload = p;
      long end;
      switch (wireType) {
        case 0 -> end = varint(p)[1];
        case 1 -> end = p + 8;
        case 2 -> {
          long[] len = varint(p);
          payload = len[1];
          end = payload + len[0];
        }
        case 5 -> end = p + 4;
        default -> throw new IOException("unsupported wire type " + wireType + " at byte " + pos);
      }
      if (end > to) {
        throw new IOException("field " + number + " at byte " + pos + " runs past its message");
      }
      out.add(new Field(number, wireType, pos, payload, end));
      pos = end;
    }
    return out;
  }

  /** The payload bytes of a (small) field. */
  byte[] payload(Field f) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(f.payloadLength()));
    long pos = f.payloadStart();
    while (b.hasRemaining()) {
      int n = file.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
    return b.array();
  }

  /** Copies the file's bytes {@code [from, to)} to {@code out}. */
  void copy(long from, long to, WritableByteChannel out) throws IOException {
    long pos = from;
    while (pos < to) {
      pos += file.transferTo(pos, to - pos, out);
    }
  }

  /** {@code [value, position after it]} of the varint at {@code pos}. */
  private long[] varint(long pos) throws IOException {
    probe.clear();
    file.read(probe, pos);
    probe.flip();
    long value = 0;
    for (int i = 0; i < 10 && probe.hasRemaining(); i++) {
      byte b = probe.get();
      value |= (long) (b & 0x7f) << (7 * i);
      if (b >= 0) {
        return new long[] {value, pos + i + 1};
      }
    }
    throw new IOException("bad varint at byte " + pos);
  }

  /** A length-delimited field header: tag of {@code number} and the payload length. */
  static byte[] header(int number, long length) {
    ByteBuffer b = ByteBuffer.allocate(20);
    putVarint(b, ((long) number << 3) | 2);
    putVarint(b, length);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static void putVarint(ByteBuffer b, long v) {
    while ((v & ~0x7fL) != 0) {
      b.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    b.put((byte) v);
  }
}
