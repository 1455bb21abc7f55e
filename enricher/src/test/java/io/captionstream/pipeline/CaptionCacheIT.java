package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.cache.CacheSettings;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.tools.EmbeddedKafka;
import java.awt.Color;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The caption cache against a real broker: entries go to a compacted topic and come back through every instance's
 * global store. The engine is the counting test double: what matters is whether it is called.
 */
@Testcontainers
class CaptionCacheIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  private final EventCodec codec = new EventCodec();
  private final KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());

  private PipelineConfig config(Topics topics, String instance) {
    return PipelineConfig.defaults(KAFKA.getBootstrapServers())
        .withApplicationId("cache-it-" + UUID.randomUUID())
        .withTopics(topics)
        .withWorkers(1)
        .withInstanceId(instance)
        .withCommitInterval(Duration.ofMillis(200))
        .withDrainTimeout(Duration.ofSeconds(20));
  }

  private static CacheSettings cache(String topic) {
    return new CacheSettings(true, topic, 1000);
  }

  private static String cacheTopic() {
    return "cache-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void publish(Topics topics, String id, String uri) throws Exception {
    Map<String, String> r = new LinkedHashMap<>();
    r.put(id, "{\"id\":\"" + id + "\",\"uri\":\"" + uri + "\"}");
    kafka.produce(topics.input(), r);
  }

  private List<CaptionEvent> captions(Topics topics, int n) {
    List<ConsumerRecord<byte[], byte[]>> out = kafka.readUntil(topics.output(), r -> r.size() >= n, WAIT);
    assertThat(out).hasSizeGreaterThanOrEqualTo(n);
    return out.stream().map(r -> codec.readCaption(r.topic(), r.value())).toList();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** A live instance without the cache: the same image twice is computed twice, neither event has a cache part. */
  private void assertComputesEveryRecordWithoutTheCache(CaptionPipeline p, Topics topics, AtomicInteger calls)
      throws Exception {
    assertThat(p.cacheEnabled()).isFalse();
    assertThat(p.live()).isTrue();
    String uri = TestImages.pngDataUri(5, 5, Color.RED);
    publish(topics, "one", uri);
    publish(topics, "two", uri);
    List<CaptionEvent> events = captions(topics, 2);

    assertThat(calls).hasValue(2);
    assertThat(events).allSatisfy(e -> assertThat(e.cache()).isNull());
  }

  @Test
  void aRepeatedImageIsServedFromTheCacheWithTheIdenticalCaptionAndNoEngineCall() throws Exception {
    Topics topics = kafka.createTopics("cache-repeat", 1);
    AtomicInteger calls = new AtomicInteger();
    String uri = TestImages.pngDataUri(12, 9, Color.GREEN);
    try (CaptionPipeline p = CaptionPipeline.start(config(topics, "only"),
        () -> new CountingCaptioner(calls, "test/counting"), cache(cacheTopic()))) {
      assertThat(p.cacheEnabled()).isTrue();
      publish(topics, "first", uri);
      CaptionEvent computed = captions(topics, 1).get(0);
      publish(topics, "again", uri);
      CaptionEvent hit = captions(topics, 2).get(1);

      assertThat(calls).hasValue(1);
      assertThat(computed.cache()).isNull();
      assertThat(hit.imageId()).isEqualTo("again");
      assertThat(hit.caption()).isEqualTo(computed.caption());
      assertThat(hit.cache().hit()).isTrue();
      assertThat(hit.cache().eventId()).isEqualTo(computed.eventId());
      assertThat(p.cacheMetrics().hits()).isEqualTo(1);
      assertThat(p.cacheMetrics().misses()).isEqualTo(1);
    }
  }

  @Test
  void twoInstancesShareTheirEntriesThroughTheTopic() throws Exception {
    String shared = cacheTopic();
    Topics topicsA = kafka.createTopics("cache-a", 1);
    Topics topicsB = kafka.createTopics("cache-b", 1);
    AtomicInteger callsA = new AtomicInteger();
    AtomicInteger callsB = new AtomicInteger();
    String uri = TestImages.pngDataUri(10, 10, Color.PINK);
    try (CaptionPipeline a = CaptionPipeline.start(config(topicsA, "a"),
            () -> new CountingCaptioner(callsA, "test/counting"), cache(shared));
        CaptionPipeline b = CaptionPipeline.start(config(topicsB, "b"),
            () -> new CountingCaptioner(callsB, "test/counting"), cache(shared))) {
      publish(topicsA, "on-a", uri);
      CaptionEvent computed = captions(topicsA, 1).get(0);
      await(() -> b.cacheMetrics().entries() >= 1, "b's global store received a's entry");
      publish(topicsB, "on-b", uri);
      CaptionEvent hit = captions(topicsB, 1).get(0);

      assertThat(callsA).hasValue(1);
      assertThat(callsB).hasValue(0);
      assertThat(hit.instance()).isEqualTo("b");
      assertThat(hit.caption()).isEqualTo(computed.caption());
      assertThat(hit.cache().eventId()).isEqualTo(computed.eventId());
    }
  }

  @Test
  void aRestartedInstanceRestoresTheCacheFromTheTopic() throws Exception {
    String topic = cacheTopic();
    Topics topics = kafka.createTopics("cache-restart", 1);
    String uri = TestImages.pngDataUri(7, 5, Color.CYAN);
    CaptionEvent computed;
    try (CaptionPipeline before = CaptionPipeline.start(config(topics, "before"),
        () -> new CountingCaptioner(new AtomicInteger(), "test/counting"), cache(topic))) {
      publish(topics, "first", uri);
      computed = captions(topics, 1).get(0);
    }
    AtomicInteger callsAfter = new AtomicInteger();
    try (CaptionPipeline after = CaptionPipeline.start(config(topics, "after"),
        () -> new CountingCaptioner(callsAfter, "test/counting"), cache(topic))) {
      await(() -> after.cacheMetrics().restoreMillis() >= 0, "restore finished");
      assertThat(after.cacheMetrics().restoredRecords()).isEqualTo(1);
      assertThat(after.cacheMetrics().entries()).isEqualTo(1);
      publish(topics, "after-restart", uri);
      CaptionEvent hit = captions(topics, 2).stream().filter(e -> e.imageId().equals("after-restart")).findFirst()
          .orElseThrow();

      assertThat(callsAfter).hasValue(0);
      assertThat(hit.caption()).isEqualTo(computed.caption());
      assertThat(hit.cache().eventId()).isEqualTo(computed.eventId());
    }
  }

  @Test
  void aCacheTopicThatCannotBeCreatedLeavesTheServiceComputing() throws Exception {
    Topics topics = kafka.createTopics("cache-broken", 1);
    AtomicInteger calls = new AtomicInteger();
    // an illegal topic name: the brokers refuse to create it, so the instance runs without the cache
    try (CaptionPipeline p = CaptionPipeline.start(config(topics, "no-cache"),
        () -> new CountingCaptioner(calls, "test/counting"), cache("bad topic name!"))) {
      assertComputesEveryRecordWithoutTheCache(p, topics, calls);
    }
  }

  @Test
  void aCacheStoreThatCannotStartLeavesTheServiceComputing() throws Exception {
    Topics topics = kafka.createTopics("cache-unreadable", 1);
    AtomicInteger calls = new AtomicInteger();
    try (EmbeddedKafka elsewhere = EmbeddedKafka.start()) {
      // the cache topic exists on the instance's cluster, but the global store's consumer is sent to a cluster that
      // does not have it: Kafka Streams cannot start the global store, the instance starts again without the cache
      PipelineConfig unreadable = config(topics, "unreadable").withKafka(Map.of(
          "global.consumer.bootstrap.servers", elsewhere.bootstrapServers(),
          "global.consumer.allow.auto.create.topics", "false"));
      try (CaptionPipeline p = CaptionPipeline.start(unreadable,
          () -> new CountingCaptioner(calls, "test/counting"), cache(cacheTopic()))) {
        assertComputesEveryRecordWithoutTheCache(p, topics, calls);
        assertThat(p.awaitStop(Duration.ofMillis(200))).as("still running").isFalse();
      }
    }
  }
}
