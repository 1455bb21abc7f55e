package io.captionstream.service;

import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.EngineSettings;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.prompt.NativeStack;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The service's engine: loads the model folder once per process; every worker's captioner (the pipeline calls the
 * supplier once per worker, on the worker's own thread) shares the model's one session set (one copy of the
 * weights), with its own KV cache, buffers and run options. The model stays loaded for the life of the process.
 */
public final class OnnxCaptioners {

  private OnnxCaptioners() {}

  /**
   * @param variant {@code fp32}, {@code q4} or per graph {@code q4,vision=fp32}
   * @throws RuntimeException when the folder does not hold a loadable model
   */
  public static Supplier<ImageCaptioner> open(Path modelDir, String variant, int intraOpThreads) {
    CaptionModel model = loadWithLargeStack(modelDir, variant);
    EngineSettings settings = EngineSettings.threads(intraOpThreads);
    return () -> model.newCaptioner(settings);
  }

  /** The tokenizer's native code needs a large stack, whatever thread calls (see {@link NativeStack}). */
  private static CaptionModel loadWithLargeStack(Path modelDir, String variant) {
    CaptionModel[] loaded = new CaptionModel[1];
    RuntimeException[] failed = new RuntimeException[1];
    Thread t = NativeStack.thread("model-load", () -> {
      try {
        loaded[0] = CaptionModel.load(modelDir, variant);
      } catch (RuntimeException e) {
        failed[0] = e;
      }
    });
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
