package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.captionstream.CaptionException;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import io.captionstream.schema.SchemaRegistryException;
import java.awt.Color;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CaptionTopologyTest {

  private static final Duration WAIT = TopologyHarness.WAIT;
  private static final Topics TOPICS = TopologyHarness.TOPICS;

  private final EventCodec codec = new EventCodec();
  private final InMemoryOutcomeSink sink = new InMemoryOutcomeSink();
  private final OffsetLedger ledger = new OffsetLedger(8);
  private final PipelineMetrics metrics = new PipelineMetrics();
  private TopologyHarness harness;

  private TestInputTopic<byte[], byte[]> start(Supplier<ImageCaptioner> captioners) throws Exception {
    return start(captioners, c -> c);
  }

  private TestInputTopic<byte[], byte[]> start(Supplier<ImageCaptioner> captioners,
      UnaryOperator<PipelineConfig> tweak) throws Exception {
    return start(captioners, tweak, sink);
  }

  private TestInputTopic<byte[], byte[]> start(Supplier<ImageCaptioner> captioners,
      UnaryOperator<PipelineConfig> tweak, OutcomeSink outcomeSink) throws Exception {
    PipelineConfig config = tweak.apply(PipelineConfig.defaults("unused:9092").withTopics(TOPICS).withWorkers(2)
        .withInstanceId("test-instance"));
    harness = TopologyHarness.start(config, captioners, outcomeSink, ledger, metrics);
    return harness.input("in");
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String refJson(String id, String uri) {
    return "{\"id\":\"" + id + "\",\"uri\":\"" + uri + "\"}";
  }

  @Test
  void capturesImageAsCaptionEventKeepingKeyHeadersAndAttributes() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace-id", utf8("abc-123"));
    String json = "{\"id\":\"img-1\",\"uri\":\"" + TestImages.pngDataUri(8, 6, Color.RED)
        + "\",\"attributes\":{\"album\":\"holiday\"}}";
    input.pipeInput(new TestRecord<>(utf8("key-1"), utf8(json), headers));

    Outcome o = sink.awaitCount(1, WAIT).get(0);
    assertThat(o.topic()).isEqualTo("out");
    assertThat(o.isError()).isFalse();
    assertThat(new String(o.key(), StandardCharsets.UTF_8)).isEqualTo("key-1");
    assertThat(new String(o.headers().lastHeader("trace-id").value(), StandardCharsets.UTF_8)).isEqualTo("abc-123");
    CaptionEvent e = codec.readCaption(o.topic(), o.value());
    assertThat(e.imageId()).isEqualTo("img-1");
    assertThat(e.caption()).isEqualTo("a 8x6 image mostly #ff0000");
    assertThat(e.eventId()).isEqualTo("in-0-0");
    assertThat(e.source().offset()).isZero();
    assertThat(e.model().id()).isEqualTo("test/digest");
    assertThat(e.tokens().image()).isEqualTo(DigestCaptioner.IMAGE_TOKENS);
    assertThat(e.tokens().prompt()).isEqualTo(DigestCaptioner.IMAGE_TOKENS + DigestCaptioner.TEXT_TOKENS);
    assertThat(e.prompt()).isEqualTo(CaptionOptions.DEFAULT_PROMPT);
    assertThat(e.attributes()).containsEntry("album", "holiday");
    assertThat(e.instance()).isEqualTo("test-instance");
    assertThat(e.worker()).startsWith("worker-");
    assertThat(e.timingsMs().total()).isGreaterThanOrEqualTo(e.timingsMs().fetch());
  }

  @Test
  void toleratesUnknownFieldsAndHonoursPromptAndTokenCap() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    String json = "{\"id\":\"img-2\",\"uri\":\"" + TestImages.pngDataUri(4, 4, Color.BLUE)
        + "\",\"prompt\":\"What colour?\",\"maxNewTokens\":2,\"futureField\":{\"nested\":[1,2]}}";
    input.pipeInput(utf8("k"), utf8(json));
    CaptionEvent e = codec.readCaption("out", sink.awaitCount(1, WAIT).get(0).value());
    assertThat(e.prompt()).isEqualTo("What colour?");
    assertThat(e.tokens().generated()).isEqualTo(2);
  }

  @Test
  void badJsonBecomesInvalidEventKeepingThePayloadAsText() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    input.pipeInput(utf8("k"), utf8("{not json"));
    Outcome o = sink.awaitCount(1, WAIT).get(0);
    assertThat(o.topic()).isEqualTo("err");
    assertThat(new String(o.key(), StandardCharsets.UTF_8)).isEqualTo("k");
    CaptionError err = codec.readError(o.topic(), o.value());
    assertThat(err.code()).isEqualTo(ErrorCode.INVALID_EVENT);
    assertThat(err.payload()).isEqualTo("{not json");
    assertThat(err.payloadEncoding()).isEqualTo("utf-8");
    assertThat(err.eventId()).isEqualTo("in-0-0");
    assertThat(err.imageId()).isNull();
  }

  @Test
  void binaryGarbageIsKeptAsBase64() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3, 0x28};
    input.pipeInput(utf8("k"), garbage);
    CaptionError err = codec.readError("err", sink.awaitCount(1, WAIT).get(0).value());
    assertThat(err.code()).isEqualTo(ErrorCode.INVALID_EVENT);
    assertThat(err.payloadEncoding()).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(err.payload())).isEqualTo(garbage);
  }

  @Test
  void missingIdMissingUriAndNullValueAreInvalidEvents() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    input.pipeInput(utf8("a"), utf8("{\"uri\":\"data:image/png;base64,AAAA\"}"));
    input.pipeInput(utf8("b"), utf8("{\"id\":\"x\"}"));
    input.pipeInput(utf8("c"), (byte[]) null);
    List<Outcome> all = sink.awaitCount(3, WAIT);
    assertThat(all).allSatisfy(o -> {
      assertThat(o.topic()).isEqualTo("err");
      assertThat(o.code()).isEqualTo(ErrorCode.INVALID_EVENT);
    });
    assertThat(all).extracting(o -> codec.readError(o.topic(), o.value()).message())
        .anySatisfy(m -> assertThat(m).contains("'id'"))
        .anySatisfy(m -> assertThat(m).contains("'uri'"));
  }

  @Test
  void unsupportedFormatAndForbiddenAddressGetTheirCodes() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    String notAnImage = "data:application/octet-stream;base64," + Base64.getEncoder().encodeToString(utf8("hello"));
    input.pipeInput(utf8("a"), utf8(refJson("fmt", notAnImage)));
    input.pipeInput(utf8("b"), utf8(refJson("ssrf", "http://169.254.169.254/latest/meta-data")));
    input.pipeInput(utf8("c"), utf8(refJson("local", "http://127.0.0.1:1/x.png")));
    List<Outcome> all = sink.awaitCount(3, WAIT);
    assertThat(all).extracting(o -> codec.readError(o.topic(), o.value()))
        .extracting(CaptionError::imageId, CaptionError::code)
        .containsExactlyInAnyOrder(
            Tuple.tuple("fmt", ErrorCode.UNSUPPORTED_FORMAT),
            Tuple.tuple("ssrf", ErrorCode.FORBIDDEN_ADDRESS),
            Tuple.tuple("local", ErrorCode.FORBIDDEN_ADDRESS));
  }

  @Test
  void anEventCannotAskForMoreTokensThanTheServiceLimit() throws Exception {
    var input = start(() -> new DigestCaptioner(0), c -> c.withMaxNewTokens(3).withMaxNewTokensLimit(2));
    String uri = TestImages.pngDataUri(4, 4, Color.BLUE);
    input.pipeInput(utf8("a"), utf8("{\"id\":\"huge\",\"uri\":\"" + uri + "\",\"maxNewTokens\":2147483647}"));
    input.pipeInput(utf8("b"), utf8("{\"id\":\"default\",\"uri\":\"" + uri + "\"}"));
    input.pipeInput(utf8("c"), utf8("{\"id\":\"small\",\"uri\":\"" + uri + "\",\"maxNewTokens\":1}"));
    var generated = sink.awaitCount(3, WAIT).stream().map(o -> codec.readCaption("out", o.value()))
        .collect(Collectors.toMap(CaptionEvent::imageId, e -> e.tokens().generated()));
    assertThat(generated).containsEntry("huge", 2).containsEntry("default", 2).containsEntry("small", 1);
  }

  @Test
  void engineReasonsMapToErrorCodesOfTheSameName() throws Exception {
    var input = start(() -> new ImageCaptioner() {
      @Override
      public CaptionResult caption(byte[] image, CaptionOptions options) {
        throw new CaptionException(CaptionException.Reason.valueOf(options.prompt()), "engine says no");
      }

      @Override
      public String modelId() {
        return "throwing";
      }

      @Override
      public String variant() {
        return "none";
      }

      @Override
      public void close() {}
    });
    String uri = TestImages.pngDataUri(2, 2, Color.GREEN);
    for (String reason : List.of("CORRUPT_IMAGE", "TOO_LARGE", "INFERENCE_FAILED", "DEADLINE_EXCEEDED")) {
      input.pipeInput(utf8(reason), utf8("{\"id\":\"" + reason + "\",\"uri\":\"" + uri + "\",\"prompt\":\"" + reason
          + "\"}"));
    }
    List<Outcome> all = sink.awaitCount(4, WAIT);
    assertThat(all).allSatisfy(o -> {
      CaptionError err = codec.readError(o.topic(), o.value());
      assertThat(err.code().name()).isEqualTo(err.imageId());
      assertThat(err.message()).isEqualTo("engine says no");
    });
  }

  @Test
  void everyRecordGetsExactlyOneOutcomeAndAllOffsetsBecomeCommittable() throws Exception {
    var input = start(() -> new DigestCaptioner(1));
    String uri = TestImages.pngDataUri(3, 3, Color.WHITE);
    for (int i = 0; i < 40; i++) {
      String value = i % 5 == 0 ? "broken-" + i : refJson("img-" + i, uri);
      input.pipeInput(utf8("k" + i), utf8(value));
    }
    List<Outcome> all = sink.awaitCount(40, WAIT);
    assertThat(all).extracting(o -> o.source().offset()).doesNotHaveDuplicates().hasSize(40);
    assertThat(all).filteredOn(Outcome::isError).hasSize(8);
    assertThat(ledger.awaitAllAcknowledged(WAIT)).isTrue();
    var safe = ledger.committableNow();
    assertThat(safe.values()).singleElement().satisfies(om -> assertThat(om.offset()).isEqualTo(40));
  }

  @Test
  void commitsTheAcknowledgedTailFromPunctuationWhenNoNewRecordsArrive() throws Exception {
    var input = start(() -> new DigestCaptioner(0));
    String uri = TestImages.pngDataUri(2, 2, Color.BLACK);
    for (int i = 0; i < 3; i++) {
      input.pipeInput(utf8("k" + i), utf8(refJson("img-" + i, uri)));
    }
    sink.awaitCount(3, WAIT);
    assertThat(ledger.awaitAllAcknowledged(WAIT)).isTrue();
    assertThat(ledger.uncommitted()).isEqualTo(3);
    harness.driver().advanceWallClockTime(Duration.ofMillis(150));
    assertThat(ledger.uncommitted()).isZero();
  }

  /** A captioner that fails with an {@link Error} (not an exception) for the prompt "boom", else like the digest one.
   * */
  private static ImageCaptioner erroringOnBoom() {
    DigestCaptioner digest = new DigestCaptioner(0);
    return new ImageCaptioner() {
      @Override
      public CaptionResult caption(byte[] image, CaptionOptions options) {
        if ("boom".equals(options.prompt())) {
          throw new StackOverflowError("native tokenizer recursion");
        }
        return digest.caption(image, options);
      }

      @Override
      public String modelId() {
        return digest.modelId();
      }

      @Override
      public String variant() {
        return digest.variant();
      }

      @Override
      public void close() {
        digest.close();
      }
    };
  }

  private Throwable awaitLedgerFailure(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ledger.failure() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return ledger.failure();
  }

  @Test
  void anErrorInTheEngineBecomesAnInternalErrorEventAndTheWorkersLiveOn() throws Exception {
    var input = start(CaptionTopologyTest::erroringOnBoom); // 2 workers
    String uri = TestImages.pngDataUri(2, 2, Color.GRAY);
    for (String prompt : List.of("boom", "boom", "fine")) {
      input.pipeInput(utf8(prompt), utf8("{\"id\":\"" + prompt + "\",\"uri\":\"" + uri + "\",\"prompt\":\"" + prompt
          + "\"}"));
    }
    List<Outcome> all = sink.awaitCount(3, WAIT);
    assertThat(all).filteredOn(Outcome::isError).hasSize(2).allSatisfy(o -> {
      CaptionError err = codec.readError(o.topic(), o.value());
      assertThat(err.code()).isEqualTo(ErrorCode.INTERNAL);
      assertThat(err.message()).contains("StackOverflowError");
    });
    assertThat(all).filteredOn(o -> !o.isError()).hasSize(1);
    assertThat(metrics.workersAlive()).isEqualTo(2);
    assertThat(ledger.awaitAllAcknowledged(WAIT)).isTrue();
    assertThat(ledger.committableNow().values()).singleElement().satisfies(om -> assertThat(om.offset()).isEqualTo(3));
  }

  @Test
  void registryOutageWhileWritingAnErrorEventStopsWithoutAnOutcomeOrACommit() throws Exception {
    var input = start(() -> new DigestCaptioner(0), c -> c.withKafka(Map.of(
        "serde.mode", "registry", "schema.registry.url", "http://127.0.0.1:1",
        "schema.registry.request.timeout.ms", "2000")));
    // not in the registry wire format: INVALID_EVENT without asking the registry, but writing that error event needs it
    input.pipeInput(utf8("k"), utf8("{\"id\":\"plain-json\"}"));
    assertThat(awaitLedgerFailure(WAIT)).isInstanceOf(SchemaRegistryException.class);
    assertThat(sink.all()).isEmpty();
    assertThat(ledger.unacknowledged()).isEqualTo(1);
    assertThat(ledger.committableNow()).isEmpty();
  }

  @Test
  void aFailedProduceStopsTheStreamThreadEvenWhenNoFurtherRecordsArrive() throws Exception {
    OutcomeSink failing = o -> CompletableFuture.failedFuture(new TimeoutException("delivery timed out"));
    var input = start(() -> new DigestCaptioner(0), c -> c, failing);
    input.pipeInput(utf8("k"), utf8(refJson("img", TestImages.pngDataUri(2, 2, Color.BLACK))));
    assertThat(awaitLedgerFailure(WAIT)).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> harness.driver().advanceWallClockTime(Duration.ofMillis(150)))
        .isInstanceOf(StreamsException.class)
        .hasStackTraceContaining("delivery timed out");
    assertThat(ledger.committableNow()).isEmpty();
  }

  @Test
  void aFetchCutOffByShutdownLeavesNoErrorEvent() throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    CountDownLatch requested = new CountDownLatch(1);
    slow.createContext("/slow.png", ex -> {
      requested.countDown();
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    slow.start();
    try {
      var input = start(() -> new DigestCaptioner(0), c -> c.withFetchPolicy(c.fetchPolicy()
          .withAllowPrivateAddresses(true)));
      input.pipeInput(utf8("k"), utf8(refJson("slow", "http://127.0.0.1:" + slow.getAddress().getPort()
          + "/slow.png")));
      assertThat(requested.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      harness.pool().close(); // what CaptionPipeline.close() does once the drain timed out
      Thread.sleep(500);
      assertThat(sink.all()).as("an error event for a record that is redelivered after the restart").isEmpty();
      assertThat(ledger.unacknowledged()).isEqualTo(1);
      ledger.forget(new TopicPartition("in", 0)); // closing the task need not wait for it
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void describesSourceProcessorAndOutcomeTopics() {
    String d = CaptionTopology.describe(new Topics("images", "captions", "caption-errors"));
    assertThat(d).contains("Source: " + CaptionTopology.SOURCE + " (topics: [images])")
        .contains("Processor: " + CaptionTopology.PROCESSOR)
        .contains("--> captions").contains("--> caption-errors");
  }
}
