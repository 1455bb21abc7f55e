package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code decoder_model_merged.onnx}: a small but real Llama decoder with a key/value cache. Per layer: RMSNorm, q/k/v
 * projections, RoPE from {@code position_ids}, grouped-query attention over concat(past, current) under a causal mask
 * combined with {@code attention_mask}, o-projection, residual, RMSNorm, SiLU-gated MLP, residual. Then a final
 * RMSNorm, the LM head and a per-token logit bias (zero except the {@code <end_of_utterance>} boost).
 */
final class DecoderGraph {

  static final String FILE = "decoder_model_merged.onnx";
  static final float RMS_EPS = 1e-5f;
  private static final float MASKED = -1e9f;

  private final SynthSpec spec;
  private final GraphBuilder g;
  private DecoderGraph(SynthSpec spec, GraphBuilder g) {
    this.spec = spec;
    this.g = g;
  }

  static long write(SynthSpec spec, Path onnxDir) throws IOException {
    try (GraphBuilder g = new GraphBuilder("decoder_model_merged", onnxDir.resolve(FILE),
        new SeededWeights(spec.seed()),
        spec.externalData())) {
      new DecoderGraph(spec, g).build();
      return g.write("Synthetic SmolVLM Llama decoder with KV cache (random weights)");
    }
  }

  /** Produces {@code name} from x. */
  private String emit(String name, String x) {
    return g.opNamed("Identity", name, new String[] {x});
  }

  private void build() {
    int h = spec.textHidden();
    int kv = spec.kvHeads();
    int d = spec.headDim();
    String x = g.input("inputs_embeds", DataType.FLOAT, "batch_size", "sequence_length", h);
    String mask = g.input("attention_mask", DataType.INT64, "batch_size", "total_sequence_length");
    String positions = g.input("position_ids", DataType.INT64, "batch_size", "sequence_length");
    for (int i = 0; i < spec.textLayers(); i++) {
      g.input(pastName(i, "key"), DataType.FLOAT, "batch_size", kv, "past_sequence_length", d);
      g.input(pastName(i, "value"), DataType.FLOAT, "batch_size", kv, "past_sequence_length", d);
    }

    String[] cosSin = rope(positions);
    String bias = attentionBias(x, mask);
    for (int i = 0; i < spec.textLayers(); i++) {
      x = layer(i, x, cosSin[0], cosSin[1], bias);
    }
    x = rmsNorm(x, "model.norm.weight");
    String logits = g.op("MatMul", x, g.linear("lm_head.weight", h, spec.vocab()));
    float[] logitBias = new float[spec.vocab()];
    logitBias[spec.eosTokenId()] = spec.eosBias();
    logits = g.op("Add", logits, g.named("lm_head.eos_bias", logitBias, spec.vocab()));
    emit("logits", logits);
    g.output("logits", "logits", DataType.FLOAT, "batch_size", "sequence_length", spec.vocab());
    for (int i = 0; i < spec.textLayers(); i++) {
      g.output(presentName(i, "key"), presentName(i, "key"), DataType.FLOAT,
          "batch_size", kv, "total_sequence_length", d);
      g.output(presentName(i, "value"), presentName(i, "value"), DataType.FLOAT,
          "batch_size", kv, "total_sequence_length", d);
    }
  }

  static String pastName(int layer, String kind) {
    return "past_key_values." + layer + "." + kind;
  }

  static String presentName(int layer, String kind) {
    return "present." + layer + "." + kind;
  }

  /** cos and sin of the rotary angles, [batch, 1, seq, head_dim], from the given positions. */
  private String[] rope(String positionIds) {
    int half = spec.headDim() / 2;
    float[] invFreq = new float[half];
    for (int i = 0; i < half; i++) {
      invFreq[i] = (float) (1.0 / Math.pow(spec.ropeTheta(), (2.0 * i) / spec.headDim()));
    }
    String pos = g.op1("Cast", positionIds, "to", DataType.FLOAT.getNumber());
    String pos3 = g.op("Unsqueeze", pos, g.ints(-1));                        // [b, s, 1]
    String freqs = g.op("Mul", pos3, g.floats(invFreq, half));              // [b, s, d/2]
    String angles = g.op("Concat", new String[] {freqs, freqs}, "axis", -1);  // [b, s, d]
    String angles4 = g.op("Unsqueeze", angles, g.ints(1));                  // [b, 1, s, d]
    return new String[] {g.op("Cos", angles4), g.op("Sin", angles4)};
  }

  /**
   * Additive attention bias [batch, 1, seq, past+seq]: 0 where query i (absolute position past+i) may see key j
   * (j ≤ past+i and attention_mask[j] = 1), −1e9 elsewhere.
   */
  private String attentionBias(String x, String mask) {
    String one = g.scalarInt64(1);
    String total = g.op("Gather", g.op("Shape", mask), one, "axis", 0);      // T
    String seq = g.op("Gather", g.op("Shape", x), one, "axis", 0);          // S
    String past = g.op("Sub", total, seq);                                    // P
    String keyIdx = g.op("Unsqueeze", g.op("Range", new String[] {g.scalarInt64(0), total, one}), g.ints(0)); // [1,T]
    String queryIdx = g.op("Unsqueeze", g.op("Range", new String[] {past, total, one}), g.ints(1));          // [S,1]
    String causal = g.op("LessOrEqual", keyIdx, queryIdx);                   // [S, T]
    String padding = g.op("Unsqueeze", g.op1("Cast", mask, "to", DataType.BOOL.getNumber()), g.ints(1, 2)); // [b,1,1,T]
    String allowed = g.op("And", causal, padding);                           // [b, 1, S, T]
    return g.op("Where", new String[] {allowed, g.scalarFloat(0f), g.scalarFloat(MASKED)});
  }

