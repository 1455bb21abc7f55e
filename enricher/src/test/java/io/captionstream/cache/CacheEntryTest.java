package io.captionstream.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.generate.EngineTimings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CacheEntryTest {

  private static final CacheEntry ENTRY = new CacheEntry(1, "A cat.", "org/model", "fp32", 1230, 1088, 4,
      new EngineTimings(1, 2, 300, 400, 703, 50, 753), "images-0-1", Instant.parse("2026-12-01T10:00:00Z"));

  @Test
  void roundTripsThroughItsBytes() {
    assertThat(CacheEntry.parse(ENTRY.toBytes())).contains(ENTRY);
  }

  @Test
  void bytesThatAreNotAnEntryOfThisVersionAreAMiss() {
    assertThat(CacheEntry.parse(null)).isEmpty();
    assertThat(CacheEntry.parse(new byte[0])).isEmpty();
    assertThat(CacheEntry.parse("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    String v2 = new String(ENTRY.toBytes(), StandardCharsets.UTF_8).replace("\"v\":1", "\"v\":2");
    assertThat(CacheEntry.parse(v2.getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(CacheEntry.parse(new byte[CacheEntry.MAX_BYTES + 1])).isEmpty();
  }

  @Test
  void anEntryIsSmall() {
    assertThat(ENTRY.toBytes().length).isLessThan(400);
  }
}
