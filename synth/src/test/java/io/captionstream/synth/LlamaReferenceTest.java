package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent plain-Java Llama forward pass over the weights stored in the generated decoder: the ONNX graph must
 * compute exactly this (RMSNorm, rotate-half RoPE, grouped-query attention with kv head = head / group, causal
 * softmax, SiLU-gated MLP, LM head + bias). A variant with interleaved RoPE pairs must NOT match, so the comparison
 * can tell a wrong rotary convention apart.
 */
class LlamaReferenceTest {

  static final SynthSpec SPEC = SynthSpec.tiny().toBuilder().textHeads(6).kvHeads(2).headDim(8).build();
  static final long[] IDS = {1, 40, 7, 300, 12, 420};

  @Test
  void decoderGraphMatchesAPlainJavaLlamaForwardPass(@TempDir Path dir) throws IOException, OrtException {
    SynthModelWriter.writeGraphs(SPEC, dir);
    Map<String, float[]> w = weights(SynthModelWriter.decoder(dir));
    float[] embeds;
    float[] ortLogits;
    try (OrtSession embed = OrtRunner.open(SynthModelWriter.embedTokens(dir));
         OrtSession decoder = OrtRunner.open(SynthModelWriter.decoder(dir))) {
      embeds = OrtRunner.embed(embed, IDS);
      long[] positions = new long[IDS.length];
      long[] mask = new long[IDS.length];
      for (int i = 0; i < IDS.length; i++) {
        positions[i] = i;
        mask[i] = 1;
      }
      ortLogits = OrtRunner.decode(decoder, SPEC, embeds, mask, positions, null).logits();
    }
    double[] reference = forward(w, embeds, false);
    double[] interleaved = forward(w, embeds, true);
    assertThat(maxDiff(ortLogits, reference)).isLessThan(1e-3);
    assertThat(maxDiff(ortLogits, interleaved)).isGreaterThan(1e-2);
  }

  static double maxDiff(float[] a, double[] b) {
    assertThat(a).hasSize(b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  static Map<String, float[]> weights(Path onnx) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    try (InputStream in = Files.newInputStream(onnx)) {
      for (TensorProto t : ModelProto.parseFrom(in).getGraph().getInitializerList()) {
        if (t.getDataType() == TensorProto.DataType.FLOAT.getNumber()) {
          FloatBuffer fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
          float[] v = new float[fb.remaining()];
          fb.get(v);
          out.put(t.getName(), v);
        }
      }
    }
    return out;
  }

  /** Logits [n, vocab] for the whole sequence at positions 0..n−1, no padding. */
  static double[] forward(Map<String, float[]> w, float[] embeds, boolean interleavedRope) {
    int h = SPEC.textHidden();
    int n = embeds.length / h;
    int heads = SPEC.textHeads();
    int kv = SPEC.kvHeads();
    int d = SPEC.headDim();
    int group = heads / kv;
    double[][] x = new double[n][h];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < h; j++) {
        x[t][j] = embeds[t * h + j];
      }
    }
    for (int l = 0; l < SPEC.textLayers(); l++) {
      String p = "model.layers." + l + ".";
      double[][] normed = rms(x, w.get(p + "input_layernorm.weight"));
      double[][] q = matmul(normed, w.get(p + "self_attn.q_proj.weight"), heads * d);
      double[][] k = matmul(normed, w.get(p + "self_attn.k_proj.weight"), kv * d);
      double[][] v = matmul(normed, w.get(p + "self_attn.v_proj.weight"), kv * d);
      for (int t = 0; t < n; t++) {
        rope(q[t], heads, t, interleavedRope);
        rope(k[t], kv, t, interleavedRope);
      }
      double[][] ctx = new double[n][heads * d];
      for (int hd = 0; hd < heads; hd++) {
        int kh = hd / group;
        for (int t = 0; t < n; t++) {
          double[] scores = new double[t + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int s = 0; s <= t; s++) {
            double dot = 0;
            for (int i = 0; i < d; i++) {
              dot += q[t][hd * d + i] * k[s][kh * d + i];
            }
            scores[s] = dot / Math.sqrt(d);
            max = Math.max(max, scores[s]);
          }
          double sum = 0;
          for (int s = 0; s <= t; s++) {
            scores[s] = Math.exp(scores[s] - max);
            sum += scores[s];
          }
          for (int s = 0; s <= t; s++) {
            for (int i = 0; i < d; i++) {
              ctx[t][hd * d + i] += scores[s] / sum * v[s][kh * d + i];
            }
          }
        }
      }
      add(x, matmul(ctx, w.get(p + "self_attn.o_proj.weight"), h));
      double[][] normed2 = rms(x, w.get(p + "post_attention_layernorm.weight"));
      double[][] gate = matmul(normed2, w.get(p + "mlp.gate_proj.weight"), SPEC.intermediate());
      double[][] up = matmul(normed2, w.get(p + "mlp.up_proj.weight"), SPEC.intermediate());
      for (int t = 0; t < n; t++) {
        for (int j = 0; j < SPEC.intermediate(); j++) {
          double g = gate[t][j];
          gate[t][j] = g / (1 + Math.exp(-g)) * up[t][j];
        }
      }
      add(x, matmul(gate, w.get(p + "mlp.down_proj.weight"), h));
    }
    double[][] logits = matmul(rms(x, w.get("model.norm.weight")), w.get("lm_head.weight"), SPEC.vocab());
    float[] bias = w.get("lm_head.eos_bias");
    double[] flat = new double[n * SPEC.vocab()];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < SPEC.vocab(); j++) {
        flat[t * SPEC.vocab() + j] = logits[t][j] + bias[j];
      }
    }
    return flat;
  }

  static void rope(double[] x, int nHeads, int position, boolean interleaved) {
    int d = SPEC.headDim();
    int half = d / 2;
    for (int hd = 0; hd < nHeads; hd++) {
      int base = hd * d;
      double[] out = new double[d];
      for (int i = 0; i < half; i++) {
        double angle = position * (double) (float) (1.0 / Math.pow(SPEC.ropeTheta(), (2.0 * i) / d));
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        int a = interleaved ? 2 * i : i;
        int b = interleaved ? 2 * i + 1 : i + half;
        out[a] = x[base + a] * c - x[base + b] * s;
        out[b] = x[base + b] * c + x[base + a] * s;
      }
      System.arraycopy(out, 0, x, base, d);
    }
  }

  static double[][] rms(double[][] x, float[] weight) {
    double[][] out = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double ms = 0;
      for (double v : x[t]) {
        ms += v * v;
      }
      double rms = Math.sqrt(ms / x[t].length + DecoderGraph.RMS_EPS);
      out[t] = new double[x[t].length];
      for (int j = 0; j < x[t].length; j++) {
        out[t][j] = x[t][j] / rms * weight[j];
      }
    }
    return out;
  }

  /** x [n, in] · w [in, out] (row-major, as stored in the graph). */
  static double[][] matmul(double[][] x, float[] w, int out) {
    int in = w.length / out;
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int i = 0; i < in; i++) {
        double xi = x[t][i];
        for (int j = 0; j < out; j++) {
          y[t][j] += xi * w[i * out + j];
        }
      }
    }
    return y;
  }

  static void add(double[][] x, double[][] delta) {
    for (int t = 0; t < x.length; t++) {
      for (int j = 0; j < x[t].length; j++) {
        x[t][j] += delta[t][j];
      }
    }
  }
}
