package io.captionstream.pipeline;

import io.captionstream.cache.CacheMetrics;
import io.captionstream.cache.CacheSettings;
import io.captionstream.cache.CacheStore;
import io.captionstream.cache.CaptionCache;
import io.captionstream.cache.RestoreTimer;
import io.captionstream.fetch.ImageFetcher;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.observe.EnricherMetrics;
import io.captionstream.schema.ErrorCode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service: Kafka Streams (one stream thread) feeding a {@link WorkerPool}, outcomes produced by an
 * idempotent producer, offsets committed only behind acknowledged outcomes. Start with {@link #start}, stop with
 * {@link #close} (drains, commits, leaves the group).
 */
public final class CaptionPipeline implements PipelineStatus, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CaptionPipeline.class);
  static final int MAX_POLL_INTERVAL_MS = 300_000;

  private final PipelineConfig config;
  private final OffsetLedger ledger;
  private final PipelineMetrics metrics;
  private final ImageFetcher fetcher;
  private final OutcomeSink sink;
  private final CaptionCache cache;
  private final WorkerPool pool;
  private final GatedClientSupplier clients;
  private final KafkaStreams streams;
  private final StateDirectory stateDir;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closed;

  private CaptionPipeline(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners,
      EnricherMetrics exported, CacheSettings cacheSettings) {
    this.config = config;
    this.metrics = new PipelineMetrics(exported);
    this.ledger = new OffsetLedger(config.inFlightWindow());
    this.fetcher = new ImageFetcher(config.fetchPolicy());
    KafkaOutcomeSink kafkaSink = KafkaOutcomeSink.create(config.bootstrapServers(), config.applicationId()
        + "-outcomes-" + config.instanceId(), config.kafka());
    this.sink = kafkaSink;
    this.cache = CaptionCache.forService(cacheSettings, config.bootstrapServers(), config.kafka(),
        kafkaSink.producer(), exported.registry());
    this.pool = new WorkerPool(config, captioners, fetcher, sink, ledger, metrics, Clock.systemUTC(), cache);
    this.clients = new GatedClientSupplier(ledger);
    Duration maxBlock = Duration.ofMillis(MAX_POLL_INTERVAL_MS / 2);
    this.stateDir = StateDirectory.of(config.kafka());
    Topology topology = CaptionTopology.build(config.topics(), () -> new CaptionProcessor(pool, ledger, clients,
        maxBlock, config.commitInterval(), config.drainTimeout()));
    if (cache.isEnabled()) {
      CacheStore.addTo(topology, cacheSettings);
    }
    this.streams = new KafkaStreams(topology, streamsProperties(config, stateDir.path()), clients);
    if (cache.isEnabled()) {
      streams.setGlobalStateRestoreListener(new RestoreTimer(cache.metrics()));
      cache.attach(() -> CacheStore.of(streams));
    }
  }

  /** Opens the workers' captioners, then starts consuming (no caption cache). */
  public static CaptionPipeline start(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners)
      throws InterruptedException {
    return start(config, captioners, EnricherMetrics.inMemory());
  }

  /** Like {@link #start(PipelineConfig, Supplier)} with the caption cache as {@code cache} says. */
  public static CaptionPipeline start(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners,
      CacheSettings cache) throws InterruptedException {
    return start(config, captioners, EnricherMetrics.inMemory(), cache);
  }

  /** Like {@link #start(PipelineConfig, Supplier)}, reporting to {@code metrics} (gauges and Kafka Streams bound). */
  public static CaptionPipeline start(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners,
      EnricherMetrics metrics) throws InterruptedException {
    return start(config, captioners, metrics, CacheSettings.off());
  }

  /** The service's start: reporting to {@code metrics}, with the caption cache as {@code cache} says. */
  public static CaptionPipeline start(PipelineConfig config, Supplier<? extends ImageCaptioner> captioners,
      EnricherMetrics metrics, CacheSettings cache) throws InterruptedException {
    CaptionPipeline p = new CaptionPipeline(config, captioners, metrics, cache);
    metrics.bindPipeline(p::workers, p::busyWorkers, p::inFlight);
    metrics.bindKafkaStreams(p.streams);
    try {
      p.pool.start(Duration.ofMinutes(5));
    } catch (RuntimeException | InterruptedException e) {
      p.closeResources();
      throw e;
    }
    p.streams.setUncaughtExceptionHandler(e -> {
      log.error("stream thread failed; shutting the instance down (uncommitted records are redelivered)", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    p.streams.setStateListener((now, before) -> {
      log.info("streams {} -> {}", before, now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        p.stopped.countDown();
      }
    });
    p.streams.start();
    log.info("pipeline {} started: {} workers, window {}, topics {}", config.instanceId(), config.workers(),
        config.inFlightWindow(), config.topics());
    return p;
  }

  /**
   * The Streams settings the guarantees rely on, then the user's {@code kafka.*} settings, then the few that may not
   * be overridden (processing guarantee, one stream thread, the classic group protocol).
   */
  static Properties streamsProperties(PipelineConfig config, Path stateDir) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.commitInterval().toMillis());
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), config.inFlightWindow());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), MAX_POLL_INTERVAL_MS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.putAll(config.kafka());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // with group.protocol=streams Kafka Streams 4.3 builds its main consumer itself instead of asking the
    // KafkaClientSupplier, so the commit gate would be bypassed and unacknowledged offsets committed
    p.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "classic");
    return p;
  }

  /** Blocks until the instance stops (closed, or failed); {@code true} if it stopped within the timeout. */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the instance stopped because of a failure rather than {@link #close()}. */
  public boolean failed() {
    return streams.state() == KafkaStreams.State.ERROR || ledger.failure() != null;
  }

  /** Graceful stop: the final commit waits (up to the drain timeout) for in-flight outcomes, then leaves the group. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("draining {} in-flight records (up to {})", ledger.unacknowledged(), config.drainTimeout());
    clients.drainBeforeCommits(config.drainTimeout());
    streams.close(new KafkaStreams.CloseOptions()
        .timeout(config.drainTimeout().plusSeconds(30))
        .leaveGroup(true));
    closeResources();
    stopped.countDown();
    log.info("pipeline {} stopped: {} captions, {} errors", config.instanceId(), captions(), errors());
  }

  private void closeResources() {
    pool.close();
    cache.close();
    sink.close();
    fetcher.close();
    stateDir.close(); // after streams.close(): the state directory is created per start, so it goes with the instance
  }

  /** The caption cache's counters (hits, misses, entries, restore time); all zero when the cache is off. */
  public CacheMetrics cacheMetrics() {
    return cache.metrics();
  }

  /** Whether this instance uses the caption cache. */
  public boolean cacheEnabled() {
    return cache.isEnabled();
  }

  @Override
  public String streamsState() {
    return streams.state().name();
  }

  @Override
  public boolean ready() {
    return PipelineStatus.ready(streamsState(), live(), workersLoaded());
  }

  @Override
  public boolean workersLoaded() {
    return metrics.workersAlive() == config.workers();
  }

  @Override
  public boolean live() {
    return !closed && ledger.failure() == null && streams.state() != KafkaStreams.State.ERROR
        && streams.state() != KafkaStreams.State.NOT_RUNNING;
  }

  @Override
  public int workers() {
    return config.workers();
  }

  @Override
  public int busyWorkers() {
    return metrics.busyWorkers();
  }

  @Override
  public int peakBusyWorkers() {
    return metrics.peakBusyWorkers();
  }

  @Override
  public int inFlight() {
    return ledger.unacknowledged();
  }

  @Override
  public int uncommitted() {
    return ledger.uncommitted();
  }

  @Override
  public int windowSize() {
    return ledger.windowSize();
  }

  @Override
  public long captions() {
    return metrics.captions();
  }

  @Override
  public long errors() {
    return metrics.errors();
  }

  @Override
  public Map<ErrorCode, Long> errorsByCode() {
    return metrics.errorsByCode();
  }
}
