package io.captionstream.generate;

import io.captionstream.CaptionException;

/**
 * Captions one image at a time. An instance is owned by a single thread (one pipeline worker): it holds that
 * worker's run state (the ONNX Runtime sessions behind it may be shared by all workers) and is not thread-safe. The
 * pipeline depends on this seam only, so its tests can use a double.
 */
public interface ImageCaptioner extends AutoCloseable {

  /**
   * Captions encoded image bytes (JPEG, PNG, GIF, BMP, WebP).
   *
   * @throws CaptionException with a reason for every failure that belongs to this image
   */
  CaptionResult caption(byte[] encodedImage, CaptionOptions options);

  /** The model id reported in events, e.g. {@code HuggingFaceTB/SmolVLM-256M-Instruct}. */
  String modelId();

  /** The ONNX variant in use, e.g. {@code fp32}. */
  String variant();

  /**
   * What else decides this captioner's output for a given image and options: a fingerprint of the model's files
   * (see {@link io.captionstream.model.ModelDigest}); {@code ""} when the engine cannot tell. The caption cache keys
   * on it with {@link #modelId()} and {@link #variant()}.
   */
  default String modelFingerprint() {
    return "";
  }

  @Override
  void close();
}
