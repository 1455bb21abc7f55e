package io.captionstream.synth;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code vision_encoder.onnx}: a small SigLIP-style encoder with the Idefics3 connector. Masked pixels are zeroed,
 * tiles become patches (Conv, stride = patch), a learned position embedding is added per patch, then pre-norm
 * transformer blocks (multi-head attention, tanh-GELU MLP), a post LayerNorm, the pixel shuffle by {@code scale_factor}
 * and a linear projection to the text hidden size: {@code image_features} [batch·num_images, image_seq_len, hidden].
 */
final class VisionEncoderGraph {

  static final String FILE = "vision_encoder.onnx";
  static final float LN_EPS = 1e-6f;

  private final SynthSpec spec;
  private final GraphBuilder g;

  private VisionEncoderGraph(SynthSpec spec, GraphBuilder g) {
    this.spec = spec;
    this.g = g;
  }

  static long write(SynthSpec spec, Path onnxDir) throws IOException {
    Path file = onnxDir.resolve(FILE);
    try (GraphBuilder g = new GraphBuilder("vision_encoder", file, new SeededWeights(spec.seed()),
        spec.externalData())) {
      new VisionEncoderGraph(spec, g).build();
      return g.write("Synthetic SmolVLM vision encoder + connector (random weights)");
    }
  }

  private void build() {
    int s = spec.tileSize();
    int p = spec.patchSize();
    int e = spec.visionHidden();
    int patches = spec.patchesPerSide() * spec.patchesPerSide();
    String pixels = g.input("pixel_values", DataType.FLOAT, "batch_size", "num_images", 3, s, s);
    String mask = g.input("pixel_attention_mask", DataType.BOOL, "batch_size", "num_images", s, s);

    String maskF = g.op("Unsqueeze", g.op1("Cast", mask, "to", DataType.FLOAT.getNumber()), g.ints(2)); // [b,n,1,S,S]
    String tiles = g.op("Reshape", g.op("Mul", pixels, maskF), g.ints(-1, 3, s, s));                 // [N,3,S,S]

    String conv = g.op("Conv", new String[] {tiles,
        g.weight("vision.embeddings.patch_embedding.weight", 0f, (float) Math.sqrt(3.0 / (3 * p * p)), e, 3, p, p),
        g.weight("vision.embeddings.patch_embedding.bias", 0f, 0.1f, e)},
        "kernel_shape", new long[] {p, p}, "strides", new long[] {p, p});                               // [N,E,s/p,s/p]
    String seq = g.op1("Transpose", g.op("Reshape", conv, g.ints(0, e, -1)), "perm", new long[] {0, 2, 1}); // [N,P,E]
    String x = g.op("Add", seq,
        g.weight("vision.embeddings.position_embedding.weight", 0f, (float) Math.sqrt(3.0), patches, e));

    for (int i = 0; i < spec.visionLayers(); i++) {
      x = block(i, x);
    }
    x = layerNorm(x, "vision.post_layernorm");
    x = pixelShuffle(x);
    long shuffled = (long) e * spec.scaleFactor() * spec.scaleFactor();
    g.opNamed("MatMul", "image_features",
        new String[] {x, g.linear("connector.modality_projection.proj.weight", shuffled, spec.textHidden())});
    g.output("image_features", "image_features", DataType.FLOAT,
        "batch_num_images", spec.imageSeqLen(), spec.textHidden());
  }

  private String block(int i, String x) {
    int e = spec.visionHidden();
    int heads = spec.visionHeads();
    int hd = spec.visionHeadDim();
    String p = "vision.encoder.layers." + i + ".";

    String h = layerNorm(x, p + "layer_norm1");
    String q = heads(linearWithBias(h, p + "self_attn.q_proj", e, e), heads, hd);
    String k = heads(linearWithBias(h, p + "self_attn.k_proj", e, e), heads, hd);
    String v = heads(linearWithBias(h, p + "self_attn.v_proj", e, e), heads, hd);
    String scores = g.op("Mul", g.op("MatMul", q, g.op1("Transpose", k, "perm", new long[] {0, 1, 3, 2})),
        g.scalarFloat((float) (1.0 / Math.sqrt(hd))));
    String context = g.op("MatMul", g.op1("Softmax", scores, "axis", -1), v);
    context = g.op("Reshape", g.op1("Transpose", context, "perm", new long[] {0, 2, 1, 3}), g.ints(0, 0, e));
    x = g.op("Add", x, linearWithBias(context, p + "self_attn.out_proj", e, e));

    String h2 = layerNorm(x, p + "layer_norm2");
    String up = linearWithBias(h2, p + "mlp.fc1", e, spec.visionIntermediate());
    return g.op("Add", x, linearWithBias(gelu(up), p + "mlp.fc2", spec.visionIntermediate(), e));
  }

  /** [N, P, heads·hd] → [N, heads, P, hd]. */
  private String heads(String x, int heads, int hd) {
    return g.op1("Transpose", g.op("Reshape", x, g.ints(0, 0, heads, hd)), "perm", new long[] {0, 2, 1, 3});
  }

  private String linearWithBias(String x, String name, long in, long out) {
    return g.op("Add", g.op("MatMul", x, g.linear(name + ".weight", in, out)),
        g.weight(name + ".bias", 0f, 0.05f, out));
  }

  /**
   * SigLIP's tanh GELU, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as a torch export of the formula writes it:
   * {@code Pow(x, 3) → Mul(0.044715) → Add(x) → Mul(√(2/π)) → Tanh → Add(1)}, times {@code Mul(x, 0.5)}: the
   * pattern ONNX Runtime fuses into {@code FastGelu}.
   */
  private String gelu(String x) {
    String cube = g.op("Pow", x, g.scalarFloat(3f));
    String inner = g.op("Add", x, g.op("Mul", cube, g.scalarFloat(0.044715f)));
    String tanh = g.op("Tanh", g.op("Mul", inner, g.scalarFloat((float) Math.sqrt(2.0 / Math.PI))));
    return g.op("Mul", g.op("Mul", x, g.scalarFloat(0.5f)), g.op("Add", tanh, g.scalarFloat(1f)));
  }

  private String layerNorm(String x, String name) {
    int e = spec.visionHidden();
    return g.op("LayerNormalization", new String[] {x, g.weight(name + ".weight", 1f, 0.1f, e),
        g.weight(name + ".bias", 0f, 0.05f, e)}, "axis", -1, "epsilon", LN_EPS);
  }

  /**
   * Idefics3 pixel shuffle: [N, seq, E] → [N, seq/r², E·r²] exactly as
   * {@code view(N, h, w/r, E·r) → permute(0,2,1,3) → reshape(N, w/r, h/r, E·r²) → permute(0,2,1,3) → reshape}.
   */
  private String pixelShuffle(String x) {
    long side = spec.patchesPerSide();
    long r = spec.scaleFactor();
    long e = spec.visionHidden();
    String a = g.op("Reshape", x, g.ints(0, side, side / r, e * r));
    a = g.op1("Transpose", a, "perm", new long[] {0, 2, 1, 3});
    a = g.op("Reshape", a, g.ints(0, side / r, side / r, e * r * r));
    a = g.op1("Transpose", a, "perm", new long[] {0, 2, 1, 3});
    return g.op("Reshape", a, g.ints(0, spec.imageSeqLen(), e * r * r));
  }
}
