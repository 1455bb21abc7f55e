package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.captionstream.CaptionException;
import io.captionstream.image.SamplePictures;
import io.captionstream.synth.SynthSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadlineTest {

  @TempDir static Path tmp;
  static TinyModel tiny;
  static CaptionModel model;
  static Captioner captioner;
  static final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

  @BeforeAll
  static void load() {
    tiny = TinyModel.write(SynthSpec.tiny().withEosBias(-1e4f), tmp.resolve("m"));
    model = CaptionModel.load(tiny.dir, "fp32");
    captioner = model.newCaptioner(EngineSettings.threads(1));
  }

  @AfterAll
  static void close() {
    captioner.close();
    model.close();
    timer.shutdownNow();
  }

  private static CaptionException.Reason reasonOf(Throwable e) {
    return ((CaptionException) e).reason();
  }

  @Test
  void aDeadlineThatPassesDuringTheCaptionIsDeadlineExceeded() {
    CaptionOptions options = CaptionOptions.defaults().withMaxNewTokens(10_000)
        .withDeadline(Instant.now().plusMillis(30));
    assertThatThrownBy(() -> captioner.caption(SamplePictures.png(300, 200, 0), options))
        .isInstanceOf(CaptionException.class)
        .extracting(DeadlineTest::reasonOf).isEqualTo(CaptionException.Reason.DEADLINE_EXCEEDED);
  }

  @Test
  void aDeadlineAlreadyPassedFailsBeforeAnyWork() {
    CaptionOptions options = CaptionOptions.defaults().withDeadline(Instant.now().minusSeconds(1));
    assertThatThrownBy(() -> captioner.caption(new byte[] {1, 2, 3}, options))
        .extracting(DeadlineTest::reasonOf).isEqualTo(CaptionException.Reason.DEADLINE_EXCEEDED);
  }

  @Test
  void theTimerTerminatesARunningOrtCallAndItsFailureBecomesDeadlineExceeded() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (SessionSet sessions = tiny.open();
        RunControl control = RunControl.start(Instant.now().plusMillis(20), timer);
        OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {{1, 2, 3}})) {
      Thread.sleep(200);
      // the run itself must refuse: ORT saw the terminate flag the timer set on the run options
      OrtException refused = null;
      try {
        sessions.embed().run(Map.of("input_ids", ids), control.options()).close();
      } catch (OrtException e) {
        refused = e;
      }
      assertThat(refused).as("ORT run after the deadline").isNotNull();
      assertThat(control.failure("embedder", refused).reason()).isEqualTo(CaptionException.Reason.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void anOrtFailureBeforeTheDeadlineIsInferenceFailed() {
    try (RunControl control = RunControl.start(Instant.now().plusSeconds(60), timer)) {
      assertThat(control.failure("decoder", new OrtException("boom")).reason())
          .isEqualTo(CaptionException.Reason.INFERENCE_FAILED);
    }
  }
}
