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
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Greedy batch-1 generation over a worker's {@link SessionSet}, following the contract's section 6: embed the prompt,
 * run the vision encoder, scatter the image features into the {@code <image>} rows in order, prefill with the full
 * mask and positions {@code 0..N-1}, then one token per step with mask {@code [1, past+1]} and position {@code past},
 * the cache fed back natively. Only the last position's logits are read (argmax, ties to the lowest id). Stops on a
 * stop id or at {@code maxNewTokens}. Owned by one thread.
 */
final class GreedyDecoder {

  private final SessionSet sessions;
  private final GraphContract contract;
  private final long imageTokenId;
  private final long[] stopIds;
  private final DecodeVariant variant;
  private final int visionTilesPerRun;
  private final LastLogits logits;
  private final Set<String> presentNames;
  private ByteBuffer promptEmbeds = ByteBuffer.allocateDirect(0);
  private final ByteBuffer stepEmbeds;

  GreedyDecoder(SessionSet sessions, long imageTokenId, long[] stopIds) {
    this(sessions, imageTokenId, stopIds, DecodeVariant.EXACT, 0);
  }

  GreedyDecoder(SessionSet sessions, long imageTokenId, long[] stopIds, DecodeVariant variant) {
    this(sessions, imageTokenId, stopIds, variant, 0);
  }

  /** @param visionTilesPerRun tiles per vision encoder run, 0 = all in one run */
  GreedyDecoder(SessionSet sessions, long imageTokenId, long[] stopIds, DecodeVariant variant,
      int visionTilesPerRun) {
    if (stopIds.length == 0) {
      throw new IllegalArgumentException("at least one stop id is needed");
    }
    this.sessions = sessions;
    this.contract = sessions.contract();
    this.imageTokenId = imageTokenId;
    this.stopIds = stopIds.clone();
    this.variant = variant;
    this.visionTilesPerRun = visionTilesPerRun;
    this.logits = new LastLogits(contract.logitsType(), contract.vocab());
    Set<String> present = new LinkedHashSet<>();
    for (int i = 0; i < contract.layers(); i++) {
      present.add(contract.presentKeys().get(i));
      present.add(contract.presentValues().get(i));
    }
    this.presentNames = Set.copyOf(present);
    this.stepEmbeds = ByteBuffer.allocateDirect(4 * contract.hidden()).order(ByteOrder.nativeOrder());
  }

  Generation generate(ModelInputs in, int maxNewTokens, RunControl control) {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1");
    }
    long t0 = System.nanoTime();
    OrtEnvironment env = sessions.env();
    int n = in.promptLength();
    int imageTokens = 0;
    for (int i = 0; i < n; i++) {
      if (in.id(i) == imageTokenId) {
        imageTokens++;
      }
    }
    control.check("vision encoder");
    FloatBuffer features = runVision(env, in, control, imageTokens);
    long t1 = System.nanoTime();

