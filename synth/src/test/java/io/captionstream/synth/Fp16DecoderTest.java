package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fp16-cache decoder variant: float16 past/present/logits, float32 embeddings, same weights as fp32. */
class Fp16DecoderTest {

  static final SynthSpec SPEC = SynthSpec.tiny();
  static final long[] IDS = {1, 17, 300, 42, 9};

  @Test
  void declaresHalfPrecisionCacheAndLogitsButFloatEmbeddings(@TempDir Path dir) throws IOException, OrtException {
    try (OrtSession decoder = OrtRunner.open(SynthModelWriter.writeFp16Decoder(SPEC, dir))) {
      assertThat(((TensorInfo) decoder.getInputInfo().get("inputs_embeds").getInfo()).type)
          .isEqualTo(OnnxJavaType.FLOAT);
      TensorInfo past = (TensorInfo) decoder.getInputInfo().get("past_key_values.0.key").getInfo();
      assertThat(past.type).isEqualTo(OnnxJavaType.FLOAT16);
      assertThat(past.getShape()).containsExactly(-1, SPEC.kvHeads(), -1, SPEC.headDim());
      assertThat(((TensorInfo) decoder.getOutputInfo().get("present.1.value").getInfo()).type)
          .isEqualTo(OnnxJavaType.FLOAT16);
      assertThat(((TensorInfo) decoder.getOutputInfo().get("logits").getInfo()).type)
          .isEqualTo(OnnxJavaType.FLOAT16);
    }
  }

  @Test
  void cachedStepsFollowTheFloat32DecoderClosely(@TempDir Path dir) throws IOException, OrtException {
    SynthModelWriter.writeGraphs(SPEC, dir);
    try (OrtSession embed = OrtRunner.open(SynthModelWriter.embedTokens(dir));
         OrtSession fp32 = OrtRunner.open(SynthModelWriter.decoder(dir));
         OrtSession fp16 = OrtRunner.open(SynthModelWriter.writeFp16Decoder(SPEC, dir))) {
      float[] embeds = OrtRunner.embed(embed, IDS);
      int n = IDS.length;
      int h = SPEC.textHidden();
      long[] ones = new long[n];
      Arrays.fill(ones, 1);
      long[] positions = {0, 1, 2, 3, 4};
      float[] reference = OrtRunner.decode(fp32, SPEC, embeds, ones, positions, null).lastLogits(SPEC.vocab());

      // fp16: prefill n−1 with an empty float16 cache, then one step fed with the returned float16 presents.
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("inputs_embeds", OrtRunner.floats(Arrays.copyOf(embeds, (n - 1) * h), 1, n - 1, h));
      inputs.put("attention_mask", OrtRunner.longs(Arrays.copyOf(ones, n - 1), 1, n - 1));
      inputs.put("position_ids", OrtRunner.longs(Arrays.copyOf(positions, n - 1), 1, n - 1));
      for (int i = 0; i < SPEC.textLayers(); i++) {
        for (String kind : new String[] {"key", "value"}) {
          inputs.put(DecoderGraph.pastName(i, kind), OnnxTensor.createTensor(OrtRunner.ENV,
              ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()),
              new long[] {1, SPEC.kvHeads(), 0, SPEC.headDim()}, OnnxJavaType.FLOAT16));
        }
      }
      float[] stepLogits;
      try (OrtSession.Result prefill = fp16.run(inputs)) {
        inputs.values().forEach(OnnxTensor::close);
        inputs.clear();
        inputs.put("inputs_embeds", OrtRunner.floats(Arrays.copyOfRange(embeds, (n - 1) * h, n * h), 1, 1, h));
        inputs.put("attention_mask", OrtRunner.longs(ones, 1, n));
        inputs.put("position_ids", OrtRunner.longs(new long[] {n - 1}, 1, 1));
        Map<String, OnnxTensor> feed = new HashMap<>(inputs);
        for (Map.Entry<String, OnnxValue> e : prefill) {
          if (e.getKey().startsWith("present.")) {
            feed.put(e.getKey().replace("present.", "past_key_values."), (OnnxTensor) e.getValue());
          }
        }
        try (OrtSession.Result step = fp16.run(feed)) {
          OnnxTensor logits = (OnnxTensor) step.get("logits").orElseThrow();
          assertThat(logits.getInfo().type).isEqualTo(OnnxJavaType.FLOAT16);
          FloatBuffer fb = logits.getFloatBuffer();
          stepLogits = new float[fb.remaining()];
          fb.get(stepLogits);
        }
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
      assertThat(stepLogits).hasSize(SPEC.vocab());
      assertThat(OrtRunner.maxAbsDiff(stepLogits, reference)).isLessThan(0.05f).isGreaterThan(0f);
      assertThat(DecoderGraphTest.argmax(stepLogits)).isEqualTo(DecoderGraphTest.argmax(reference));
    }
  }
}
