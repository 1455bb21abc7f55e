package io.captionstream.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Meters of the caption cache. Prometheus names: {@code captionstream_cache_hits_total},
 * {@code captionstream_cache_misses_total}, {@code captionstream_cache_write_failures_total},
 * {@code captionstream_cache_lookup_failures_total}, {@code captionstream_cache_entries} (entries in this instance's
 * store) and {@code captionstream_cache_restore_seconds} (the last restore of the store from the topic).
 */
public final class CacheMetrics {

  private final Counter hits;
  private final Counter misses;
  private final Counter writeFailures;
  private final Counter lookupFailures;
  private final AtomicLong restoreMillis = new AtomicLong(-1);
  private final AtomicLong restoredEntries = new AtomicLong();
  private volatile LongSupplier entries = () -> 0;

  public CacheMetrics(MeterRegistry registry) {
    hits = Counter.builder("captionstream.cache.hits").description("Records answered from the caption cache")
        .register(registry);
    misses = Counter.builder("captionstream.cache.misses")
        .description("Records looked up in the caption cache and computed").register(registry);
    writeFailures = Counter.builder("captionstream.cache.write.failures")
        .description("Cache entries that could not be written (the caption itself was not affected)")
        .register(registry);
    lookupFailures = Counter.builder("captionstream.cache.lookup.failures")
        .description("Look-ups that failed and were computed instead").register(registry);
    Gauge.builder("captionstream.cache.entries", this, m -> m.entries()).description(
        "Entries in this instance's cache store").register(registry);
    Gauge.builder("captionstream.cache.restore.seconds", this, m -> Math.max(0, m.restoreMillis.get()) / 1000.0)
        .description("Duration of the last restore of the cache store from its topic").register(registry);
  }

  public static CacheMetrics inMemory() {
    return new CacheMetrics(new SimpleMeterRegistry());
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  void writeFailed() {
    writeFailures.increment();
  }

  void lookupFailed() {
    lookupFailures.increment();
  }

  void restored(long millis, long records) {
    restoreMillis.set(millis);
    restoredEntries.set(records);
  }

  void entriesFrom(LongSupplier source) {
    entries = source;
  }

  public long hits() {
    return (long) hits.count();
  }

  public long misses() {
    return (long) misses.count();
  }

  public long writeFailures() {
    return (long) writeFailures.count();
  }

  public long lookupFailures() {
    return (long) lookupFailures.count();
  }

  public long entries() {
    try {
      return entries.getAsLong();
    } catch (RuntimeException e) {
      return 0; // the store is not open (yet or any more)
    }
  }

  /** Milliseconds of the last restore from the topic, {@code -1} before the first one ended. */
  public long restoreMillis() {
    return restoreMillis.get();
  }

  /** Records read from the topic by the last restore. */
  public long restoredRecords() {
    return restoredEntries.get();
  }
}