  private String layer(int i, String x, String cos, String sin, String bias) {
    int h = spec.textHidden();
    int heads = spec.textHeads();
    int kv = spec.kvHeads();
    int d = spec.headDim();
    String p = "model.layers." + i + ".";

    String normed = rmsNorm(x, p + "input_layernorm.weight");
    String q = heads(g.op("MatMul", normed, g.linear(p + "self_attn.q_proj.weight", h, (long) heads * d)), heads);
    String k = heads(g.op("MatMul", normed, g.linear(p + "self_attn.k_proj.weight", h, (long) kv * d)), kv);
    String v = heads(g.op("MatMul", normed, g.linear(p + "self_attn.v_proj.weight", h, (long) kv * d)), kv);
    q = applyRope(q, cos, sin);
    k = applyRope(k, cos, sin);

    String presentK = g.op("Concat", new String[] {pastName(i, "key"), k}, "axis", 2);
    String presentV = g.op("Concat", new String[] {pastName(i, "value"), v}, "axis", 2);
    emit(presentName(i, "key"), presentK);
    emit(presentName(i, "value"), presentV);
    String keys = repeatKv(presentK);
    String values = repeatKv(presentV);

    String scores = g.op("MatMul", q, g.op1("Transpose", keys, "perm", new long[] {0, 1, 3, 2})); // [b, H, S, T]
    scores = g.op("Mul", scores, g.scalarFloat((float) (1.0 / Math.sqrt(d))));
    scores = g.op("Add", scores, bias);
    String probs = g.op1("Softmax", scores, "axis", -1);
    String context = g.op("MatMul", probs, values);                          // [b, H, S, d]
    context = g.op1("Transpose", context, "perm", new long[] {0, 2, 1, 3});   // [b, S, H, d]
    context = g.op("Reshape", context, g.ints(0, 0, (long) heads * d));
    String attnOut = g.op("MatMul", context, g.linear(p + "self_attn.o_proj.weight", (long) heads * d, h));
    x = g.op("Add", x, attnOut);

    String normed2 = rmsNorm(x, p + "post_attention_layernorm.weight");
    String gate = g.op("MatMul", normed2, g.linear(p + "mlp.gate_proj.weight", h, spec.intermediate()));
    String up = g.op("MatMul", normed2, g.linear(p + "mlp.up_proj.weight", h, spec.intermediate()));
    String silu = g.op("Mul", gate, g.op("Sigmoid", gate));
    String down = g.op("MatMul", g.op("Mul", silu, up),
        g.linear(p + "mlp.down_proj.weight", spec.intermediate(), h));
    return g.op("Add", x, down);
  }

  /** [b, s, n·d] → [b, n, s, d]. */
  private String heads(String projected, int n) {
    String split = g.op("Reshape", projected, g.ints(0, 0, n, spec.headDim()));
    return g.op1("Transpose", split, "perm", new long[] {0, 2, 1, 3});
  }

  /** x·cos + rotate_half(x)·sin, rotate_half(x) = concat(−x[d/2:], x[:d/2]). */
  private String applyRope(String x, String cos, String sin) {
    int half = spec.headDim() / 2;
    String axis = g.ints(3);
    String x1 = g.op("Slice", new String[] {x, g.ints(0), g.ints(half), axis});
    String x2 = g.op("Slice", new String[] {x, g.ints(half), g.ints(spec.headDim()), axis});
    String rotated = g.op("Concat", new String[] {g.op("Neg", x2), x1}, "axis", -1);
    return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rotated, sin));
  }

  /** [b, kv, T, d] → [b, kv·group, T, d], each kv head repeated for the query heads of its group. */
  private String repeatKv(String x) {
    if (spec.groupSize() == 1) {
      return x;
    }
    String expanded = g.op("Expand", g.op("Unsqueeze", x, g.ints(2)), g.ints(1, 1, spec.groupSize(), 1, 1));
    return g.op("Reshape", expanded, g.ints(0, spec.textHeads(), -1, spec.headDim()));
  }

  /**
   * Llama's RMSNorm as a torch export writes it: {@code Pow(x, 2) → ReduceMean → Add(eps) → Sqrt → Div(x, ·) →
   * Mul(weight)}, the pattern ONNX Runtime fuses into {@code SimplifiedLayerNormalization}.
   */
  private String rmsNorm(String x, String weightName) {
    String meanSquare = g.op1("ReduceMean", g.op("Pow", x, g.scalarFloat(2f)), "axes", new long[] {-1},
        "keepdims", 1);
    String rms = g.op("Sqrt", g.op("Add", meanSquare, g.scalarFloat(RMS_EPS)));
    String weight = g.weight(weightName, 1f, 0.1f, spec.textHidden());
    return g.op("Mul", g.op("Div", x, rms), weight);
  }
}
