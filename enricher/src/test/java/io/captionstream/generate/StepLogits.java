package io.captionstream.generate;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side replay of greedy decoding with the tokens forced: the logits row of every step, for measuring how close
 * a step was to a tie (the logit margin where two runtimes' kernels disagree). The vision encoder sees all tiles in
 * one run, features replace the {@code <image>} rows, then a prefill and one cached step per forced token.
 */
final class StepLogits {

  private StepLogits() {}

  /** Logits rows of steps 0..forced.length (step i follows the prompt and forced[0..i-1]). */
  static List<float[]> replay(SessionSet s, ModelInputs in, long imageTokenId, long[] forced) throws OrtException {
    OrtEnvironment env = s.env();
    GraphContract c = s.contract();
    float[] features;
    long[] px = in.pixelShape();
    int side = (int) px[3];
    boolean[] maskValues = new boolean[(int) (px[1] * side * side)];
    Arrays.fill(maskValues, true);
    ByteBuffer maskBytes = ByteBuffer.allocateDirect(maskValues.length);
    for (boolean b : maskValues) {
      maskBytes.put((byte) (b ? 1 : 0));
    }
    maskBytes.flip();
    try (OnnxTensor pixels = OnnxTensor.createTensor(env, in.pixelValues().duplicate(), px);
        OnnxTensor mask = OnnxTensor.createTensor(env, maskBytes, new long[] {1, px[1], side, side},
            OnnxJavaType.BOOL);
        OrtSession.Result r = s.vision().run(Map.of(GraphContract.PIXEL_VALUES, pixels,
            GraphContract.PIXEL_ATTENTION_MASK, mask))) {
      features = floats((OnnxTensor) r.get(0));
    }
    long[] ids = in.inputIds();
    float[] embeds = embed(s, ids);
    int h = c.hidden();
    int row = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == imageTokenId) {
        System.arraycopy(features, row++ * h, embeds, i * h, h);
      }
    }
    List<float[]> rows = new ArrayList<>();
    OrtSession.Result past = null;
    try {
      int total = ids.length;
      float[] stepEmbeds = embeds;
      long[] positions = range(0, ids.length);
      for (int step = 0; step <= forced.length; step++) {
        OrtSession.Result result = decode(s, stepEmbeds, total, positions, past);
        if (past != null) {
          past.close();
        }
        past = result;
        float[] logits = floats((OnnxTensor) result.get(GraphContract.LOGITS).orElseThrow());
        rows.add(Arrays.copyOfRange(logits, logits.length - c.vocab(), logits.length));
        if (step < forced.length) {
          stepEmbeds = embed(s, new long[] {forced[step]});
          positions = new long[] {total};
          total++;
        }
      }
    } finally {
      if (past != null) {
        past.close();
      }
    }
    return rows;
  }

  private static OrtSession.Result decode(SessionSet s, float[] embeds, int total, long[] positions,
      OrtSession.Result past) throws OrtException {
    GraphContract c = s.contract();
    OrtEnvironment env = s.env();
    List<OnnxTensor> owned = new ArrayList<>();
    Map<String, OnnxTensorLike> inputs = new HashMap<>();
    try {
      owned.add(OnnxTensor.createTensor(env, FloatBuffer.wrap(embeds), new long[] {1, positions.length, c.hidden()}));
      inputs.put(GraphContract.INPUTS_EMBEDS, owned.get(0));
      long[] ones = new long[total];
      Arrays.fill(ones, 1);
      owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(ones), new long[] {1, total}));
      inputs.put(GraphContract.ATTENTION_MASK, owned.get(1));
      owned.add(OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, positions.length}));
      inputs.put(GraphContract.POSITION_IDS, owned.get(2));
      for (int i = 0; i < c.layers(); i++) {
        for (boolean key : new boolean[] {true, false}) {
          String name = key ? c.pastKeys().get(i) : c.pastValues().get(i);
          if (past == null) {
            OnnxTensor empty = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()),
                new long[] {1, c.kvHeads(), 0, c.headDim()}, c.kvType());
            owned.add(empty);
            inputs.put(name, empty);
          } else {
            String present = key ? c.presentKeys().get(i) : c.presentValues().get(i);
            inputs.put(name, (OnnxTensor) past.get(present).orElseThrow());
          }
        }
      }
      return s.decoder().run(inputs);
    } finally {
      owned.forEach(OnnxTensor::close);
    }
  }

  private static float[] embed(SessionSet s, long[] ids) throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(s.env(), LongBuffer.wrap(ids), new long[] {1, ids.length});
        OrtSession.Result r = s.embed().run(Map.of(GraphContract.INPUT_IDS, t))) {
      return floats((OnnxTensor) r.get(0));
    }
  }

  /** A float32 or float16 tensor's values as floats. */
  static float[] floats(OnnxValue v) {
    OnnxTensor t = (OnnxTensor) v;
    if (t.getInfo().type == OnnxJavaType.FLOAT16) {
      ShortBuffer sb = t.getShortBuffer();
      float[] out = new float[sb.remaining()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.float16ToFloat(sb.get(i));
      }
      return out;
    }
    FloatBuffer fb = t.getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }

  private static long[] range(int from, int to) {
    long[] r = new long[to - from];
    Arrays.setAll(r, i -> from + i);
    return r;
  }
}
