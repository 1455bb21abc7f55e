package io.captionstream.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.CaptionException;
import io.captionstream.model.GraphContract;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The contract's decoder step: mask {@code [1, past+seq]} of ones, positions {@code position..position+seq-1}, the
 * {@code use_cache_branch} flag, the cache's past fed natively; the {@code present.*} outputs become the next past and
 * only the last position's logits are read (into this worker's own pinned buffer; with a {@link LmHeadSlice} decoder
 * only that row is computed). Owned by one worker.
 */
final class DecoderRun implements DecoderStep {

  private final SessionSet sessions;
  private final GraphContract contract;
  private final LastLogits logits;
  private final Set<String> presentNames;
  private final boolean lastPositionOnly;

  DecoderRun(SessionSet sessions) {
    this.sessions = sessions;
    this.contract = sessions.contract();
    this.logits = new LastLogits(contract.logitsType(), contract.vocab());
    Set<String> present = new LinkedHashSet<>();
    for (int i = 0; i < contract.layers(); i++) {
      present.add(contract.presentKeys().get(i));
      present.add(contract.presentValues().get(i));
    }
    this.presentNames = Set.copyOf(present);
    this.lastPositionOnly = sessions.lastPositionLogits();
  }

  @Override
  public long run(OnnxTensor embeds, int seq, int position, KvCache cache, RunControl control, String stage)
      throws OrtException {
    OrtEnvironment env = sessions.env();
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
        OnnxTensor logitsOut = logits.outputFor(env, lastPositionOnly ? 1 : seq)) {
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
      return logits.argmaxLast(lastPositionOnly ? 1 : seq);
    }
  }
}
