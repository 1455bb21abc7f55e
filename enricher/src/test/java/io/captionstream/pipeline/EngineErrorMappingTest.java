package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.ErrorCode;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue #9 part 5: a bug inside the engine is INTERNAL; only the event's own validation is INVALID_EVENT. */
class EngineErrorMappingTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryOutcomeSink sink = new InMemoryOutcomeSink();
  private final EventCodec codec = new EventCodec();
  private PoolHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static Supplier<ImageCaptioner> throwing(RuntimeException e) {
    return () -> new ImageCaptioner() {
      @Override
      public CaptionResult caption(byte[] encodedImage, CaptionOptions options) {
        throw e;
      }

      @Override
      public String modelId() {
        return "test/throwing";
      }

      @Override
      public String variant() {
        return "none";
      }

      @Override
      public void close() {}
    };
  }

  private CaptionError errorOf(Supplier<ImageCaptioner> engine) throws Exception {
    harness = new PoolHarness(engine, sink, c -> c);
    String json = "{\"id\":\"img\",\"uri\":\"" + TestImages.pngDataUri(4, 4, Color.RED) + "\"}";
    harness.submit("k".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    Outcome o = sink.awaitCount(1, WAIT).get(0);
    assertThat(harness.ledger.failure()).isNull();
    return codec.readError(o.topic(), o.value());
  }

  @Test
  void anIllegalArgumentExceptionFromInsideTheEngineIsInternal() throws Exception {
    CaptionError e = errorOf(throwing(new IllegalArgumentException("tensor shape [1, 0] is empty")));
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.message()).contains("tensor shape");
  }

  @Test
  void anIllegalStateExceptionFromInsideTheEngineIsInternal() throws Exception {
    CaptionError e = errorOf(throwing(new IllegalStateException("session closed")));
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  void anEventThatFailsItsOwnValidationIsStillInvalidEvent() throws Exception {
    harness = new PoolHarness(() -> new DigestCaptioner(0), sink, c -> c);
    harness.submit("k".getBytes(StandardCharsets.UTF_8),
        "{\"id\":\"img\",\"uri\":\"data:image/png;base64,AAAA\",\"maxNewTokens\":0}".getBytes(StandardCharsets.UTF_8));
    Outcome o = sink.awaitCount(1, WAIT).get(0);
    assertThat(codec.readError(o.topic(), o.value()).code()).isEqualTo(ErrorCode.INVALID_EVENT);
  }
}
