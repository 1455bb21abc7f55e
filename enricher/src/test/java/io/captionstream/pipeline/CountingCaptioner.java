package io.captionstream.pipeline;

import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.ImageCaptioner;
import java.util.concurrent.atomic.AtomicInteger;

/** The digest test engine, counting its calls into a counter shared by all workers (the engine-call evidence). */
final class CountingCaptioner implements ImageCaptioner {

  private final ImageCaptioner engine = new DigestCaptioner(0);
  private final AtomicInteger calls;
  private final String modelId;

  CountingCaptioner(AtomicInteger calls, String modelId) {
    this.calls = calls;
    this.modelId = modelId;
  }

  @Override
  public CaptionResult caption(byte[] encodedImage, CaptionOptions options) {
    calls.incrementAndGet();
    return engine.caption(encodedImage, options);
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public String variant() {
    return engine.variant();
  }

  @Override
  public String modelFingerprint() {
    return "fingerprint-of-" + modelId;
  }

  @Override
  public void close() {
    engine.close();
  }
}
