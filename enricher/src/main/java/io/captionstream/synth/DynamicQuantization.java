package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic 8-bit quantisation as {@code onnxruntime.quantization.quantize_dynamic} emits it (IntegerOps,
 * {@code MatMulConstBOnly}, per-tensor): every MatMul with a constant weight becomes
 * {@code DynamicQuantizeLinear(x) → MatMulInteger(x_q, w_q, x_zp, w_zp) → Cast(float) → Mul(x_scale · w_scale)}, one
 * {@code DynamicQuantizeLinear} per distinct activation; weights are symmetric int8 (QInt8: zero point 0, range
 * ±127) or asymmetric uint8 (QUInt8). A Gather on a constant table (the token embedding) gathers from a uint8 table
 * (the activation type, asymmetric) and is followed by {@code DequantizeLinear}. With uint8 weights a Conv becomes
 * {@code ConvInteger} the same way.
 */
final class DynamicQuantization implements GraphRewrite.Rule {

  /** One per-tensor quantised tensor: bytes (int8 or uint8 as stored), scale, zero point. */
  record Quantized(byte[] data, float scale, int zeroPoint, boolean signed) {

    DataType type() {
      return signed ? DataType.INT8 : DataType.UINT8;
    }

    /** The float value of element {@code i}: scale · (q − zero point). */
    float dequantize(int i) {
      int q = signed ? data[i] : data[i] & 0xff;
      return scale * (q - zeroPoint);
    }
  }

  private final boolean signedWeights;
  private final Map<String, String[]> activations = new HashMap<>();

  private DynamicQuantization(boolean signedWeights) {
    this.signedWeights = signedWeights;
  }

  /** @param signedWeights QInt8 weights (int8, q8) or QUInt8 (uint8) */
  static ModelProto apply(ModelProto model, boolean signedWeights) {
    return GraphRewrite.apply(model, new DynamicQuantization(signedWeights));
  }

  @Override
  public boolean rewrite(NodeProto node, GraphRewrite g) {
    if (node.getOpType().equals("MatMul") && node.getInputCount() == 2 && g.weightMatrix(node.getInput(1)) != null) {
      TensorProto w = g.weightMatrix(node.getInput(1));
      String[] x = activation(node.getInput(0), g);
      String[] wq = constant(w, signedWeights ? symmetricInt8(Tensors.floats(w)) : asymmetricUint8(Tensors.floats(w)),
          g);
      String y = node.getOutput(0);
      String integer = g.fresh(y + "_output_quantized");
      g.add("MatMulInteger", List.of(x[0], wq[0], x[2], wq[2]), List.of(integer));
      String cast = g.fresh(y + "_output_quantized_cast_output");
      g.add("Cast", List.of(integer), List.of(cast), GraphRewrite.intAttr("to", DataType.FLOAT.getNumber()));
      String scales = g.fresh(y + "_scales_mul");
      g.add("Mul", List.of(x[1], wq[1]), List.of(scales));
      g.add("Mul", List.of(cast, scales), List.of(y));
      return true;
    }
    TensorProto kernel = node.getOpType().equals("Conv") ? g.initializer(node.getInput(1)) : null;
    if (kernel != null && Tensors.isFloat(kernel) && !signedWeights) {
      return convInteger(node, kernel, g);
    }
    TensorProto table = node.getOpType().equals("Gather") ? g.initializer(node.getInput(0)) : null;
    if (table != null && Tensors.isFloat(table)) {
      String[] tq = constant(table, asymmetricUint8(Tensors.floats(table)), g);
      String y = node.getOutput(0);
      String gathered = g.fresh(y + "_quantized");
      g.add("Gather", List.of(tq[0], node.getInput(1)), List.of(gathered),
          node.getAttributeList().toArray(new AttributeProto[0]));
      g.add("DequantizeLinear", List.of(gathered, tq[1], tq[2]), List.of(y));
      return true;
    }
    return false;
  }

