package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.cache.CacheEntry;
import io.captionstream.cache.CacheKey;
import io.captionstream.cache.CacheMetrics;
import io.captionstream.cache.CacheSettings;
import io.captionstream.cache.CacheStore;
import io.captionstream.cache.CacheWriter;
import io.captionstream.cache.CaptionCache;
import io.captionstream.cache.ModelIdentity;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.EngineTimings;
import io.captionstream.image.SamplePictures;
import io.captionstream.schema.CaptionEvent;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The caption cache in the topology: hits after fetch, misses computed, what the key depends on, the opt-out. */
class CaptionCacheTopologyTest {

  private static final Duration WAIT = TopologyHarness.WAIT;
  private static final Topics TOPICS = TopologyHarness.TOPICS;
  private static final CacheSettings SETTINGS = new CacheSettings(true, "cache", 1000);
  private static final String MODEL = "test/counting";
  private static final byte[] IMAGE = SamplePictures.solidPng(6, 4, Color.ORANGE);
  private static final String IMAGE_URI = TestImages.dataUri(IMAGE);

  private final EventCodec codec = new EventCodec();
  private final InMemoryOutcomeSink sink = new InMemoryOutcomeSink();
  private final OffsetLedger ledger = new OffsetLedger(8);
  private final AtomicInteger engineCalls = new AtomicInteger();
  private final Map<String, byte[]> written = new ConcurrentHashMap<>();
  private final CacheMetrics cacheMetrics = CacheMetrics.inMemory();
  private CacheWriter writer = (k, v) -> {
    written.put(new String(k, StandardCharsets.US_ASCII), v);
    return CompletableFuture.completedFuture(null);
  };
  private Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> store;
  private TopologyHarness harness;
  private CaptionCache cache;
  private TestInputTopic<byte[], byte[]> input;
  private TestInputTopic<byte[], byte[]> cacheTopic;

