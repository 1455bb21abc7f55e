package io.captionstream.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.schema.InvalidEventException.Reason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional cache fields of v1.1: CaptionEvent.cache and ImageReference.cache. */
class CacheFieldsTest {

  private static final Map<String, String> PLAIN = Map.of("serde.mode", "plain");

  private final EventSerde<ImageReference> images = EventSerdes.imageReference(PLAIN);
  private final EventSerde<CaptionEvent> captions = EventSerdes.captionEvent(PLAIN);

  @Test
  void aCaptionServedFromTheCacheCarriesItsOriginRoundTripAndValidated() {
    CaptionEvent base = Events.fullCaptionEvent();
    CaptionEvent hit = new CaptionEvent(base.eventId(), base.imageId(), base.caption(), base.prompt(), base.model(),
        base.tokens(), base.timingsMs(), 0, "cache", base.instance(), base.source(), base.attributes(),
        base.createdAt(), new CaptionEvent.CacheInfo(true, "images-0-7", Instant.parse("2026-11-22T15:00:00Z"),
            1301.3));

    String json = new String(captions.serialize("out", hit), UTF_8);

    assertThat(json)
        .contains("\"cache\":{\"hit\":true,\"eventId\":\"images-0-7\",\"createdAt\":\"2026-11-22T15:00:00Z\","
        + "\"savedMs\":1301.3}");
    assertThat(captions.deserialize("out", json.getBytes(UTF_8))).isEqualTo(hit);
  }

  @Test
  void aComputedCaptionHasNoCacheObject() {
    assertThat(new String(captions.serialize("out", Events.fullCaptionEvent()), UTF_8)).doesNotContain("cache");
  }

  @Test
  void anImageReferenceMayOptOutOfTheCache() {
    ImageReference out = images.deserialize("in",
        "{\"id\":\"a\",\"uri\":\"data:image/png;base64,AAAA\",\"cache\":false}".getBytes(UTF_8));
    ImageReference absent = images.deserialize("in",
        "{\"id\":\"a\",\"uri\":\"data:image/png;base64,AAAA\"}".getBytes(UTF_8));

    assertThat(out.cache()).isFalse();
    assertThat(out.cacheAllowed()).isFalse();
    assertThat(absent.cache()).isNull();
    assertThat(absent.cacheAllowed()).isTrue();
  }

  @Test
  void aCacheFieldThatIsNotABooleanIsASchemaViolation() {
    byte[] json = "{\"id\":\"a\",\"uri\":\"data:image/png;base64,AAAA\",\"cache\":\"no\"}".getBytes(UTF_8);
    PlainSerdeTest.assertInvalid(() -> images.deserialize("in", json), Reason.SCHEMA_VIOLATION, "cache");
  }
}
