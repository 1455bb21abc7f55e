package io.captionstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.EngineTimings;
import org.junit.jupiter.api.Test;

class BenchStatsTest {

  private static CaptionResult captionWithVisionMs(double vision) {
    EngineTimings t = new EngineTimings(1, 2, vision, 4, 5, 6, vision + 20);
    return new CaptionResult("a", new long[] {1, 2}, 10, 64, 2, t, 3.0, false, 0, 0);
  }

  @Test
  void reportCarriesTheSmallestAndLargestSampleBesideTheMedian() {
    BenchStats s = new BenchStats("one tile");
    s.add(captionWithVisionMs(300));
    s.add(captionWithVisionMs(100));
    s.add(captionWithVisionMs(200));
    ObjectNode json = s.toJson();
    assertEquals(100.0, json.get("min").get("vision").asDouble());
    assertEquals(200.0, json.get("median").get("vision").asDouble());
    assertEquals(300.0, json.get("max").get("vision").asDouble());
    assertEquals(320.0, json.get("max").get("total").asDouble());
  }
}
