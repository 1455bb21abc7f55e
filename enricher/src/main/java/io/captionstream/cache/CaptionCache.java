package io.captionstream.cache;

import io.captionstream.generate.CaptionOptions;
import io.captionstream.schema.ImageReference;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's view of the caption cache; thread-safe (fetch threads look up, workers remember). Every failure of
 * the cache degrades to computing: a look-up that fails is a miss, a write that fails is logged and counted, nothing
 * here ever becomes an error event or delays an outcome. Look-ups read this instance's own recent writes first, then
 * the global store restored from and kept up to date with the cache topic.
 */
public final class CaptionCache implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CaptionCache.class);
  /** Own writes kept for read-your-writes until the global store has them (it usually does within milliseconds). */
  static final int RECENT_CAPACITY = 10_000;
  static final int WRITE_QUEUE = 1_000;

  private final boolean enabled;
  private final CacheWriter writer;
  private final CacheMetrics metrics;
  private final RecentEntries recent;
  private final ThreadPoolExecutor writes;
  private volatile Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> storeSource;
  private volatile ReadOnlyKeyValueStore<Bytes, byte[]> store;
  private volatile ModelIdentity model;
  private volatile boolean modelsDisagree;
  private volatile boolean turnedOff;

  private CaptionCache(boolean enabled, CacheWriter writer, CacheMetrics metrics, int maxEntries) {
    this.enabled = enabled;
    this.writer = writer;
    this.metrics = metrics;
    this.recent = new RecentEntries(Math.min(maxEntries, RECENT_CAPACITY));
    this.writes = enabled ? new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(WRITE_QUEUE), r -> {
          Thread t = new Thread(r, "cache-writer");
          t.setDaemon(true);
          return t;
        }) : null;
  }

  /** A cache that is never used: every record is computed. */
  public static CaptionCache disabled() {
    return new CaptionCache(false, (k, v) -> null, CacheMetrics.inMemory(), 1);
  }

  /** A cache writing entries through {@code writer}; look-ups see nothing but own writes until {@link #attach}. */
  public static CaptionCache enabled(CacheSettings settings, CacheWriter writer, CacheMetrics metrics) {
    return new CaptionCache(true, Objects.requireNonNull(writer, "writer"), metrics, settings.maxEntries());
  }

  /**
   * The service's cache: when {@code settings} enable it and its topic exists or can be created, entries are written
   * with {@code producer} (the outcomes' producer) and metrics go to {@code registry}; otherwise a disabled cache.
   */
  public static CaptionCache forService(CacheSettings settings, String bootstrapServers, Map<String, String> kafka,
      Producer<byte[], byte[]> producer, MeterRegistry registry) {
    if (!settings.enabled()) {
      log.info("caption cache off (cache.enabled=false)");
      return disabled();
    }
    if (!CacheTopic.ensure(bootstrapServers, kafka, settings.topic())) {
      return disabled();
    }
    log.info("caption cache on: topic {}, up to {} entries in memory", settings.topic(), settings.maxEntries());
    return enabled(settings, new KafkaCacheWriter(producer, settings.topic()), new CacheMetrics(registry));
  }

  public boolean isEnabled() {
    return enabled && !modelsDisagree && !turnedOff;
  }

  /**
   * Stops using the cache for the rest of this instance's life: no more look-ups or writes (the pipeline calls it
   * when the cache's global store cannot be started, and runs on without it).
   */
  public void turnOff() {
    turnedOff = true;
    storeSource = null;
    store = null;
  }

  public CacheMetrics metrics() {
    return metrics;
  }

  /** Connects the global store (resolved lazily; a source that is not ready yet makes look-ups misses). */
  public void attach(Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> source) {
    this.storeSource = source;
    metrics.entriesFrom(() -> {
      ReadOnlyKeyValueStore<Bytes, byte[]> s = store();
      return s == null ? 0 : s.approximateNumEntries();
    });
  }

  /** Called by each worker once its captioner is open; workers of one pipeline share one model. */
  public void modelOpened(ModelIdentity identity) {
    synchronized (this) {
      if (model == null) {
        model = identity;
      } else if (!model.equals(identity) && !modelsDisagree) {
        modelsDisagree = true;
        log.warn("workers report different models ({} and {}); caption cache off", model, identity);
      }
    }
  }

  /**
   * The key of this record's caption, or empty when the record is not cached: cache off, the record opted out
   * ({@code "cache": false}), no model known yet, or options the engine would refuse anyway.
   */
  public Optional<CacheKey> keyFor(byte[] image, ImageReference ref, Supplier<CaptionOptions> options) {
    ModelIdentity m = model;
    if (!isEnabled() || m == null || !ref.cacheAllowed()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CacheKey.of(image, m, options.get()));
    } catch (RuntimeException e) {
      return Optional.empty(); // the engine reports what is wrong with the options
    }
  }

  /** The entry of {@code key}, counting a hit or a miss; a store that cannot be read is a miss. */
  public Optional<CacheEntry> lookup(CacheKey key) {
    byte[] value = recent.get(key);
    if (value == null) {
      value = fromStore(key);
    }
    Optional<CacheEntry> entry = CacheEntry.parse(value);
    if (entry.isPresent()) {
      metrics.hit();
    } else {
      metrics.miss();
    }
    return entry;
  }

  private byte[] fromStore(CacheKey key) {
    ReadOnlyKeyValueStore<Bytes, byte[]> s = store();
    if (s == null) {
      return null;
    }
    try {
      return s.get(Bytes.wrap(key.bytes()));
    } catch (RuntimeException e) {
      metrics.lookupFailed();
      store = null; // resolved again next time (the instance may be restoring or restarting its global thread)
      log.debug("cache look-up failed; computing instead: {}", e.toString());
      return null;
    }
  }

  private ReadOnlyKeyValueStore<Bytes, byte[]> store() {
    ReadOnlyKeyValueStore<Bytes, byte[]> s = store;
    Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> source = storeSource;
    if (s == null && source != null) {
      try {
        s = source.get();
        store = s;
      } catch (RuntimeException e) {
        return null; // not running yet
      }
    }
    return s;
  }

  /**
   * Stores the entry of a caption just computed: visible to this instance at once, written to the topic in the
   * background. Never blocks; a full write queue or a failed write is counted and logged, nothing else.
   */
  public void remember(CacheKey key, CacheEntry entry) {
    if (!isEnabled()) {
      return;
    }
    byte[] value;
    try {
      value = entry.toBytes();
    } catch (RuntimeException e) {
      writeFailed(key, e);
      return;
    }
    if (value.length > CacheEntry.MAX_BYTES) {
      log.debug("cache entry {} is {} bytes, over the {} byte bound; not cached", key.hex(), value.length,
          CacheEntry.MAX_BYTES);
      return;
    }
    recent.put(key, value);
    try {
      writes.execute(() -> send(key, value));
    } catch (RejectedExecutionException e) {
      writeFailed(key, e);
    }
  }

  private void send(CacheKey key, byte[] value) {
    try {
      writer.write(key.bytes(), value).whenComplete((ok, error) -> {
        if (error != null) {
          writeFailed(key, error);
        }
      });
    } catch (RuntimeException e) {
      writeFailed(key, e);
    }
  }

  private void writeFailed(CacheKey key, Throwable error) {
    metrics.writeFailed();
    log.warn("cache entry {} not written (the caption is unaffected): {}", key.hex(), error.toString());
  }

  /** Lets queued writes go out for up to {@code millis}, then stops the writer. */
  public void close(long millis) {
    if (writes == null) {
      return;
    }
    writes.shutdown();
    try {
      writes.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writes.shutdownNow();
  }

  @Override
  public void close() {
    close(5_000);
  }
}
