package io.captionstream.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.synth.SynthSpec;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vision encoder's inputs (pixel values, mask) go through one reused direct buffer per worker: ONNX Runtime's
 * Java API would copy a heap buffer into a new direct buffer per run, which only a GC frees (the soak's transient RSS
 * peak of several hundred MiB).
 */
class VisionEncoderDirectMemoryTest {

  @Test
  void repeatedEncodingsAllocateNoNewDirectMemory(@TempDir Path dir) throws Exception {
    TinyModel tiny = TinyModel.write(SynthSpec.tiny(), dir.resolve("m"));
    ModelInputs direct = tiny.inputs(2, 7, 300);
    float[] pixels = new float[direct.pixelValues().remaining()];
    direct.pixelValues().duplicate().get(pixels);
    ModelInputs heap = new ModelInputs(FloatBuffer.wrap(pixels), direct.pixelShape(), direct.inputIds());
    int imageTokens = (int) Arrays.stream(heap.inputIds()).filter(id -> id == tiny.spec.imageTokenId()).count();
    BufferPoolMXBean pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (SessionSet sessions = tiny.open()) {
      VisionEncoder vision = new VisionEncoder(sessions, 1);
      encode(vision, heap, imageTokens, timer); // the first run sizes the reused buffer
      long before = pool.getTotalCapacity();
      for (int i = 0; i < 20; i++) {
        encode(vision, heap, imageTokens, timer);
      }
      long grown = pool.getTotalCapacity() - before;

      assertThat(grown).as("direct memory allocated by 20 more runs (pixel values alone: %d bytes a run)",
          4L * pixels.length).isLessThan(4L * pixels.length);
    } finally {
      timer.shutdownNow();
    }
  }

  private static void encode(VisionEncoder vision, ModelInputs in, int imageTokens, ScheduledExecutorService timer) {
    try (RunControl control = RunControl.start(null, timer)) {
      vision.encode(in, imageTokens, control);
    }
  }
}
