package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.captionstream.synth.OrtRunner.DecoderOut;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic decoder behaves like a real cached Llama decoder: cache, positions and mask all matter. */
class DecoderGraphTest {

  @TempDir static Path dir;
  static final SynthSpec SPEC = SynthSpec.tiny();
  static final long[] IDS = {1, 17, 300, 42, 9, 255, 77, 130};
  static OrtSession embed;
  static OrtSession decoder;
  static float[] embeds;

  @BeforeAll
  static void writeGraphs() throws IOException, OrtException {
    SynthModelWriter.writeGraphs(SPEC, dir);
    embed = OrtRunner.open(SynthModelWriter.embedTokens(dir));
    decoder = OrtRunner.open(SynthModelWriter.decoder(dir));
    embeds = OrtRunner.embed(embed, IDS);
  }

  @AfterAll
  static void close() throws OrtException {
    embed.close();
    decoder.close();
  }

  static long[] range(int from, int to) {
    long[] r = new long[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  static long[] ones(int n) {
    long[] r = new long[n];
    Arrays.fill(r, 1);
    return r;
  }

  static float[] rows(float[] embeds, int from, int to) {
    return Arrays.copyOfRange(embeds, from * SPEC.textHidden(), to * SPEC.textHidden());
  }

  static DecoderOut full(long[] mask, long[] positions) throws OrtException {
    return OrtRunner.decode(decoder, SPEC, rows(embeds, 0, positions.length), mask, positions, null);
  }

  @Test
  void prefillPlusOneCachedStepEqualsFullSequenceRun() throws OrtException {
    int n = IDS.length;
    DecoderOut whole = full(ones(n), range(0, n));
    DecoderOut prefill = OrtRunner.decode(decoder, SPEC, rows(embeds, 0, n - 1), ones(n - 1), range(0, n - 1), null);
    DecoderOut step = OrtRunner.decode(decoder, SPEC, rows(embeds, n - 1, n), ones(n), new long[] {n - 1}, prefill);

    assertThat(step.logits()).hasSize(SPEC.vocab());
    assertThat(OrtRunner.maxAbsDiff(step.lastLogits(SPEC.vocab()), whole.lastLogits(SPEC.vocab()))).isLessThan(1e-4f);
    assertThat(step.presentShapes().get("present.0.key")).containsExactly(1, SPEC.kvHeads(), n, SPEC.headDim());
    assertThat(OrtRunner.maxAbsDiff(step.present().get("present.1.value"),
        whole.present().get("present.1.value"))).isLessThan(1e-4f);
  }

  @Test
  void aStaleOrMissingCacheChangesTheCachedStep() throws OrtException {
    int n = IDS.length;
    DecoderOut whole = full(ones(n), range(0, n));
    DecoderOut shortPrefill =
        OrtRunner.decode(decoder, SPEC, rows(embeds, 1, n - 1), ones(n - 2), range(0, n - 2), null);
    DecoderOut step = OrtRunner.decode(decoder, SPEC, rows(embeds, n - 1, n), ones(n - 1), new long[] {n - 1},
        shortPrefill);
    assertThat(OrtRunner.maxAbsDiff(step.lastLogits(SPEC.vocab()), whole.lastLogits(SPEC.vocab())))
        .isGreaterThan(1e-3f);
  }

  @Test
  void changingOnePositionIdChangesTheLogits() throws OrtException {
    int n = IDS.length;
    float[] base = full(ones(n), range(0, n)).lastLogits(SPEC.vocab());
    long[] shifted = range(0, n);
    shifted[n - 1] = n;
    float[] moved = full(ones(n), shifted).lastLogits(SPEC.vocab());
    assertThat(OrtRunner.maxAbsDiff(base, moved)).isGreaterThan(1e-3f);
  }

  @Test
  void shiftingAllPositionsTogetherKeepsLogitsBecauseRopeIsRelative() throws OrtException {
    int n = IDS.length;
    float[] base = full(ones(n), range(0, n)).lastLogits(SPEC.vocab());
    float[] shifted = full(ones(n), range(5, n + 5)).lastLogits(SPEC.vocab());
    assertThat(OrtRunner.maxAbsDiff(base, shifted)).isLessThan(1e-3f);
  }

  @Test
  void maskingAPaddingPositionChangesTheLogits() throws OrtException {
    int n = IDS.length;
    float[] base = full(ones(n), range(0, n)).lastLogits(SPEC.vocab());
    long[] mask = ones(n);
    mask[0] = 0;
    float[] masked = full(mask, range(0, n)).lastLogits(SPEC.vocab());
    assertThat(OrtRunner.maxAbsDiff(base, masked)).isGreaterThan(1e-3f);
  }

  @Test
  void causalMaskHidesLaterTokensFromEarlierPositions() throws OrtException {
    int n = IDS.length;
    DecoderOut whole = full(ones(n), range(0, n));
    DecoderOut prefix = OrtRunner.decode(decoder, SPEC, rows(embeds, 0, 3), ones(3), range(0, 3), null);
    float[] wholeRow2 = Arrays.copyOfRange(whole.logits(), 2 * SPEC.vocab(), 3 * SPEC.vocab());
    assertThat(OrtRunner.maxAbsDiff(prefix.lastLogits(SPEC.vocab()), wholeRow2)).isLessThan(1e-4f);
  }

  @Test
  void groupedQueryAttentionCacheHoldsKvHeadsNotQueryHeads() throws OrtException {
    assertThat(SPEC.kvHeads()).isLessThan(SPEC.textHeads());
    DecoderOut out = full(ones(3), range(0, 3));
    for (int i = 0; i < SPEC.textLayers(); i++) {
      assertThat(out.presentShapes().get("present." + i + ".value"))
          .containsExactly(1, SPEC.kvHeads(), 3, SPEC.headDim());
    }
    assertThat(out.logits()).hasSize(3 * SPEC.vocab()).doesNotContain(Float.NaN);
  }

  @Test
  void eosBiasMakesEndOfUtteranceTheArgmax(@TempDir Path biasedDir) throws IOException, OrtException {
    SynthSpec biased = SPEC.withEosBias(1000f);
    SynthModelWriter.writeGraphs(biased, biasedDir);
    try (OrtSession biasedDecoder = OrtRunner.open(SynthModelWriter.decoder(biasedDir))) {
      float[] plain = full(ones(3), range(0, 3)).lastLogits(SPEC.vocab());
      float[] boosted = OrtRunner.decode(biasedDecoder, biased, rows(embeds, 0, 3), ones(3), range(0, 3), null)
          .lastLogits(SPEC.vocab());
      assertThat(argmax(plain)).isNotEqualTo(SPEC.eosTokenId());
      assertThat(argmax(boosted)).isEqualTo(SPEC.eosTokenId());
      assertThat(boosted[SPEC.eosTokenId()] - plain[SPEC.eosTokenId()]).isCloseTo(1000f,
          Offset.offset(1e-2f));
    }
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