    // grown on demand: maxNewTokens is a per-request cap (up to Integer.MAX_VALUE), not a size to allocate up front
    long[] out = new long[Math.min(maxNewTokens, 64)];
    int count = 0;
    boolean eos;
    long tFirst;
    try (KvCache cache = new KvCache(env, contract)) {
      control.check("prefill");
      FloatBuffer embeds = embedPrompt(env, in, control);
      if (variant != DecodeVariant.NO_IMAGE_MERGE) {
        scatter(in, features, embeds);
      }
      long token;
      try (OnnxTensor embedTensor = OnnxTensor.createTensor(env, embeds, new long[] {1, n, contract.hidden()})) {
        token = step(env, embedTensor, n, 0, cache, control, "prefill");
      }
      tFirst = System.nanoTime();
      out[count++] = token;
      eos = isStop(token);
      int position = n;
      while (!eos && count < maxNewTokens) {
        control.check("decode step " + count);
        FloatBuffer one = embedToken(env, token, control);
        int pos = variant == DecodeVariant.POSITION_OFF_BY_ONE ? position + 1 : position;
        try (OnnxTensor embedTensor = OnnxTensor.createTensor(env, one, new long[] {1, 1, contract.hidden()})) {
          token = step(env, embedTensor, 1, pos, cache, control, "decode step " + count);
        }
        position++;
        if (count == out.length) {
          out = Arrays.copyOf(out, (int) Math.min((long) maxNewTokens, 2L * out.length));
        }
        out[count++] = token;
        eos = isStop(token);
      }
    } catch (OrtException e) {
      throw control.failure("decoder", e);
    }
    long tEnd = System.nanoTime();
    return new Generation(Arrays.copyOf(out, count), eos, n, imageTokens, ms(t1 - t0), ms(tFirst - t1),
        ms(tFirst - t0), ms(tEnd - tFirst));
  }

  /**
   * Runs the vision encoder over the tiles, {@code visionTilesPerRun} at a time (tiles are encoded independently, so
   * the features are the same; smaller runs bound the attention activations), and returns {@code [rows, hidden]}.
   */
  private FloatBuffer runVision(OrtEnvironment env, ModelInputs in, RunControl control, int imageTokens) {
    long[] shape = in.pixelShape();
    int tiles = (int) shape[1];
    int perRun = visionTilesPerRun <= 0 ? tiles : Math.min(visionTilesPerRun, tiles);
    long tileValues = shape[2] * shape[3] * shape[4];
    java.util.List<float[]> parts = new java.util.ArrayList<>();
    long rows = 0;
    for (int first = 0; first < tiles; first += perRun) {
      int count = Math.min(perRun, tiles - first);
      if (first > 0) {
        control.check("vision encoder");
      }
      FloatBuffer slice = in.pixelValues().duplicate();
      slice.position(Math.toIntExact(first * tileValues)).limit(Math.toIntExact((first + count) * tileValues));
      float[] part = runVisionOnce(env, slice.slice(), new long[] {1, count, shape[2], shape[3], shape[4]}, control);
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

  private float[] runVisionOnce(OrtEnvironment env, FloatBuffer pixelValues, long[] shape, RunControl control) {
    Map<String, OnnxTensorLike> inputs = new HashMap<>();
    OnnxTensor mask = null;
    try (OnnxTensor pixels = OnnxTensor.createTensor(env, pixelValues, shape)) {
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
    ByteBuffer ones = ByteBuffer.allocateDirect(n * type.size).order(ByteOrder.nativeOrder());
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

  /** Runs the embedder over the prompt into a reusable direct buffer and returns a view of it. */
  private FloatBuffer embedPrompt(OrtEnvironment env, ModelInputs in, RunControl control) throws OrtException {
    int n = in.promptLength();
    long bytes = 4L * n * contract.hidden();
    if (promptEmbeds.capacity() < bytes) {
      promptEmbeds = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
    }
    FloatBuffer view = slice(promptEmbeds, bytes);
    runEmbed(env, LongBuffer.wrap(in.inputIds()), n, view, control);
    return view;
  }

  private FloatBuffer embedToken(OrtEnvironment env, long token, RunControl control) throws OrtException {
    FloatBuffer view = slice(stepEmbeds, 4L * contract.hidden());
    runEmbed(env, LongBuffer.wrap(new long[] {token}), 1, view, control);
    return view;
  }

  private void runEmbed(OrtEnvironment env, LongBuffer ids, int n, FloatBuffer target, RunControl control)
      throws OrtException {
    try (OnnxTensor idTensor = OnnxTensor.createTensor(env, ids, new long[] {1, n});
        OnnxTensor outTensor = OnnxTensor.createTensor(env, target.duplicate(), new long[] {1, n, contract.hidden()});
        OrtSession.Result ignored = sessions.embed().run(Map.of(GraphContract.INPUT_IDS, idTensor), Set.of(),
            Map.of(GraphContract.INPUTS_EMBEDS, outTensor), control.options())) {
      // the embeddings are now in target's native memory
    }
  }

  private static FloatBuffer slice(ByteBuffer buffer, long bytes) {
    ByteBuffer view = buffer.duplicate();
    view.clear().limit(Math.toIntExact(bytes));
    return view.slice().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Overwrites the embedding row of the k-th {@code <image>} id with the k-th feature row. */
  private void scatter(ModelInputs in, FloatBuffer features, FloatBuffer embeds) {
    int hidden = contract.hidden();
    float[] row = new float[hidden];
    int k = 0;
    for (int p = 0; p < in.promptLength(); p++) {
      if (in.id(p) == imageTokenId) {
        features.get(k * hidden, row);
        embeds.put(p * hidden, row);
        k++;
      }
    }
  }

  /** One decoder run over {@code seq} new positions starting at {@code position}; returns the next token. */
  private long step(OrtEnvironment env, OnnxTensor embeds, int seq, int position, KvCache cache, RunControl control,
      String stage) throws OrtException {
    int past = cache.length();
    Map<String, OnnxTensorLike> inputs = new HashMap<>();
    inputs.put(GraphContract.INPUTS_EMBEDS, embeds);
    long[] mask = new long[past + seq];
    Arrays.fill(mask, 1L);
    long[] positions = new long[seq];
    for (int i = 0; i < seq; i++) {
      positions[i] = position + i;
    }
    try (OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, past + seq});
        OnnxTensor posTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, seq});
        OnnxTensor branch = OnnxTensor.createTensor(env, new boolean[] {past > 0});
        OnnxTensor logitsOut = logits.outputFor(env, seq)) {
      if (contract.hasAttentionMask()) {
        inputs.put(GraphContract.ATTENTION_MASK, maskTensor);
      }
      if (contract.hasPositionIds()) {
        inputs.put(GraphContract.POSITION_IDS, posTensor);
      }
      if (contract.useCacheBranch()) {
        inputs.put(GraphContract.USE_CACHE_BRANCH, branch);
      }
      cache.addPastInputs(inputs);
      OrtSession.Result result;
      try {
        result = sessions.decoder().run(inputs, presentNames, Map.of(GraphContract.LOGITS, logitsOut),
            control.options());
      } catch (OrtException e) {
        throw control.failure(stage, e);
      }
      try {
        cache.advance(result, seq);
      } catch (RuntimeException e) {
        throw new CaptionException(CaptionException.Reason.INFERENCE_FAILED, stage + ": " + e.getMessage(), e);
      }
      long token = logits.argmaxLast(seq);
      if (variant == DecodeVariant.DROPPED_CACHE) {
        cache.clear();
      }
      return token;
    }
  }

  private boolean isStop(long token) {
    for (long s : stopIds) {
      if (s == token) {
        return true;
      }
    }
    return false;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