  /**
   * {@code Conv} → {@code DynamicQuantizeLinear(x) → ConvInteger(x_q, w_q, x_zp, w_zp) → Cast → Mul(scales)}, plus
   * {@code Add} of the bias as [1, C, 1, 1]: the quantiser's ConvInteger, only with uint8 weights (the CPU provider's
   * ConvInteger takes uint8 weights; the quantisation script switches a graph with a Conv to uint8 weights).
   */
  private boolean convInteger(NodeProto node, TensorProto kernel, GraphRewrite g) {
    String[] x = activation(node.getInput(0), g);
    String[] wq = constant(kernel, asymmetricUint8(Tensors.floats(kernel)), g);
    String y = node.getOutput(0);
    String integer = g.fresh(y + "_output_quantized");
    g.add("ConvInteger", List.of(x[0], wq[0], x[2], wq[2]), List.of(integer),
        node.getAttributeList().toArray(new AttributeProto[0]));
    String cast = g.fresh(y + "_output_quantized_cast_output");
    g.add("Cast", List.of(integer), List.of(cast), GraphRewrite.intAttr("to", DataType.FLOAT.getNumber()));
    String scales = g.fresh(y + "_scales_mul");
    g.add("Mul", List.of(x[1], wq[1]), List.of(scales));
    if (node.getInputCount() < 3) {
      g.add("Mul", List.of(cast, scales), List.of(y));
      return true;
    }
    String scaled = g.fresh(y + "_scaled");
    g.add("Mul", List.of(cast, scales), List.of(scaled));
    TensorProto bias = g.initializer(node.getInput(2));
    String reshaped = g.fresh(bias.getName() + "_reshaped");
    g.put(Tensors.float32(reshaped, Tensors.floats(bias), 1, bias.getDims(0), 1, 1));
    g.add("Add", List.of(scaled, reshaped), List.of(y));
    return true;
  }

  /** {q, scale, zero point} of an activation, quantised once by a DynamicQuantizeLinear at its first use. */
  private String[] activation(String x, GraphRewrite g) {
    return activations.computeIfAbsent(x, name -> {
      String[] out = {g.fresh(name + "_quantized"), g.fresh(name + "_scale"), g.fresh(name + "_zero_point")};
      g.add("DynamicQuantizeLinear", List.of(name), List.of(out));
      return out;
    });
  }

  private static String[] constant(TensorProto w, Quantized q, GraphRewrite g) {
    String base = w.getName();
    String data = g.fresh(base + "_quantized");
    String scale = g.fresh(base + "_scale");
    String zp = g.fresh(base + "_zero_point");
    g.put(Tensors.raw(data, q.type(), q.data(), Tensors.dims(w)));
    g.put(Tensors.float32(scale, new float[] {q.scale()}));
    g.put(Tensors.raw(zp, q.type(), new byte[] {(byte) q.zeroPoint()}));
    return new String[] {data, scale, zp};
  }

  /** QInt8, symmetric: scale = 2·max|w| / 254, zero point 0, q = clip(rint(w / scale), −127, 127). */
  static Quantized symmetricInt8(float[] w) {
    float absmax = 0;
    for (float v : w) {
      absmax = Math.max(absmax, Math.abs(v));
    }
    float scale = absmax == 0 ? 1f : 2 * absmax / 254f;
    byte[] q = new byte[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = (byte) clip((int) Math.rint(w[i] / scale), -127, 127);
    }
    return new Quantized(q, scale, 0, true);
  }

  /** QUInt8, asymmetric over [min(w, 0), max(w, 0)]: scale = range / 255, zero point = rint(−min / scale). */
  static Quantized asymmetricUint8(float[] w) {
    float min = 0;
    float max = 0;
    for (float v : w) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float scale = max == min ? 1f : (max - min) / 255f;
    int zp = clip((int) Math.rint(-min / scale), 0, 255);
    byte[] q = new byte[w.length];
    for (int i = 0; i < w.length; i++) {
      q[i] = (byte) clip((int) Math.rint(w[i] / scale) + zp, 0, 255);
    }
    return new Quantized(q, scale, zp, false);
  }

  private static int clip(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
