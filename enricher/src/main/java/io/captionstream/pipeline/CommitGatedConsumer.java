package io.captionstream.pipeline;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main consumer of the stream thread, with every offset commit passed through the {@link OffsetLedger}: an
 * offset is lowered to the first record whose outcome is not yet acknowledged. This is the only place Kafka Streams
 * 4.3 commits input offsets ({@code TaskManager} calls {@code commitSync(Map)} for scheduled commits, commits
 * before a rebalance and on shutdown), so no commit path can pass an unacknowledged outcome.
 * While the pipeline drains for shutdown, a commit first waits (bounded) for the in-flight outcomes.
 */
final class CommitGatedConsumer extends KafkaConsumer<byte[], byte[]> implements CommitGate {

  private static final Logger log = LoggerFactory.getLogger(CommitGatedConsumer.class);

  private final OffsetLedger ledger;
  private volatile Duration drainWait = Duration.ZERO;

  CommitGatedConsumer(Map<String, Object> config, OffsetLedger ledger) {
    super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.ledger = ledger;
  }

  /** From now on every commit first waits up to {@code timeout} for in-flight outcomes (graceful shutdown). */
  void drainBeforeCommits(Duration timeout) {
    drainWait = timeout;
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    commitSync(offsets, null);
  }

  @Override
  public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
    Map<TopicPartition, OffsetAndMetadata> safe = gate(offsets);
    if (safe.isEmpty()) {
      return;
    }
    if (timeout == null) {
      super.commitSync(safe);
    } else {
      super.commitSync(safe, timeout);
    }
    ledger.committed(safe);
  }

  @Override
  public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
    Map<TopicPartition, OffsetAndMetadata> safe = gate(offsets);
    super.commitAsync(safe, (committed, error) -> {
      if (error == null) {
        ledger.committed(committed);
      }
      if (callback != null) {
        callback.onComplete(committed, error);
      }
    });
  }

  private Map<TopicPartition, OffsetAndMetadata> gate(Map<TopicPartition, OffsetAndMetadata> requested) {
    Duration wait = drainWait;
    if (!wait.isZero()) {
      try {
        if (!ledger.awaitAllAcknowledged(wait)) {
          log.warn("drain timeout {}: {} outcomes still in flight stay uncommitted", wait, ledger.unacknowledged());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Map<TopicPartition, OffsetAndMetadata> safe = ledger.clamp(requested);
    if (log.isDebugEnabled()) {
      log.debug("commit requested {} -> committing {}", requested, safe);
    }
    return safe;
  }

  /** Commits what is safe now, from inside {@code process()} when the window is full; failures are left to Streams. */
  @Override
  public void commitSafeOffsets() {
    Map<TopicPartition, OffsetAndMetadata> now = ledger.committableNow();
    if (now.isEmpty()) {
      return;
    }
    try {
      super.commitSync(now, Duration.ofSeconds(10));
      ledger.committed(now);
    } catch (KafkaException e) {
      // a rebalance in progress, or a partition no longer assigned while its task closes: Streams' own commits and
      // the new owner take over; correctness never depends on this early commit
      log.debug("early commit skipped: {}", e.toString());
    }
  }
}
