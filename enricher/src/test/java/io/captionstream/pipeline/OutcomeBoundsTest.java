package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue #9 part 1: every outcome fits the producer's limit, and a refused outcome never stops the instance. */
class OutcomeBoundsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int MIB = 1024 * 1024;

  private final EventCodec codec = new EventCodec();
  private PoolHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private SizeCheckingSink start(SizeCheckingSink sink, UnaryOperator<PipelineConfig> tweak) throws Exception {
    harness = new PoolHarness(() -> new DigestCaptioner(0), sink, tweak);
    return sink;
  }

  private SizeCheckingSink start(SizeCheckingSink sink) throws Exception {
    return start(sink, c -> c);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Outcome onlyOutcome(SizeCheckingSink sink) throws Exception {
    assertThat(harness.allAcknowledged(WAIT)).as("acknowledged").isTrue();
    assertThat(harness.ledger.failure()).as("the instance does not stop").isNull();
    assertThat(sink.all()).hasSize(1);
    return sink.all().get(0);
  }

  @Test
  void anErrorEventOfAMegabyteLongIdFitsTheDefaultRequestSize() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB));
    String id = "i".repeat(1_000_000);
    harness.submit(utf8("k"), utf8("{\"id\":\"" + id + "\",\"uri\":\"data:text/plain;base64,aGVsbG8=\"}"));
    Outcome o = onlyOutcome(sink);
    CaptionError e = codec.readError(o.topic(), o.value());
    assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
    assertThat(e.imageId()).startsWith("iiii").endsWith("...[truncated, 1000000 chars]")
        .hasSizeLessThan(OutcomeLimits.MAX_ID_CHARS + 40);
    assertThat(o.value().length).isLessThan(MIB / 2);
  }

  @Test
  void aCaptionOfAMegabyteLongIdKeepsItsCaptionWithTheIdTruncated() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB));
    String id = "c".repeat(1_000_000);
    String uri = TestImages.pngDataUri(4, 4, Color.RED);
    harness.submit(utf8("k"), utf8("{\"id\":\"" + id + "\",\"uri\":\"" + uri + "\"}"));
    CaptionEvent e = codec.readCaption("out", onlyOutcome(sink).value());
    assertThat(e.caption()).isEqualTo("a 4x4 image mostly #ff0000");
    assertThat(e.imageId()).endsWith("...[truncated, 1000000 chars]");
  }

  @Test
  void controlBytesThatSextupleUnderJsonEscapingAreCutByTheirEscapedSize() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB));
    byte[] control = new byte[256 * 1024];
    Arrays.fill(control, (byte) 0x01);
    harness.submit(utf8("k"), control);
    Outcome o = onlyOutcome(sink);
    CaptionError e = codec.readError(o.topic(), o.value());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENT);
    assertThat(e.payloadEncoding()).isEqualTo("utf-8");
    assertThat(e.payload()).hasSize(OutcomeLimits.MAX_PAYLOAD_ECHO_BYTES / 6).matches("\u0001+");
    assertThat(e.message()).contains("payload cut to its first " + OutcomeLimits.MAX_PAYLOAD_ECHO_BYTES / 6
        + " of " + control.length + " bytes");
    assertThat(o.value().length).isLessThan(OutcomeLimits.MAX_PAYLOAD_ECHO_BYTES + 8 * 1024);
  }

  @Test
  void longPromptsAndAttributesAreTruncatedWithAMarker() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB));
    StringBuilder attrs = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      attrs.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":\"").append("v".repeat(10_000)).append('"');
    }
    String json = "{\"id\":\"x\",\"uri\":\"" + TestImages.pngDataUri(4, 4, Color.BLUE) + "\",\"prompt\":\""
        + "p".repeat(100_000) + "\",\"attributes\":{" + attrs + "}}";
    assertThat(json.length()).as("an input over a megabyte").isGreaterThan(MIB);
    harness.submit(utf8("k"), utf8(json));
    CaptionEvent e = codec.readCaption("out", onlyOutcome(sink).value());
    assertThat(e.prompt()).endsWith("...[truncated, 100000 chars]");
    assertThat(e.attributes().get("a1")).endsWith("...[truncated, 10000 chars]");
    assertThat(e.attributes().get(OutcomeFactory.TRUNCATED_ATTRIBUTES_KEY)).contains("of 200 attributes dropped");
    assertThat(e.attributes().values().stream().mapToInt(String::length).sum())
        .isLessThanOrEqualTo(OutcomeLimits.MAX_ATTRIBUTES_CHARS + 200);
  }

  @Test
  void aSmallerProducerLimitShrinksThePayloadEcho() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(100_000),
        c -> c.withKafka(Map.of("max.request.size", "100000")));
    harness.submit(utf8("k"), utf8("{" + "x".repeat(200_000)));
    Outcome o = onlyOutcome(sink);
    CaptionError e = codec.readError(o.topic(), o.value());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENT);
    assertThat(e.payload()).hasSize(25_000);
  }

  @Test
  void aKeyTooLargeToRepeatYieldsAMinimalErrorEventWithoutIt() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB));
    harness.submit(new byte[1_048_000], utf8("{not json"));
    Outcome o = onlyOutcome(sink);
    CaptionError e = codec.readError(o.topic(), o.value());
    assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_TOO_LARGE);
    assertThat(e.message()).contains("INVALID_EVENT error event").contains("input key dropped");
    assertThat(o.key()).isNull();
  }

  @Test
  void anOutcomeTheBrokerRefusesAsTooLargeIsReplacedByAMinimalErrorEvent() throws Exception {
    // the error topic's max.message.bytes is 4 KiB: the broker refuses the echo of a 5 KiB payload
    Function<Outcome, RuntimeException> topicLimit = o -> o.value().length > 4096
        ? new RecordTooLargeException("The request included a message larger than the max message size the server"
            + " will accept.") : null;
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB, topicLimit));
    harness.submit(utf8("k"), utf8("{" + "y".repeat(5_000)));
    Outcome o = onlyOutcome(sink);
    CaptionError e = codec.readError(o.topic(), o.value());
    assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_TOO_LARGE);
    assertThat(e.message()).contains("RecordTooLargeException").contains("max message size");
    assertThat(e.payload()).isNull();
    assertThat(e.eventId()).isEqualTo("in-0-0");
    assertThat(new String(o.key(), StandardCharsets.UTF_8)).isEqualTo("k");
  }

  @Test
  void anInvalidRecordRefusalIsReplacedByAnInvalidEventError() throws Exception {
    Function<Outcome, RuntimeException> refuseCaptions = o -> o.isError() ? null
        : new InvalidRecordException("This record has failed the validation on broker");
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB, refuseCaptions));
    harness.submit(utf8("k"), utf8("{\"id\":\"ok\",\"uri\":\"" + TestImages.pngDataUri(2, 2, Color.GREEN) + "\"}"));
    Outcome o = onlyOutcome(sink);
    CaptionError e = codec.readError(o.topic(), o.value());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EVENT);
    assertThat(e.imageId()).isEqualTo("ok");
    assertThat(e.message()).contains("InvalidRecordException");
  }

  @Test
  void anUnreachableBrokerStillStopsTheInstanceWithoutAnOutcome() throws Exception {
    SizeCheckingSink sink = start(new SizeCheckingSink(MIB, o -> new TimeoutException("Expiring 1 record(s)")));
    harness.submit(utf8("k"), utf8("{not json"));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (harness.ledger.failure() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(harness.ledger.failure()).isInstanceOf(TimeoutException.class);
    assertThat(sink.all()).isEmpty();
  }

  @Test
  void aProducerLimitTooSmallForTheServicesOwnOutcomesIsRefusedAtStart() {
    assertThatThrownBy(() -> new PoolHarness(() -> new DigestCaptioner(0), new InMemoryOutcomeSink(),
        c -> c.withKafka(Map.of("max.request.size", "1000"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max.request.size=1000");
  }
}
