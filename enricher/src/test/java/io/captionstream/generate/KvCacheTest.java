package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.captionstream.model.GraphContract;
import io.captionstream.synth.SynthSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvCacheTest {

  @TempDir Path tmp;

  /** Runs the decoder over {@code seq} zero embeddings with the cache's past; returns the result. */
  private static OrtSession.Result step(SessionSet s, KvCache cache, int seq) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    GraphContract c = s.contract();
    int past = cache.length();
    Map<String, OnnxTensorLike> in = new HashMap<>();
    float[][][] emb = new float[1][seq][c.hidden()];
    long[][] mask = new long[1][past + seq];
    Arrays.fill(mask[0], 1L);
    long[][] pos = new long[1][seq];
    for (int i = 0; i < seq; i++) {
      pos[0][i] = past + i;
    }
    try (OnnxTensor e = OnnxTensor.createTensor(env, emb); OnnxTensor m = OnnxTensor.createTensor(env, mask);
        OnnxTensor p = OnnxTensor.createTensor(env, pos)) {
      in.put("inputs_embeds", e);
      in.put("attention_mask", m);
      in.put("position_ids", p);
      cache.addPastInputs(in);
      return s.decoder().run(in);
    }
  }

  @Test
  void startsWithZeroLengthPastAndFeedsPresentBackByNameClosingTheOldResult() throws Exception {
    TinyModel tiny = TinyModel.write(SynthSpec.tiny(), tmp.resolve("m"));
    try (SessionSet s = tiny.open(); KvCache cache = new KvCache(OrtEnvironment.getEnvironment(), s.contract())) {
      Map<String, OnnxTensorLike> first = new HashMap<>();
      cache.addPastInputs(first);
      assertThat(first).hasSize(2 * tiny.spec.textLayers());
      OnnxTensor empty = (OnnxTensor) first.get("past_key_values.1.value");
      assertThat(empty.getInfo().getShape()).containsExactly(1, tiny.spec.kvHeads(), 0, tiny.spec.headDim());
      assertThat(empty.getInfo().type).isEqualTo(OnnxJavaType.FLOAT);

      OrtSession.Result r1 = step(s, cache, 5);
      cache.advance(r1, 5);
      assertThat(cache.length()).isEqualTo(5);
      Map<String, OnnxTensorLike> second = new HashMap<>();
      cache.addPastInputs(second);
      assertThat(second.get("past_key_values.0.key")).isSameAs(r1.get("present.0.key").orElseThrow());
      assertThat(second.get("past_key_values.1.value")).isSameAs(r1.get("present.1.value").orElseThrow());

      var oldPresent = r1.get("present.0.key").orElseThrow();
      OrtSession.Result r2 = step(s, cache, 1);
      assertThat(oldPresent.isClosed()).as("past stays open until the next step has run").isFalse();
      cache.advance(r2, 1);
      assertThat(cache.length()).isEqualTo(6);
      assertThat(oldPresent.isClosed()).as("previous step's result closed").isTrue();
      var newPresent = (OnnxTensor) r2.get("present.1.key").orElseThrow();
      assertThat(newPresent.getInfo().getShape()).containsExactly(1, tiny.spec.kvHeads(), 6, tiny.spec.headDim());

      cache.clear();
      assertThat(cache.length()).isZero();
      assertThat(newPresent.isClosed()).isTrue();
    }
  }

  @Test
  void float16CacheAndLogitsDecodeLikeTheContractSays() throws Exception {
    SynthSpec spec = SynthSpec.tiny().withEosBias(-1e4f);
    TinyModel tiny = TinyModel.write(spec, tmp.resolve("half"), true);
    Path dir = tmp.resolve("half");
    try (CaptionModel model = CaptionModel.load(dir, "fp32,decoder=fp16");
        Captioner captioner = model.newCaptioner(EngineSettings.threads(1))) {
      assertThat(captioner.contract().kvType()).isEqualTo(OnnxJavaType.FLOAT16);
      assertThat(captioner.contract().logitsType()).isEqualTo(OnnxJavaType.FLOAT16);
      Generation g = captioner.generate(tiny.inputs(2, 9, 300, 301), 12, null);
      assertThat(g.tokenIds()).hasSize(12);
      for (long id : g.tokenIds()) {
        assertThat(id).isBetween(0L, (long) spec.vocab() - 1);
      }
    }
  }
}
