package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.SourceRef;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomePrinterTest {

  private static CaptionEvent event(CaptionEvent.CacheInfo cache) {
    return new CaptionEvent("images-0-5", "cat#2", "A cat.", null, new CaptionEvent.ModelInfo("m", "fp32"),
        new CaptionEvent.TokenCounts(10, 8, 3), new CaptionEvent.StageTimings(1, 2, 0, 0, 0, 0, 0, 0, 3), 0, "cache",
        "i-1", new SourceRef("images", 0, 5), null, Instant.parse("2026-12-01T10:00:01Z"), cache);
  }

  @Test
  void aCaptionFromTheCacheSaysSoAndNamesTheEventThatComputedIt() {
    String text = OutcomePrinter.pretty(event(new CaptionEvent.CacheInfo(true, "images-0-1",
        Instant.parse("2026-12-01T10:00:00Z"), 812.4)));

    assertThat(text).contains("[caption] cat#2: A cat.")
        .contains("from the cache: computed as images-0-1 at 2026-12-01T10:00:00Z (812 ms of model time saved)");
  }

  @Test
  void aComputedCaptionHasNoCacheLine() {
    assertThat(OutcomePrinter.pretty(event(null))).doesNotContain("from the cache");
  }
}
