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
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
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

  private final PipelineConfig config;
  private final OffsetLedger ledger;
  private final PipelineMetrics metrics;
  private final ImageFetcher fetcher;
  private final OutcomeSink sink;
  private final CaptionCache cache;
  private final WorkerPool pool;
  private final GatedClientSupplier clients;
  private final CacheSettings cacheSettings;
  private final StateDirectory stateDir;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile KafkaStreams streams;
  private volatile boolean launched;
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
    this.cacheSettings = cacheSettings;
    this.stateDir = StateDirectory.of(config.kafka());
    this.streams = newStreams();
  }

  /** A Kafka Streams instance over the caption topology, with the cache's global store while the cache is on. */
  private KafkaStreams newStreams() {
    Duration maxBlock = Duration.ofMillis(StreamsProperties.MAX_POLL_INTERVAL_MS / 2);
    Topology topology = CaptionTopology.build(config.topics(), () -> new CaptionProcessor(pool, ledger, clients,
        maxBlock, config.commitInterval(), config.drainTimeout()));
    if (cache.isEnabled()) {
      CacheStore.addTo(topology, cacheSettings);
    }
    KafkaStreams s = new KafkaStreams(topology, StreamsProperties.of(config, stateDir.path()), clients);
    if (cache.isEnabled()) {
      s.setGlobalStateRestoreListener(new RestoreTimer(cache.metrics()));
      cache.attach(() -> CacheStore.of(s));
    }
    s.setUncaughtExceptionHandler(e -> {
      log.error("stream thread failed; shutting the instance down (uncommitted records are redelivered)", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    s.setStateListener((now, before) -> {
      log.info("streams {} -> {}", before, now);
      if (launched && s == streams && stoppedState(now)) {
        stopped.countDown();
      }
    });
    return s;
  }

  private static boolean stoppedState(KafkaStreams.State state) {
    return state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.ERROR;
  }

  /**
   * Starts Kafka Streams. When it cannot start with the cache's global store (its topic shows no partitions, or
   * cannot be read), the cache is turned off and the instance starts without it: a cache problem never stops the
   * service. Any other failure to start closes what was opened and is thrown.
   */
  private void launch() {
    try {
      try {
        streams.start();
      } catch (StreamsException e) {
        if (!cache.isEnabled()) {
          throw e;
        }
        log.warn("the caption cache's store over {} could not be started ({}); running without the cache",
            cacheSettings.topic(), e.getMessage());
        KafkaStreams failed = streams;
        cache.turnOff();
        streams = newStreams();
        failed.close(Duration.ofSeconds(30));
        streams.start();
      }
    } catch (RuntimeException e) {
      streams.close(Duration.ofSeconds(30));
      closeResources();
      throw e;
    }
    launched = true;
    if (stoppedState(streams.state())) {
      stopped.countDown();
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
    try {
      p.pool.start(Duration.ofMinutes(5));
    } catch (RuntimeException | InterruptedException e) {
      p.closeResources();
      throw e;
    }
    p.launch();
    metrics.bindKafkaStreams(p.streams);
    log.info("pipeline {} started: {} workers, window {}, topics {}", config.instanceId(), config.workers(),
        config.inFlightWindow(), config.topics());
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
