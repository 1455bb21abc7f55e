package io.captionstream.synth;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helper: runs the synthetic graphs through ORT Java (one intra-op thread) and copies results out. */
final class OrtRunner {

  static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private OrtRunner() {}

  static OrtSession open(Path onnx) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      return ENV.createSession(onnx.toString(), options);
    }
  }

  static OnnxTensor floats(float[] data, long... shape) throws OrtException {
    return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), shape);
  }

  static OnnxTensor longs(long[] data, long... shape) throws OrtException {
    return OnnxTensor.createTensor(ENV, LongBuffer.wrap(data), shape);
  }

  static OnnxTensor bools(boolean[] data, long... shape) throws OrtException {
    ByteBuffer buf = ByteBuffer.allocateDirect(data.length);
    for (boolean b : data) {
      buf.put((byte) (b ? 1 : 0));
    }
    buf.flip();
    return OnnxTensor.createTensor(ENV, buf, shape, OnnxJavaType.BOOL);
  }

  static float[] flat(OnnxTensor t) {
    FloatBuffer fb = t.getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }

  /** embed_tokens(ids) for batch 1. */
  static float[] embed(OrtSession embed, long[] ids) throws OrtException {
    try (OnnxTensor in = longs(ids, 1, ids.length);
         OrtSession.Result r = embed.run(Map.of("input_ids", in))) {
      return flat((OnnxTensor) r.get("inputs_embeds").orElseThrow());
    }
  }

  /** Decoder outputs copied to plain arrays: logits [seq·vocab] and every present tensor with its shape. */
  record DecoderOut(float[] logits, Map<String, float[]> present, Map<String, long[]> presentShapes) {
    float[] lastLogits(int vocab) {
      float[] last = new float[vocab];
      System.arraycopy(logits, logits.length - vocab, last, 0, vocab);
      return last;
    }
  }

  /**
   * One decoder call for batch 1. {@code past} maps layer-kind names ("0.key") to values with their shapes; null or
   * empty means an empty cache (zero-length tensors, as the contract's step 0).
   */
  static DecoderOut decode(OrtSession decoder, SynthSpec spec, float[] embeds, long[] mask, long[] positions,
      DecoderOut past) throws OrtException {
    int seq = positions.length;
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      inputs.put("inputs_embeds", floats(embeds, 1, seq, spec.textHidden()));
      inputs.put("attention_mask", longs(mask, 1, mask.length));
      inputs.put("position_ids", longs(positions, 1, seq));
      for (int i = 0; i < spec.textLayers(); i++) {
        for (String kind : new String[] {"key", "value"}) {
          String name = DecoderGraph.presentName(i, kind);
          float[] data = past == null ? new float[0] : past.present().get(name);
          long[] shape = past == null
              ? new long[] {1, spec.kvHeads(), 0, spec.headDim()}
              : past.presentShapes().get(name);
          inputs.put(DecoderGraph.pastName(i, kind), floats(data, shape));
        }
      }
      try (OrtSession.Result r = decoder.run(inputs)) {
        float[] logits = flat((OnnxTensor) r.get("logits").orElseThrow());
        Map<String, float[]> present = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        for (Map.Entry<String, OnnxValue> e : r) {
          if (e.getKey().startsWith("present.")) {
            OnnxTensor t = (OnnxTensor) e.getValue();
            present.put(e.getKey(), flat(t));
            shapes.put(e.getKey(), t.getInfo().getShape());
          }
        }
        return new DecoderOut(logits, present, shapes);
      }
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }

  /** vision_encoder for batch 1 and {@code tiles} tiles; returns image_features flattened and its shape. */
  static float[] vision(OrtSession vision, SynthSpec spec, float[] pixels, boolean[] mask, int tiles, long[] shapeOut)
      throws OrtException {
    int s = spec.tileSize();
    try (OnnxTensor px = floats(pixels, 1, tiles, 3, s, s);
         OnnxTensor m = bools(mask, 1, tiles, s, s);
         OrtSession.Result r = vision.run(Map.of("pixel_values", px, "pixel_attention_mask", m))) {
      OnnxTensor out = (OnnxTensor) r.get("image_features").orElseThrow();
      long[] shape = out.getInfo().getShape();
      System.arraycopy(shape, 0, shapeOut, 0, shape.length);
      return flat(out);
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
    }
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
