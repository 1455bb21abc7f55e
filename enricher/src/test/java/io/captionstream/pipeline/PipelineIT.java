package io.captionstream.pipeline;

import static io.captionstream.pipeline.KafkaTopicsSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.captionstream.fetch.FetchPolicy;
import io.captionstream.fetch.ImageFetcher;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.CaptionResult;
import io.captionstream.generate.EngineSettings;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.image.SamplePictures;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import io.captionstream.service.OnnxCaptioners;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.awt.Color;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The service against a real broker, in this JVM, with the real engine on the synth kit's {@code tiny} model
 * (generated here: random weights, real graph contract); outcomes are read back from the topics.
 */
@Testcontainers
class PipelineIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  private static HttpServer http;
  private static String httpBase;
  private static Path modelDir;
  private static CaptionModel model;
  private final EventCodec codec = new EventCodec();

  /** The real engine on the synth kit's {@code tiny} model, generated here (random weights, real graph contract). */
  @BeforeAll
  static void writeTinyModel(@TempDir Path tmp) throws Exception {
    modelDir = tmp.resolve("tiny");
    SynthModelWriter.write(SynthSpec.tiny(), modelDir);
    model = CaptionModel.load(modelDir, "fp32");
  }

  private static Supplier<ImageCaptioner> engine() {
    return OnnxCaptioners.open(modelDir, "fp32", 1);
  }

  @BeforeAll
  static void serveImages() throws Exception {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] png = SamplePictures.solidPng(16, 16, Color.ORANGE);
    http.createContext("/ok.png", ex -> {
      ex.sendResponseHeaders(200, png.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(png);
      }
    });
    http.createContext("/gone.png", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    http.start();
    httpBase = "http://127.0.0.1:" + http.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    http.stop(0);
    model.close();
  }

  private KafkaTopicsSupport kafka() {
    return new KafkaTopicsSupport(KAFKA.getBootstrapServers());
  }

  private PipelineConfig config(Topics topics, int workers) {
    return PipelineConfig.defaults(KAFKA.getBootstrapServers())
        .withApplicationId("it-" + UUID.randomUUID())
        .withTopics(topics)
        .withWorkers(workers)
        .withCommitInterval(Duration.ofMillis(200))
        .withDrainTimeout(Duration.ofSeconds(20))
        .withFetchPolicy(FetchPolicy.defaults().withAllowPrivateAddresses(true));
  }

  private static String ref(String id, String uri) {
    return "{\"id\":\"" + id + "\",\"uri\":\"" + uri + "\"}";
  }

  private static Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic(List<ConsumerRecord<byte[], byte[]>> all) {
    return all.stream().collect(Collectors.groupingBy(ConsumerRecord::topic));
  }

  @Test
  void fiftyImagesBecomeFiftyCaptionEventsWithConsistentCountsAndTimings() throws Exception {
    KafkaTopicsSupport kafka = kafka();
    Topics topics = kafka.createTopics("fifty", 3);
    Map<String, String> inputs = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      String uri = i % 2 == 0 ? TestImages.pngDataUri(8 + i, 8, new Color(i * 5, 100, 200)) : httpBase + "/ok.png";
      inputs.put("key-" + i, ref("img-" + i, uri));
    }
    try (CaptionPipeline pipeline = CaptionPipeline.start(config(topics, 2).withMaxNewTokens(8), engine())) {
      kafka.produce(topics.input(), inputs);
      var out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> r.size() >= 50, WAIT);
      assertThat(byTopic(out).get(topics.errors())).as("no errors").isNull();
      List<CaptionEvent> events = out.stream().map(r -> codec.readCaption(r.topic(), r.value())).toList();
      assertThat(events).hasSize(50);
      assertThat(events).extracting(CaptionEvent::imageId)
          .containsExactlyInAnyOrderElementsOf(inputs.keySet().stream().map(k -> "img-" + k.substring(4)).toList());
      assertThat(events).extracting(CaptionEvent::eventId).doesNotHaveDuplicates();
      @SuppressWarnings("resource")
      ImageCaptioner direct = model.newCaptioner(EngineSettings.threads(1));
      for (int i = 0; i < out.size(); i++) {
        CaptionEvent e = events.get(i);
        ConsumerRecord<byte[], byte[]> r = out.get(i);
        assertThat(text(r.key())).isEqualTo("key-" + e.imageId().substring(4));
        assertThat(e.eventId()).isEqualTo(e.source().topic() + "-" + e.source().partition() + "-"
            + e.source().offset());
        assertThat(e.model().id()).isEqualTo(model.modelId());
        assertThat(e.tokens().image()).isPositive();
        assertThat(e.tokens().prompt()).isGreaterThan(e.tokens().image());
        assertThat(e.tokens().generated()).isBetween(1, 8);
        byte[] image = imageOf(inputs.get(text(r.key())));
        CaptionResult expected = direct.caption(image, CaptionOptions.defaults().withMaxNewTokens(8));
        assertThat(e.caption()).as("caption of %s equals the engine's own", e.imageId())
            .isEqualTo(expected.caption());
        assertThat(e.tokens().prompt()).isEqualTo(expected.promptTokens());
        assertThat(e.tokens().image()).isEqualTo(expected.imageTokens());
        assertThat(e.tokens().generated()).isEqualTo(expected.generatedTokens());
        var t = e.timingsMs();
        assertThat(List.of(t.queue(), t.fetch(), t.decode(), t.vision(), t.prefill(), t.generation(), t.total()))
            .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(0.0));
        assertThat(t.total()).isGreaterThanOrEqualTo(t.fetch() + t.vision());
        assertThat(e.tokensPerSecond()).isPositive();
      }
      direct.close();
      assertThat(pipeline.captions()).isEqualTo(50);
      assertThat(pipeline.ready()).isTrue();
    }
  }

  @Test
  void brokenInputsBecomeErrorEventsWithTheirCodesAndTheServiceKeepsGoing() throws Exception {
    KafkaTopicsSupport kafka = kafka();
    Topics topics = kafka.createTopics("broken", 1);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("bad-json", "{\"id\": \"x\", \"uri\": ");
    inputs.put("no-id", "{\"uri\":\"" + httpBase + "/ok.png\"}");
    inputs.put("not-found", ref("not-found", httpBase + "/gone.png"));
    inputs.put("not-an-image", ref("not-an-image", "data:text/plain;base64,aGVsbG8gd29ybGQ="));
    inputs.put("good-after", ref("good-after", httpBase + "/ok.png"));
    try (CaptionPipeline pipeline = CaptionPipeline.start(config(topics, 2).withMaxNewTokens(4), engine())) {
      kafka.produce(topics.input(), inputs);
      var out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> r.size() >= 5, WAIT);
      Map<String, List<ConsumerRecord<byte[], byte[]>>> t = byTopic(out);
      Map<String, CaptionError> errors = t.get(topics.errors()).stream()
          .collect(Collectors.toMap(r -> text(r.key()), r -> codec.readError(r.topic(), r.value())));
      assertThat(errors).hasSize(4);
      assertThat(errors.get("bad-json").code()).isEqualTo(ErrorCode.INVALID_EVENT);
      assertThat(errors.get("bad-json").payload()).isEqualTo(inputs.get("bad-json"));
      assertThat(errors.get("no-id").code()).isEqualTo(ErrorCode.INVALID_EVENT);
      assertThat(errors.get("not-found").code()).isEqualTo(ErrorCode.FETCH_FAILED);
      assertThat(errors.get("not-found").message()).contains("404");
      assertThat(errors.get("not-an-image").code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT);
      assertThat(errors.values()).extracting(CaptionError::eventId)
          .allSatisfy(id -> assertThat(id).startsWith(topics.input() + "-0-"));
      assertThat(t.get(topics.output())).singleElement()
          .satisfies(r -> assertThat(text(r.key())).isEqualTo("good-after"));
      assertThat(pipeline.live()).isTrue();
      assertThat(pipeline.errorsByCode()).containsEntry(ErrorCode.INVALID_EVENT, 2L);
    }
  }

  @Test
  void onePartitionKeepsAllFourWorkersBusy() throws Exception {
    KafkaTopicsSupport kafka = kafka();
    Topics topics = kafka.createTopics("one-partition", 1);
    Map<String, String> inputs = new LinkedHashMap<>();
    String uri = TestImages.pngDataUri(64, 48, Color.CYAN);
    for (int i = 0; i < 24; i++) {
      inputs.put("k" + i, ref("img-" + i, uri));
    }
    try (CaptionPipeline pipeline = CaptionPipeline.start(config(topics, 4).withMaxNewTokens(32), engine())) {
      kafka.produce(topics.input(), inputs);
      var out = kafka.readUntil(topics.output(), r -> r.size() >= 24, WAIT);
      assertThat(out).hasSize(24);
      assertThat(pipeline.peakBusyWorkers()).isEqualTo(4);
      Set<String> workers = out.stream().map(r -> codec.readCaption(r.topic(), r.value()).worker())
          .collect(Collectors.toSet());
      assertThat(workers).containsExactlyInAnyOrder("worker-0", "worker-1", "worker-2", "worker-3");
    }
  }

  @Test
  void threeInstancesShareSixPartitionsAndCoverEveryInputExactlyOnce() throws Exception {
    KafkaTopicsSupport kafka = kafka();
    Topics topics = kafka.createTopics("scale-out", 6);
    PipelineConfig base = config(topics, 1);
    List<CaptionPipeline> instances = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        instances.add(CaptionPipeline.start(base.withInstanceId("instance-" + i).withMaxNewTokens(4), engine()));
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!instances.stream().allMatch(p -> p.streamsState().equals("RUNNING")) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(instances).allSatisfy(p -> assertThat(p.streamsState()).isEqualTo("RUNNING"));
      Map<String, String> inputs = new LinkedHashMap<>();
      String uri = TestImages.pngDataUri(4, 4, Color.PINK);
      for (int i = 0; i < 60; i++) {
        inputs.put("k" + i, ref("img-" + i, uri));
      }
      kafka.produce(topics.input(), inputs);
      var out = kafka.readUntil(topics.output(), r -> r.size() >= 60, WAIT);
      Thread.sleep(1_000); // would-be duplicates have time to show up
      out = kafka.readUntil(topics.output(), r -> false, Duration.ofSeconds(3));
      List<CaptionEvent> events = out.stream().map(r -> codec.readCaption(r.topic(), r.value())).toList();
      assertThat(events).extracting(CaptionEvent::imageId).hasSize(60).doesNotHaveDuplicates();
      Map<String, Long> perInstance = events.stream()
          .collect(Collectors.groupingBy(CaptionEvent::instance, Collectors.counting()));
      assertThat(perInstance).containsOnlyKeys("instance-0", "instance-1", "instance-2");
      assertThat(instances).allSatisfy(p -> assertThat(p.captions()).isPositive());
    } finally {
      instances.forEach(CaptionPipeline::close);
    }
  }

  @Test
  void aRebalanceMidRunLosesNothingAndDuplicatesKeepTheirEventId() throws Exception {
    KafkaTopicsSupport kafka = kafka();
    Topics topics = kafka.createTopics("rebalance", 4);
    PipelineConfig base = config(topics, 2).withMaxNewTokens(4).withInFlightWindow(8);
    Map<String, String> firstBatch = new LinkedHashMap<>();
    Map<String, String> secondBatch = new LinkedHashMap<>();
    String uri = TestImages.pngDataUri(8, 8, Color.YELLOW);
    for (int i = 0; i < 150; i++) {
      (i < 50 ? firstBatch : secondBatch).put("k" + i, ref("img-" + i, uri));
    }
    kafka.produce(topics.input(), firstBatch);
    List<CaptionPipeline> instances = new ArrayList<>();
    try {
      instances.add(CaptionPipeline.start(base.withInstanceId("early"), engine()));
      var early = kafka.readUntil(topics.output(), r -> r.size() >= 30, WAIT);
      assertThat(early.size()).isGreaterThanOrEqualTo(30);
      // partitions move while the first batch may still be in flight; the second batch is produced only once both
      // instances run, so the late one surely gets work (on a slow machine the early one could otherwise finish all)
      instances.add(CaptionPipeline.start(base.withInstanceId("late"), engine()));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!instances.stream().allMatch(p -> p.streamsState().equals("RUNNING")) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      kafka.produce(topics.input(), secondBatch);
      kafka.readUntil(topics.output(), r -> r.stream().map(x -> text(x.key())).distinct().count() >= 150, WAIT);
      Thread.sleep(1_000);
      var out = kafka.readUntil(topics.output(), r -> false, Duration.ofSeconds(3));
      List<CaptionEvent> events = out.stream().map(r -> codec.readCaption(r.topic(), r.value())).toList();
      Map<String, List<CaptionEvent>> byImage = events.stream().collect(Collectors.groupingBy(CaptionEvent::imageId));
      System.out.printf("rebalance IT: records=150 outcomes=%d duplicates=%d lost=%d%n", events.size(),
          events.size() - byImage.size(), 150 - byImage.size());
      assertThat(byImage).hasSize(150);
      assertThat(events.size() - byImage.size()).as("duplicates").isLessThanOrEqualTo(2 * 8);
      assertThat(byImage.values()).allSatisfy(same ->
          assertThat(same.stream().map(CaptionEvent::eventId).distinct()).hasSize(1));
      assertThat(events).extracting(CaptionEvent::instance).contains("early", "late");
    } finally {
      instances.forEach(CaptionPipeline::close);
    }
  }

  private byte[] imageOf(String refJson) throws Exception {
    String uri = codec.decode("any", refJson.getBytes(StandardCharsets.UTF_8)).uri();
    try (var fetcher = new ImageFetcher(
        FetchPolicy.defaults().withAllowPrivateAddresses(true))) {
      return fetcher.fetch(uri);
    }
  }
}
