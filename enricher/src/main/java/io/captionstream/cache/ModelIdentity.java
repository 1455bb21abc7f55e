package io.captionstream.cache;

import io.captionstream.generate.ImageCaptioner;
import java.util.Objects;

/**
 * Which model computes a caption, as far as the cache key is concerned.
 *
 * @param modelId     the id reported in events
 * @param variant     the ONNX variant of every graph, e.g. {@code fp32} or {@code q4,vision=fp32}
 * @param fingerprint {@link ImageCaptioner#modelFingerprint()}: a digest of the model's files ({@code ""} unknown)
 */
public record ModelIdentity(String modelId, String variant, String fingerprint) {

  public ModelIdentity {
    Objects.requireNonNull(modelId, "modelId");
    variant = variant == null ? "" : variant;
    fingerprint = fingerprint == null ? "" : fingerprint;
  }

  public static ModelIdentity of(ImageCaptioner captioner) {
    return new ModelIdentity(captioner.modelId(), captioner.variant(), captioner.modelFingerprint());
  }
}
