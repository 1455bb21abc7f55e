package io.captionstream.pipeline;

import io.captionstream.CaptionException;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.EngineTimings;
import io.captionstream.generate.ImageCaptioner;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Test double of the engine for tests where the model is irrelevant: really decodes the image (so an unsupported
 * format fails like the engine would), describes its size and mean colour, and spends {@code workMs} per image.
 * Token counts are a pure function of the image and the options, so they can be checked for consistency.
 */
final class DigestCaptioner implements ImageCaptioner {

  static final int IMAGE_TOKENS = 64;
  static final int TEXT_TOKENS = 12;

  private final long workMs;
  private boolean closed;

  DigestCaptioner(long workMs) {
    this.workMs = workMs;
  }

  @Override
  public CaptionResult caption(byte[] encodedImage, CaptionOptions options) {
    if (closed) {
      throw new IllegalStateException("captioner used after close");
    }
    long t0 = System.nanoTime();
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(encodedImage));
    } catch (IOException e) {
      throw new CaptionException(CaptionException.Reason.CORRUPT_IMAGE, "cannot decode: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new CaptionException(CaptionException.Reason.UNSUPPORTED_FORMAT, "not an image format we decode");
    }
    double decodeMs = (System.nanoTime() - t0) / 1e6;
    long r = 0, g = 0, b = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        r += (rgb >> 16) & 0xff;
        g += (rgb >> 8) & 0xff;
        b += rgb & 0xff;
      }
    }
    long n = (long) img.getWidth() * img.getHeight();
    String caption = String.format("a %dx%d image mostly #%02x%02x%02x", img.getWidth(), img.getHeight(), r / n, g / n,
        b / n);
    if (workMs > 0) {
      try {
        Thread.sleep(workMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CaptionException(CaptionException.Reason.INFERENCE_FAILED, "interrupted", e);
      }
    }
    int generated = Math.min(options.maxNewTokens(), caption.split(" ").length + 1);
    long[] ids = new long[generated];
    double totalMs = (System.nanoTime() - t0) / 1e6;
    EngineTimings t = new EngineTimings(decodeMs, 0.1, totalMs / 2, totalMs / 4, totalMs / 4 + 0.1, totalMs / 4,
        totalMs);
    return new CaptionResult(caption, ids, TEXT_TOKENS + IMAGE_TOKENS, IMAGE_TOKENS, generated, t,
        generated / Math.max(totalMs / 1000, 1e-6), generated < options.maxNewTokens(), 0, 0);
  }

  @Override
  public String modelId() {
    return "test/digest";
  }

  @Override
  public String variant() {
    return "none";
  }

  @Override
  public void close() {
    closed = true;
  }
}
