package io.captionstream.pipeline;

import io.captionstream.generate.ImageCaptioner;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * How {@code enricher run} finds the engine: implementations are registered in
 * {@code META-INF/services/io.captionstream.pipeline.CaptionerProvider} and chosen by {@link #name()}
 * ({@code --engine}). The pipeline calls the returned supplier once per worker, on the worker's own thread.
 */
public interface CaptionerProvider {

  /** The name given to {@code --engine}. */
  String name();

  /**
   * A factory of captioners over the model in {@code modelDir}; each call gives one worker its own captioner (its own
   * run state; the engine may share the weights between them).
   */
  Supplier<ImageCaptioner> captioners(Path modelDir, String variant, int intraOpThreads);

  /** The provider called {@code name} on the class path. */
  static CaptionerProvider named(String name) {
    StringBuilder known = new StringBuilder();
    for (CaptionerProvider p : ServiceLoader.load(CaptionerProvider.class)) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
      known.append(known.isEmpty() ? "" : ", ").append(p.name());
    }
    throw new IllegalArgumentException("no engine '" + name + "' on the class path (found: "
        + (known.isEmpty() ? "none" : known) + ")");
  }
}
