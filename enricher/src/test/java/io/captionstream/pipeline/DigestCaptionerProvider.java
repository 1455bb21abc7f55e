package io.captionstream.pipeline;

import io.captionstream.generate.ImageCaptioner;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Registers {@link DigestCaptioner} as engine {@code digest} for ITs that run {@code enricher run} in a child JVM. */
public final class DigestCaptionerProvider implements CaptionerProvider {

  @Override
  public String name() {
    return "digest";
  }

  @Override
  public Supplier<ImageCaptioner> captioners(Path modelDir, String variant, int intraOpThreads) {
    long workMs = Long.getLong("digest.workMs", 0);
    return () -> new DigestCaptioner(workMs);
  }
}
