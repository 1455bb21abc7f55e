package io.captionstream.generate;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.CaptionException;
import io.captionstream.model.GraphContract;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 1 of a generation: the vision encoder over an image's tiles, {@code tilesPerRun} at a time (tiles are
 * encoded independently, so the features are the same; small runs bound the attention activations). Returns the
 * feature rows {@code [rows, hidden]}. Stateless apart from the shared session; safe to use from one worker.
 */
final class VisionEncoder {

  private final SessionSet sessions;
  private final GraphContract contract;
  private final int tilesPerRun;
  private final DirectScratch pixelScratch = new DirectScratch();
  private final DirectScratch maskScratch = new DirectScratch();

  /** @param tilesPerRun tiles per vision encoder run, 0 = all in one run */
  VisionEncoder(SessionSet sessions, int tilesPerRun) {
    this.sessions = sessions;
    this.contract = sessions.contract();
    this.tilesPerRun = tilesPerRun;
  }

  /** The feature rows of every tile, checked against the prompt's {@code imageTokens}. */
  FloatBuffer encode(ModelInputs in, int imageTokens, RunControl control) {
    control.check("vision encoder");
    long[] shape = in.pixelShape();
    int tiles = (int) shape[1];
    int perRun = tilesPerRun <= 0 ? tiles : Math.min(tilesPerRun, tiles);
    long tileValues = shape[2] * shape[3] * shape[4];
    List<float[]> parts = new ArrayList<>();
    long rows = 0;
    for (int first = 0; first < tiles; first += perRun) {
      int count = Math.min(perRun, tiles - first);
      if (first > 0) {
        control.check("vision encoder");
      }
      FloatBuffer slice = in.pixelValues().duplicate();
      slice.position(Math.toIntExact(first * tileValues)).limit(Math.toIntExact((first + count) * tileValues));
      float[] part = runOnce(slice.slice(), new long[] {1, count, shape[2], shape[3], shape[4]}, control);
      parts.add(part);
      rows += part.length / contract.hidden();
    }
    if (rows != imageTokens) {
      throw new CaptionException(CaptionException.Reason.INFERENCE_FAILED, "the vision encoder returned " + rows
          + " feature rows for " + tiles + " tiles but the prompt holds " + imageTokens + " <image> tokens");
    }
    if (parts.size() == 1) {
      return FloatBuffer.wrap(parts.get(0));
    }
    FloatBuffer all = FloatBuffer.allocate(Math.toIntExact(rows * contract.hidden()));
    parts.forEach(all::put);
    return all.flip();
  }

  private float[] runOnce(FloatBuffer pixelValues, long[] shape, RunControl control) {
    OrtEnvironment env = sessions.env();
    Map<String, OnnxTensorLike> inputs = new HashMap<>();
    OnnxTensor mask = null;
    FloatBuffer direct = pixelScratch.bytes(4L * pixelValues.remaining()).asFloatBuffer();
    direct.put(pixelValues.duplicate()).flip();
    try (OnnxTensor pixels = OnnxTensor.createTensor(env, direct, shape)) {
      inputs.put(GraphContract.PIXEL_VALUES, pixels);
      if (contract.pixelMaskType() != null) {
        mask = pixelMask(env, shape);
        inputs.put(GraphContract.PIXEL_ATTENTION_MASK, mask);
      }
      try (OrtSession.Result r = sessions.vision().run(inputs, control.options())) {
        OnnxTensor features = (OnnxTensor) r.get(contract.visionOutput())
            .orElseThrow(() -> new IllegalStateException("vision encoder returned no " + contract.visionOutput()));
        long[] fs = features.getInfo().getShape();
        if (fs[fs.length - 1] != contract.hidden()) {
          throw new CaptionException(CaptionException.Reason.INFERENCE_FAILED, "image features " + Arrays.toString(fs)
              + " are not " + contract.hidden() + " wide");
        }
        FloatBuffer b = features.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
      }
    } catch (OrtException e) {
      throw control.failure("vision encoder", e);
    } finally {
      if (mask != null) {
        mask.close();
      }
    }
  }

  private OnnxTensor pixelMask(OrtEnvironment env, long[] pixelShape) throws OrtException {
    long[] shape = {pixelShape[0], pixelShape[1], pixelShape[3], pixelShape[4]};
    int n = Math.toIntExact(shape[0] * shape[1] * shape[2] * shape[3]);
    OnnxJavaType type = contract.pixelMaskType();
    ByteBuffer ones = maskScratch.bytes((long) n * type.size);
    switch (type) {
      case BOOL, INT8, UINT8 -> {
        for (int i = 0; i < n; i++) {
          ones.put(i, (byte) 1);
        }
      }
      case INT64 -> {
        for (int i = 0; i < n; i++) {
          ones.putLong(i * 8, 1L);
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          ones.putInt(i * 4, 1);
        }
      }
      case FLOAT -> {
        for (int i = 0; i < n; i++) {
          ones.putFloat(i * 4, 1f);
        }
      }
      default -> throw new CaptionException(CaptionException.Reason.INFERENCE_FAILED,
          "unsupported pixel_attention_mask type " + type);
    }
    return OnnxTensor.createTensor(env, ones, shape, type);
  }
}
