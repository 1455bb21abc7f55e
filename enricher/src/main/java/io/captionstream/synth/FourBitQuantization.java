package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;

/**
 * Weight-only 4-bit quantisation of every MatMul with a constant weight [K, N], as ONNX Runtime's quantisers do:
 * <ul>
 *   <li>{@link Kind#Q4} ({@code MatMul4BitsQuantizer}, block 32, symmetric, {@code accuracy_level} unset):
 *   {@code MatMulNBits(A, B uint8 [N, K/32, 16], scales [N·K/32])}, per block of 32 along K of column n:
 *   scale = (the value of largest magnitude) / −8, q = clamp(round(w / scale) + 8, 0, 15), the zero point 8 implied
 *   (no zero_points input); element k in the low nibble when k is even.</li>
 *   <li>{@link Kind#BNB4} ({@code MatMulBnb4Quantizer}, NF4, block 64): {@code MatMulBnb4(A, B uint8 [⌈N·K/2⌉],
 *   absmax [⌈N·K/64⌉])} over Wᵀ [N, K] flattened, each value divided by its block's absmax and mapped to the
 *   nearest NF4 code, first element in the high nibble.</li>
 * </ul>
 * Embedding tables are not touched (both quantisers handle MatMul only).
 */
final class FourBitQuantization implements GraphRewrite.Rule {

  enum Kind { Q4, BNB4 }

  static final int Q4_BLOCK = 32;
  static final int BNB4_BLOCK = 64;
  static final int NF4 = 1;

  /** The NF4 code book (bitsandbytes), code i ↦ NF4[i]. */
  static final float[] NF4_VALUES = {-1f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
      -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0f, 0.07958029955625534f,
      0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f,
      0.7229568362236023f, 1f};

  private final Kind kind;

  private FourBitQuantization(Kind kind) {
    this.kind = kind;
  }

  static ModelProto apply(ModelProto model, Kind kind) {
    return GraphRewrite.apply(model, new FourBitQuantization(kind));
  }

  @Override
  public boolean rewrite(NodeProto node, GraphRewrite g) {
    TensorProto w = node.getOpType().equals("MatMul") && node.getInputCount() == 2
        ? g.weightMatrix(node.getInput(1)) : null;
    if (w == null) {
      return false;
    }
    int k = (int) w.getDims(0);
    int n = (int) w.getDims(1);
    float[] values = Tensors.floats(w);
    String b = g.fresh(w.getName() + "_Q4");
    String scales = g.fresh(w.getName() + "_scales");
    String a = node.getInput(0);
    if (kind == Kind.Q4) {
      int blocks = (k + Q4_BLOCK - 1) / Q4_BLOCK;
      float[] s = new float[n * blocks];
      byte[] packed = q4(values, k, n, s);
      g.put(Tensors.raw(b, DataType.UINT8, packed, n, blocks, Q4_BLOCK / 2));
      g.put(Tensors.float32(scales, s, (long) n * blocks));
      g.add(GraphRewrite.MS_DOMAIN, "MatMulNBits", List.of(a, b, scales), List.of(node.getOutput(0)),
          GraphRewrite.intAttr("K", k), GraphRewrite.intAttr("N", n), GraphRewrite.intAttr("bits", 4),
          GraphRewrite.intAttr("block_size", Q4_BLOCK));
    } else {
      int numel = n * k;
      float[] absmax = new float[(numel + BNB4_BLOCK - 1) / BNB4_BLOCK];
      byte[] packed = nf4(transpose(values, k, n), absmax);
      g.put(Tensors.raw(b, DataType.UINT8, packed, packed.length));
      g.put(Tensors.float32(scales, absmax, absmax.length));
      g.add(GraphRewrite.MS_DOMAIN, "MatMulBnb4", List.of(a, b, scales), List.of(node.getOutput(0)),
          GraphRewrite.intAttr("K", k), GraphRewrite.intAttr("N", n), GraphRewrite.intAttr("block_size", BNB4_BLOCK),
          GraphRewrite.intAttr("quant_type", NF4));
    }
    return true;
  }

  /** Symmetric 4-bit blocks of {@value #Q4_BLOCK} along K of w [K, N] (row-major); fills scales [N, blocks]. */
  static byte[] q4(float[] w, int k, int n, float[] scales) {
    int blocks = (k + Q4_BLOCK - 1) / Q4_BLOCK;
    byte[] out = new byte[n * blocks * (Q4_BLOCK / 2)];
    for (int col = 0; col < n; col++) {
      for (int blk = 0; blk < blocks; blk++) {
        int from = blk * Q4_BLOCK;
        int to = Math.min(k, from + Q4_BLOCK);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int r = from; r < to; r++) {
          min = Math.min(min, w[r * n + col]);
          max = Math.max(max, w[r * n + col]);
        }
        float extreme = Math.abs(max) > Math.abs(min) ? max : min;
        float scale = -extreme / 8f;
        scales[col * blocks + blk] = scale;
        float reciprocal = scale != 0 ? 1f / scale : 0f;
        for (int r = from; r < to; r++) {
          int q = (int) Math.max(0f, Math.min(15f, roundHalfAway(w[r * n + col] * reciprocal + 8f)));
          int index = col * blocks * (Q4_BLOCK / 2) + r / 2;
          out[index] = (byte) ((r % 2 == 0) ? (out[index] & 0xf0) | q : (out[index] & 0x0f) | (q << 4));
        }
      }
    }
    return out;
  }

  /** NF4 blocks of {@value #BNB4_BLOCK} over {@code src} (Wᵀ flattened); fills absmax per block. */
  static byte[] nf4(float[] src, float[] absmax) {
    byte[] out = new byte[(src.length + 1) / 2];
    for (int blk = 0; blk < absmax.length; blk++) {
      int from = blk * BNB4_BLOCK;
      int to = Math.min(src.length, from + BNB4_BLOCK);
      float m = 0;
      for (int i = from; i < to; i++) {
        m = Math.max(m, Math.abs(src[i]));
      }
      absmax[blk] = m;
      float reciprocal = m != 0 ? 1f / m : 0f;
      for (int i = from; i < to; i += 2) {
        int hi = nf4Code(src[i] * reciprocal);
        int lo = nf4Code(i + 1 < to ? src[i + 1] * reciprocal : 0f);
        out[i / 2] = (byte) ((hi << 4) | lo);
      }
    }
    return out;
  }

  /** The NF4 code nearest to x in [−1, 1]; a value exactly between two codes takes the lower. */
  static int nf4Code(float x) {
    int code = 0;
    for (int i = 1; i < NF4_VALUES.length; i++) {
      if (x > (NF4_VALUES[i - 1] + NF4_VALUES[i]) / 2) {
        code = i;
      }
    }
    return code;
  }

  private static float[] transpose(float[] w, int k, int n) {
    float[] t = new float[w.length];
    for (int r = 0; r < k; r++) {
      for (int c = 0; c < n; c++) {
        t[c * k + r] = w[r * n + c];
      }
    }
    return t;
  }

  /** C's {@code roundf}: halves away from zero. */
  private static float roundHalfAway(float x) {
    return Math.signum(x) * (float) Math.floor(Math.abs(x) + 0.5f);
  }
}
