package io.captionstream.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Greedy batch-1 generation (the contract's section 6) as four stages: vision (the encoder over the tiles) → merge
 * (image features into the {@code <image>} rows of the prompt embedding) → prefill (the decoder over the whole prompt
 * from an empty cache, positions {@code 0..N-1}) → loop (one id per step at position {@code past}, the cache fed
 * back natively) until a stop id or {@code maxNewTokens}. Only the last position's logits are read (argmax, ties to
 * the lowest id). Owned by one worker; the sessions behind the stages may be shared.
 */
final class GreedyDecoder {

  private final DecoderParts parts;
  private final long[] stopIds;

  GreedyDecoder(DecoderParts parts, long[] stopIds) {
    if (stopIds.length == 0) {
      throw new IllegalArgumentException("at least one stop id is needed");
    }
    this.parts = parts;
    this.stopIds = stopIds.clone();
  }

  Generation generate(ModelInputs in, int maxNewTokens, RunControl control) {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1");
    }
    long t0 = System.nanoTime();
    int imageTokens = imageTokens(in);
    FloatBuffer features = parts.vision().encode(in, imageTokens, control);
    long t1 = System.nanoTime();
    Tokens out = new Tokens(maxNewTokens);
    try (KvCache cache = new KvCache(parts.sessions().env(), parts.sessions().contract())) {
      out.add(prefill(in, features, cache, control));
      long tFirst = System.nanoTime();
      loop(out, in.promptLength(), cache, control);
      long tEnd = System.nanoTime();
      return new Generation(out.ids(), isStop(out.last()), in.promptLength(), imageTokens, ms(t1 - t0),
          ms(tFirst - t1), ms(tFirst - t0), ms(tEnd - tFirst));
    } catch (OrtException e) {
      throw control.failure("decoder", e);
    }
  }

  /** Embeds the prompt, merges the image features and runs the decoder over every prompt position. */
  private long prefill(ModelInputs in, FloatBuffer features, KvCache cache, RunControl control) throws OrtException {
    control.check("prefill");
    int hidden = parts.embedder().hidden();
    FloatBuffer embeds = parts.embedder().prompt(in.inputIds(), control);
    parts.merge().merge(in, features, embeds, hidden);
    try (OnnxTensor t = OnnxTensor.createTensor(parts.sessions().env(), embeds,
        new long[] {1, in.promptLength(), hidden})) {
      return parts.step().run(t, in.promptLength(), 0, cache, control, "prefill");
    }
  }

  /** One id per step until a stop id or the cap. */
  private void loop(Tokens out, int position, KvCache cache, RunControl control) throws OrtException {
    int hidden = parts.embedder().hidden();
    while (!isStop(out.last()) && !out.full()) {
      String stage = "decode step " + out.count();
      control.check(stage);
      FloatBuffer one = parts.embedder().token(out.last(), control);
      try (OnnxTensor t = OnnxTensor.createTensor(parts.sessions().env(), one, new long[] {1, 1, hidden})) {
        out.add(parts.step().run(t, 1, position, cache, control, stage));
      }
      position++;
    }
  }

  private int imageTokens(ModelInputs in) {
    int n = 0;
    for (int i = 0; i < in.promptLength(); i++) {
      if (in.id(i) == parts.imageTokenId()) {
        n++;
      }
    }
    return n;
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

  /** The generated ids, grown on demand: the cap is a per-request limit (up to 2^31-1), not a size to allocate. */
  private static final class Tokens {
    private final int cap;
    private long[] ids;
    private int count;

    Tokens(int cap) {
      this.cap = cap;
      this.ids = new long[Math.min(cap, 64)];
    }

    void add(long id) {
      if (count == ids.length) {
        ids = Arrays.copyOf(ids, (int) Math.min((long) cap, 2L * ids.length));
      }
      ids[count++] = id;
    }

    long last() {
      return ids[count - 1];
    }

    int count() {
      return count;
    }

    boolean full() {
      return count >= cap;
    }

    long[] ids() {
      return Arrays.copyOf(ids, count);
    }
  }
}
