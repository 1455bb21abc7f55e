package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Reading and making the initializer tensors of a variant: float32 values in, quantised or half tensors out. */
final class Tensors {

  /** Largest finite float16. */
  static final float HALF_MAX = 65504f;

  private Tensors() {}

  static boolean isFloat(TensorProto t) {
    return t.getDataType() == DataType.FLOAT.getNumber();
  }

  /** The values of a float32 initializer (raw little-endian data or {@code float_data}). */
  static float[] floats(TensorProto t) {
    if (!isFloat(t)) {
      throw new IllegalArgumentException("tensor " + t.getName() + " is not float32");
    }
    if (t.getRawData().isEmpty()) {
      float[] out = new float[t.getFloatDataCount()];
      for (int i = 0; i < out.length; i++) {
        out[i] = t.getFloatData(i);
      }
      return out;
    }
    FloatBuffer f = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[f.remaining()];
    f.get(out);
    return out;
  }

  static TensorProto raw(String name, DataType type, byte[] data, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
        .setRawData(ByteString.copyFrom(data));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  static TensorProto float32(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return raw(name, DataType.FLOAT, b.array(), dims);
  }

  /** float16 values, clamped to ±{@value #HALF_MAX} (the fp16 converter's clipping: −1e9 mask bias stays finite). */
  static TensorProto float16(String name, float[] values, long... dims) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(Float.floatToFloat16(Math.max(-HALF_MAX, Math.min(HALF_MAX, v))));
    }
    return raw(name, DataType.FLOAT16, b.array(), dims);
  }

  /** The same tensor in float16. */
  static TensorProto toFloat16(TensorProto t) {
    return float16(t.getName(), floats(t), dims(t));
  }

  static long[] dims(TensorProto t) {
    long[] d = new long[t.getDimsCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.getDims(i);
    }
    return d;
  }
}
