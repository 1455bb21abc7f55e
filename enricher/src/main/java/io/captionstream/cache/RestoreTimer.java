package io.captionstream.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Measures how long the cache store takes to restore from its topic at start; reports it to {@link CacheMetrics}. */
public final class RestoreTimer implements StateRestoreListener {

  private static final Logger log = LoggerFactory.getLogger(RestoreTimer.class);

  private final CacheMetrics metrics;
  private final ConcurrentHashMap<TopicPartition, Long> started = new ConcurrentHashMap<>();
  private final AtomicLong firstStart = new AtomicLong();
  private final AtomicLong restored = new AtomicLong();

  public RestoreTimer(CacheMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    if (!CacheStore.STORE.equals(storeName)) {
      return;
    }
    long now = System.nanoTime();
    started.put(partition, now);
    firstStart.compareAndSet(0, now);
  }

  @Override
  public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {}

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    if (!CacheStore.STORE.equals(storeName) || started.remove(partition) == null) {
      return;
    }
    long total = restored.addAndGet(totalRestored);
    if (started.isEmpty()) {
      long ms = (System.nanoTime() - firstStart.get()) / 1_000_000;
      metrics.restored(ms, total);
      log.info("caption cache restored: {} records from the topic in {} ms", total, ms);
    }
  }
}
