package io.captionstream.schema;

import java.time.Instant;
import java.util.Map;

/** Sample events shared by the tests. */
final class Events {

  private Events() {}

  static final Instant CREATED = Instant.parse("2026-11-22T15:30:00.123Z");

  static ImageReference fullImageReference() {
    return new ImageReference("cat-001", "https://images.example.com/cat.jpg", "What is on the sofa?", 64, 1536,
        Map.of("tenant", "acme"), Instant.parse("2026-11-22T16:00:00Z"));
  }

  static CaptionEvent fullCaptionEvent() {
    return new CaptionEvent("images-0-42", "cat-001", "A grey cat sleeping on a red sofa.", "Describe the image.",
        new CaptionEvent.ModelInfo("HuggingFaceTB/SmolVLM-256M-Instruct", "fp32"),
        new CaptionEvent.TokenCounts(1230, 1088, 11),
        new CaptionEvent.StageTimings(0.4, 12.5, 8.1, 21.7, 840.2, 410.9, 1301.3, 260.0, 1603.8),
        42.3, "worker-1", "captionstream-0", new SourceRef("images", 0, 42), Map.of("tenant", "acme"), CREATED);
  }

  static CaptionError fullCaptionError() {
    return new CaptionError("images-0-43", "dog-404", ErrorCode.FETCH_FAILED, "HTTP 404", 3,
        new SourceRef("images", 0, 43), "{\"id\":\"dog-404\"}", "utf-8", CREATED);
  }
}
