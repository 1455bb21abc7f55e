package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.image.SamplePictures;
import io.captionstream.synth.SynthSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W workers over one shared session set, captioning at the same time, give the ids of one worker alone. */
class ConcurrentWorkersTest {

  @TempDir static Path tmp;
  static CaptionModel model;
  static List<byte[]> pictures;
  static List<long[]> alone;

  @BeforeAll
  static void captionEachPictureWithOneWorker() {
    TinyModel.write(SynthSpec.tiny().withEosBias(-1e4f), tmp.resolve("m"));
    model = CaptionModel.load(tmp.resolve("m"), "fp32");
    pictures = List.of(SamplePictures.png(300, 200, 0), SamplePictures.png(120, 330, 1),
        SamplePictures.png(64, 64, 2), SamplePictures.png(500, 120, 3));
    alone = new ArrayList<>();
    try (Captioner one = model.newCaptioner(EngineSettings.threads(1))) {
      for (byte[] p : pictures) {
        alone.add(one.caption(p, options()).tokenIds());
      }
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static CaptionOptions options() {
    return CaptionOptions.defaults().withMaxNewTokens(24);
  }

  @ParameterizedTest(name = "{0} workers")
  @ValueSource(ints = {1, 2, 4})
  void concurrentWorkersOverOneSessionSetGiveTheIdsOfOneWorker(int workers) throws Exception {
    List<Captioner> captioners = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      for (int w = 0; w < workers; w++) {
        captioners.add(model.newCaptioner(EngineSettings.threads(1)));
      }
      assertThat(model.sessions().openSets()).as("one session set for all workers").isEqualTo(1);
      CyclicBarrier together = new CyclicBarrier(workers);
      List<Future<List<long[]>>> results = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        Captioner c = captioners.get(w);
        int offset = w;
        results.add(pool.submit(() -> {
          List<long[]> ids = new ArrayList<>();
          for (int round = 0; round < 2; round++) {
            for (int i = 0; i < pictures.size(); i++) {
              together.await();
              ids.add(c.caption(pictures.get((i + offset) % pictures.size()), options()).tokenIds());
            }
          }
          return ids;
        }));
      }
      for (int w = 0; w < workers; w++) {
        List<long[]> ids = results.get(w).get();
        for (int k = 0; k < ids.size(); k++) {
          assertThat(ids.get(k)).as("worker %d, caption %d", w, k)
              .containsExactly(alone.get((k % pictures.size() + w) % pictures.size()));
        }
      }
    } finally {
      pool.shutdownNow();
      captioners.forEach(Captioner::close);
    }
    assertThat(model.sessions().openSets()).as("the set closes with its last captioner").isZero();
  }

  @Test
  void differentThreadSettingsGetTheirOwnSessionSet() {
    try (Captioner one = model.newCaptioner(EngineSettings.threads(1));
        Captioner two = model.newCaptioner(EngineSettings.threads(2))) {
      assertThat(model.sessions().openSets()).isEqualTo(2);
      assertThat(two.caption(pictures.get(0), options()).tokenIds()).containsExactly(alone.get(0));
    }
  }
}