  private void start() throws Exception {
    PipelineConfig config = PipelineConfig.defaults("unused:9092").withTopics(TOPICS).withWorkers(1)
        .withInstanceId("test-instance");
    cache = CaptionCache.enabled(SETTINGS, writer, cacheMetrics);
    harness = TopologyHarness.startWithCache(config, () -> new CountingCaptioner(engineCalls, MODEL), sink, ledger,
        cache, SETTINGS);
    cache.attach(store != null ? store : () -> harness.driver().getKeyValueStore(CacheStore.STORE));
    input = harness.input("in");
    cacheTopic = harness.input(SETTINGS.topic());
  }

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
    if (cache != null) {
      cache.close();
    }
  }

  private void send(String json) {
    input.pipeInput("k".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
  }

  private static String ref(String id, String extra) {
    return "{\"id\":\"" + id + "\",\"uri\":\"" + IMAGE_URI + "\"" + extra + "}";
  }

  private CaptionEvent caption(int index, int expectedOutcomes) throws InterruptedException {
    Outcome o = sink.awaitCount(expectedOutcomes, WAIT).get(index);
    assertThat(o.topic()).isEqualTo("out");
    return codec.readCaption(o.topic(), o.value());
  }

  /** The key of {@link #IMAGE} with default options, as the counting engine of {@code model} computes it. */
  private static CacheKey keyOf(String model) {
    return CacheKey.of(IMAGE, new ModelIdentity(model, "none", "fingerprint-of-" + model), CaptionOptions.defaults());
  }

  private static CacheEntry entry(String model, String caption, String eventId) {
    return new CacheEntry(1, caption, model, "none", 10, 8, 3, new EngineTimings(1, 2, 3, 4, 5, 6, 21), eventId,
        Instant.parse("2026-12-01T00:00:00Z"));
  }

  /** Entries are written by the cache's own writer thread, shortly after the outcome. */
  private void awaitWritten(int n) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (written.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(written).hasSize(n);
  }

  @Test
  void aRepeatedImageIsAnsweredFromTheCacheWithTheSameCaptionAndNoEngineCall() throws Exception {
    start();
    send(ref("first", ""));
    CaptionEvent computed = caption(0, 1);
    send(ref("second", ",\"attributes\":{\"round\":\"2\"}"));
    CaptionEvent hit = caption(1, 2);

    assertThat(engineCalls).hasValue(1);
    assertThat(computed.cache()).isNull();
    assertThat(hit.caption()).isEqualTo(computed.caption());
    assertThat(hit.imageId()).isEqualTo("second");
    assertThat(hit.eventId()).isEqualTo("in-0-1");
    assertThat(hit.attributes()).containsEntry("round", "2");
    assertThat(hit.tokens()).isEqualTo(computed.tokens());
    assertThat(hit.model()).isEqualTo(computed.model());
    assertThat(hit.cache().hit()).isTrue();
    assertThat(hit.cache().eventId()).isEqualTo(computed.eventId());
    assertThat(hit.cache().createdAt()).isEqualTo(computed.createdAt());
    assertThat(hit.cache().savedMs()).isGreaterThan(0);
    assertThat(hit.worker()).isEqualTo("cache");
    assertThat(hit.timingsMs().vision()).isZero();
    assertThat(hit.timingsMs().total()).isGreaterThanOrEqualTo(hit.timingsMs().fetch());
    assertThat(cacheMetrics.hits()).isEqualTo(1);
    assertThat(cacheMetrics.misses()).isEqualTo(1);
    awaitWritten(1);
    // the hit went through the commit gate like any outcome: both offsets acknowledged and committable
    assertThat(ledger.awaitAllAcknowledged(WAIT)).isTrue();
    assertThat(ledger.committableNow().values()).singleElement()
        .satisfies(om -> assertThat(om.offset()).isEqualTo(2));
  }

  @Test
  void anEntryAnotherInstanceWroteToTheTopicServesThisInstance() throws Exception {
    start();
    cacheTopic.pipeInput(keyOf(MODEL).bytes(), entry(MODEL, "written by another instance", "in-7-70").toBytes());

    send(ref("img", ""));
    CaptionEvent hit = caption(0, 1);

    assertThat(engineCalls).hasValue(0);
    assertThat(hit.caption()).isEqualTo("written by another instance");
    assertThat(hit.cache().eventId()).isEqualTo("in-7-70");
    assertThat(hit.cache().savedMs()).isEqualTo(21);
    assertThat(written).isEmpty();
  }

  @Test
  void aDifferentImageIsAMissComputedByTheEngine() throws Exception {
    start();
    send(ref("a", ""));
    caption(0, 1);
    send("{\"id\":\"b\",\"uri\":\"" + TestImages.pngDataUri(6, 4, Color.BLUE) + "\"}");
    CaptionEvent other = caption(1, 2);

    assertThat(engineCalls).hasValue(2);
    assertThat(other.cache()).isNull();
    assertThat(other.caption()).contains("#0000ff");
    awaitWritten(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {",\"prompt\":\"What colour is it?\"", ",\"maxNewTokens\":3", ",\"longestEdge\":256"})
  void everyRequestInputOfTheKeyKeepsEntriesApart(String differingField) throws Exception {
    start();
    send(ref("plain", ""));
    caption(0, 1);
    send(ref("different", differingField));
    CaptionEvent second = caption(1, 2);

    assertThat(engineCalls).hasValue(2);
    assertThat(second.cache()).isNull();
  }

  @Test
  void thePromptIsKeyedAfterDefaulting() throws Exception {
    start();
    send(ref("no-prompt", ""));
    caption(0, 1);
    send(ref("default-prompt", ",\"prompt\":\"" + CaptionOptions.DEFAULT_PROMPT + "\""));
    CaptionEvent second = caption(1, 2);

    assertThat(engineCalls).hasValue(1);
    assertThat(second.cache().hit()).isTrue();
  }

  @Test
  void anEntryOfAnotherModelIsNotServed() throws Exception {
    start();
    cacheTopic.pipeInput(keyOf("test/other").bytes(), entry("test/other", "other model's caption", "x-0-0").toBytes());
    send(ref("img", ""));

    assertThat(caption(0, 1).caption()).doesNotContain("other model");
    assertThat(engineCalls).hasValue(1);
  }

  @Test
  void aRecordThatOptsOutIsNeitherServedNorStored() throws Exception {
    start();
    send(ref("cached", ""));
    caption(0, 1);
    send(ref("opted-out", ",\"cache\":false"));
    CaptionEvent optedOut = caption(1, 2);

    assertThat(engineCalls).hasValue(2);
    assertThat(optedOut.cache()).isNull();
    awaitWritten(1);
  }

  @Test
  void aStoreThatCannotBeReadDegradesToComputingWithoutErrors() throws Exception {
    store = () -> {
      throw new InvalidStateStoreException("store is restoring");
    };
    start();
    send(ref("a", ""));
    caption(0, 1);

    assertThat(engineCalls).hasValue(1);
    assertThat(sink.all()).noneMatch(Outcome::isError);
  }

  @Test
  void aFailingCacheWriteIsCountedAndTheCaptionStillGoesOut() throws Exception {
    writer = (k, v) -> CompletableFuture.failedFuture(new TimeoutException("down"));
    start();
    send(ref("a", ""));
    CaptionEvent e = caption(0, 1);

    assertThat(e.caption()).isNotBlank();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (cacheMetrics.writeFailures() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(cacheMetrics.writeFailures()).isEqualTo(1);
    assertThat(ledger.awaitAllAcknowledged(WAIT)).isTrue();
    assertThat(sink.all()).noneMatch(Outcome::isError);
  }

  @Test
  void theStoreFollowsTheTopicIncludingTombstones() throws Exception {
    start();
    CacheKey key = keyOf(MODEL);
    cacheTopic.pipeInput(key.bytes(), entry(MODEL, "stale", "x-0-0").toBytes());
    cacheTopic.pipeInput(key.bytes(), (byte[]) null);
    send(ref("img", ""));

    assertThat(caption(0, 1).caption()).isNotEqualTo("stale");
    assertThat(engineCalls).hasValue(1);
    awaitWritten(1);
    assertThat(List.copyOf(written.keySet())).containsExactly(key.hex());
  }
}
