package io.captionstream.pipeline;

import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.EngineSettings;
import io.captionstream.generate.ImageCaptioner;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Engine {@code onnx} (the default of {@code enricher run}): loads the model folder once per process; every worker's
 * captioner shares the model's one session set (one copy of the weights), with its own KV cache, buffers and run
 * options. The model stays loaded for the life of the process.
 */
public final class OnnxCaptionerProvider implements CaptionerProvider {

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public Supplier<ImageCaptioner> captioners(Path modelDir, String variant, int intraOpThreads) {
    if (modelDir == null) {
      throw new IllegalArgumentException("the onnx engine needs --model <model folder>");
    }
    CaptionModel model = loadWithLargeStack(modelDir, variant);
    EngineSettings settings = EngineSettings.threads(intraOpThreads);
    return () -> model.newCaptioner(settings);
  }

  /**
   * Loading the tokenizer (DJL's native code) overflows the default 1 MiB stack of the launcher's main thread and
   * kills the JVM with SIGSEGV (no hs_err file); a thread with {@link WorkerPool#STACK_BYTES} does it safely.
   */
  private static CaptionModel loadWithLargeStack(Path modelDir, String variant) {
    CaptionModel[] loaded = new CaptionModel[1];
    RuntimeException[] failed = new RuntimeException[1];
    Thread t = new Thread(null, () -> {
      try {
        loaded[0] = CaptionModel.load(modelDir, variant);
      } catch (RuntimeException e) {
        failed[0] = e;
      }
    }, "model-load", WorkerPool.STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + modelDir, e);
    }
    if (failed[0] != null) {
      throw failed[0];
    }
    return loaded[0];
  }
}
