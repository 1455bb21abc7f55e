package io.captionstream.pipeline;

import io.captionstream.cache.CacheStore;
import io.captionstream.cache.CaptionCache;
import io.captionstream.cache.CacheSettings;
import io.captionstream.fetch.ImageFetcher;
import io.captionstream.generate.ImageCaptioner;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The caption topology under a TopologyTestDriver, fed by a started {@link WorkerPool}: what the topology tests
 * share. The commit gate commits what the ledger allows at once; the processor waits up to {@link #WAIT} for room in
 * the window, commits every 100 ms of driver wall-clock time, and drains up to {@link #WAIT}. Close it after each
 * test (driver, then pool, then fetcher).
 */
final class TopologyHarness implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final Topics TOPICS = new Topics("in", "out", "err");

  private final ImageFetcher fetcher;
  private final WorkerPool pool;
  private final TopologyTestDriver driver;

  /**
   * @param cache    {@code null}, or the cache whose global store ({@code cacheSettings}) joins the topology; it is
   *                 attached to the driver's store
   */
  private TopologyHarness(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners, OutcomeSink sink,
      OffsetLedger ledger, PipelineMetrics metrics, CaptionCache cache, CacheSettings cacheSettings)
      throws Exception {
    fetcher = new ImageFetcher(config.fetchPolicy());
    WorkerPool started = null;
    TopologyTestDriver d = null;
    try {
      started = cache == null
          ? new WorkerPool(config, captioners, fetcher, sink, ledger, metrics, Clock.systemUTC())
          : new WorkerPool(config, captioners, fetcher, sink, ledger, metrics, Clock.systemUTC(), cache);
      started.start(WAIT);
      WorkerPool p = started;
      CommitGate gate = () -> ledger.committed(ledger.committableNow());
      Topology topology = CaptionTopology.build(config.topics(),
          () -> new CaptionProcessor(p, ledger, gate, WAIT, Duration.ofMillis(100), WAIT));
      if (cache != null) {
        CacheStore.addTo(topology, cacheSettings);
      }
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      d = new TopologyTestDriver(topology, props);
    } catch (Exception | Error e) {
      if (started != null) {
        started.close();
      }
      fetcher.close();
      throw e;
    }
    pool = started;
    driver = d;
  }

  /** The topology without the caption cache. */
  static TopologyHarness start(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners,
      OutcomeSink sink, OffsetLedger ledger, PipelineMetrics metrics) throws Exception {
    return new TopologyHarness(config, captioners, sink, ledger, metrics, null, null);
  }

  /** The topology with the caption cache's global store over {@code settings.topic()}. */
  static TopologyHarness startWithCache(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners,
      OutcomeSink sink, OffsetLedger ledger, CaptionCache cache, CacheSettings settings) throws Exception {
    return new TopologyHarness(config, captioners, sink, ledger, new PipelineMetrics(), cache, settings);
  }

  /** A test input topic of raw bytes. */
  TestInputTopic<byte[], byte[]> input(String topic) {
    return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
  }

  TopologyTestDriver driver() {
    return driver;
  }

  WorkerPool pool() {
    return pool;
  }

  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      pool.close();
      fetcher.close();
    }
  }
}
