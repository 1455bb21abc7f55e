package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.CaptionException;
import io.captionstream.model.ModelFolder;
import io.captionstream.synth.SynthSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreedyDecoderTest {

  @TempDir static Path tmp;
  static TinyModel tiny;
  static TinyModel eager;
  static SessionSet sessions;
  static SessionSet eagerSessions;

  @BeforeAll
  static void writeModels() {
    tiny = TinyModel.write(SynthSpec.tiny().withEosBias(-1e4f), tmp.resolve("never-stops"));
    eager = TinyModel.write(SynthSpec.tiny().withEosBias(1e4f), tmp.resolve("eager"));
    sessions = tiny.open();
    eagerSessions = eager.open();
  }

  @AfterAll
  static void close() {
    sessions.close();
    eagerSessions.close();
  }

  private static Generation run(TinyModel m, SessionSet s, DecodeVariant v, ModelInputs in, int max) {
    try (RunControl c = RunControl.start(null, null)) {
      return m.decoder(s, v).generate(in, max, c);
    }
  }

  @Test
  void derivesTheTinyContractFromTheSessions() {
    assertThat(sessions.contract().layers()).isEqualTo(tiny.spec.textLayers());
    assertThat(sessions.contract().kvHeads()).isEqualTo(tiny.spec.kvHeads());
    assertThat(sessions.contract().headDim()).isEqualTo(tiny.spec.headDim());
    assertThat(sessions.contract().hidden()).isEqualTo(tiny.spec.textHidden());
    assertThat(sessions.contract().vocab()).isEqualTo(tiny.spec.vocab());
    sessions.contract().checkAgainst(ModelFolder.load(tiny.dir).config().text(), tiny.dir.resolve("config.json"));
  }

  @Test
  void generatesExactlyMaxNewTokensWhenEosIsNotReached() {
    ModelInputs in = tiny.inputs(2, 1, 300, 301, 302);
    Generation one = run(tiny, sessions, DecodeVariant.EXACT, in, 1);
    assertThat(one.tokenIds()).hasSize(1);
    Generation many = run(tiny, sessions, DecodeVariant.EXACT, in, 12);
    assertThat(many.tokenIds()).hasSize(12).doesNotContain((long) tiny.spec.eosTokenId());
    assertThat(many.stoppedOnEos()).isFalse();
    assertThat(many.tokenIds()[0]).isEqualTo(one.tokenIds()[0]);
    assertThat(many.imageTokens()).isEqualTo(2 * tiny.spec.imageSeqLen());
  }

  @Test
  void stopsOnTheEndOfUtteranceIdIncludingIt() {
    Generation g = run(eager, eagerSessions, DecodeVariant.EXACT, eager.inputs(1, 2, 300), 10);
    assertThat(g.tokenIds()).containsExactly(eager.spec.eosTokenId());
    assertThat(g.stoppedOnEos()).isTrue();
  }

  @Test
  void aHugeTokenCapIsACapNotAnAllocation() {
    // maxNewTokens comes from the event; a cap of Integer.MAX_VALUE must not allocate a 16 GiB array up front
    Generation g = run(eager, eagerSessions, DecodeVariant.EXACT, eager.inputs(1, 2, 300), Integer.MAX_VALUE);
    assertThat(g.tokenIds()).containsExactly(eager.spec.eosTokenId());
    Generation long100 = run(tiny, sessions, DecodeVariant.EXACT, tiny.inputs(1, 3, 300), 100);
    assertThat(long100.tokenIds()).hasSize(100); // past the first growth of the token buffer
    assertThat(run(tiny, sessions, DecodeVariant.EXACT, tiny.inputs(1, 3, 300), 64).tokenIds())
        .containsExactly(Arrays.copyOf(long100.tokenIds(), 64));
  }

  @Test
  void cachedStepsEqualFullRecomputationOfTheGrownPrompt() {
    ModelInputs in = tiny.inputs(2, 3, 310, 311);
    long[] cached = run(tiny, sessions, DecodeVariant.EXACT, in, 6).tokenIds();
    long[] prompt = in.inputIds();
    for (int k = 0; k < cached.length; k++) {
      long[] grown = Arrays.copyOf(prompt, prompt.length + k);
      System.arraycopy(cached, 0, grown, prompt.length, k);
      ModelInputs g = new ModelInputs(in.pixelValues(), in.pixelShape(), grown);
      assertThat(run(tiny, sessions, DecodeVariant.EXACT, g, 1).tokenIds()[0])
          .as("token %d recomputed without cache", k).isEqualTo(cached[k]);
    }
  }

  @Test
  void eachDeliberatelyWrongVariantChangesTheIds() {
    ModelInputs in = tiny.inputs(2, 4, 320, 321, 322);
    long[] exact = run(tiny, sessions, DecodeVariant.EXACT, in, 16).tokenIds();
    for (DecodeVariant v : new DecodeVariant[] {DecodeVariant.POSITION_OFF_BY_ONE, DecodeVariant.NO_IMAGE_MERGE,
        DecodeVariant.DROPPED_CACHE}) {
      assertThat(run(tiny, sessions, v, in, 16).tokenIds()).as(v.name()).isNotEqualTo(exact);
    }
  }

  @Test
  void imageTokenCountThatDiffersFromFeatureRowsFails() {
    ModelInputs in = tiny.inputs(2, 5, 300);
    long[] ids = in.inputIds();
    ids[1] = 300; // one <image> id fewer than the encoder's rows
    ModelInputs broken = new ModelInputs(in.pixelValues(), in.pixelShape(), ids);
    assertThatThrownBy(() -> run(tiny, sessions, DecodeVariant.EXACT, broken, 2))
        .isInstanceOf(CaptionException.class)
        .hasMessageContaining("<image>")
        .extracting(e -> ((CaptionException) e).reason()).isEqualTo(CaptionException.Reason.INFERENCE_FAILED);
  }

  @Test
  void aPassedDeadlineIsReportedAsDeadlineExceeded() {
    ModelInputs in = tiny.inputs(1, 6, 300);
    try (RunControl c = RunControl.start(Instant.now().minusMillis(1), null)) {
      assertThatThrownBy(() -> tiny.decoder(sessions, DecodeVariant.EXACT).generate(in, 5, c))
          .isInstanceOf(CaptionException.class)
          .extracting(e -> ((CaptionException) e).reason()).isEqualTo(CaptionException.Reason.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void argmaxTiesGoToTheLowestId() {
    assertThat(LastLogits.argmax(FloatBuffer.wrap(new float[] {1f, 3f, 3f, 2f}), 0, 4)).isEqualTo(1);
    assertThat(LastLogits.argmax(FloatBuffer.wrap(new float[] {9f, 0f, 5f, 5f, 5f}), 1, 4)).isEqualTo(1);
    assertThat(LastLogits.argmax(FloatBuffer.wrap(new float[] {Float.NaN, -1f, -1f}), 0, 3)).isEqualTo(1);
    assertThat(LastLogits.argmax(FloatBuffer.wrap(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}),
        0, 2)).isZero();
  }
}
