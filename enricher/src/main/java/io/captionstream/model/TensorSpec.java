package io.captionstream.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The declared element type and shape of one graph input or output, as ONNX Runtime reports it. A dynamic dimension is
 * {@code -1}.
 */
public record TensorSpec(OnnxJavaType type, long[] shape) {

  public TensorSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The dimension {@code i}, or {@code -1} when it is dynamic or absent. */
  public long dim(int i) {
    return i < shape.length ? shape[i] : -1;
  }

  /** Converts ORT's session metadata (non-tensor values become {@link OnnxJavaType#UNKNOWN}, rank 0). */
  public static Map<String, TensorSpec> of(Map<String, NodeInfo> infos) {
    Map<String, TensorSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo t) {
        out.put(e.getKey(), new TensorSpec(t.type, t.getShape()));
      } else {
        out.put(e.getKey(), new TensorSpec(OnnxJavaType.UNKNOWN, new long[0]));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.type == type && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return type + Arrays.toString(shape);
  }
}
