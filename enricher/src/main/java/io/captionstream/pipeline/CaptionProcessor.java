package io.captionstream.pipeline;

import io.captionstream.schema.SourceRef;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on the stream thread: takes an in-flight window permit, records the hand-off in the {@link OffsetLedger}
 * and gives the record to the {@link WorkerPool}. It never forwards: outcomes are produced by the workers' own
 * producer, and the ledger keeps Kafka Streams from committing an offset before its outcome is acknowledged.
 */
final class CaptionProcessor implements Processor<byte[], byte[], Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(CaptionProcessor.class);
  private static final Duration POLL = Duration.ofMillis(50);

  private final WorkerPool pool;
  private final OffsetLedger ledger;
  private final CommitGate gate;
  private final Duration maxBlock;
  private final Duration commitInterval;
  private final Duration closeWait;
  private ProcessorContext<Void, Void> context;
  private TopicPartition partition;

  /**
   * @param maxBlock       longest wait in {@code process()} for a window permit (below {@code max.poll.interval.ms})
   * @param commitInterval how often acknowledged work is committed even when no new records arrive
   * @param closeWait      how long closing the task (shutdown, revocation) waits for its in-flight outcomes
   */
  CaptionProcessor(WorkerPool pool, OffsetLedger ledger, CommitGate gate, Duration maxBlock, Duration commitInterval,
      Duration closeWait) {
    this.pool = pool;
    this.ledger = ledger;
    this.gate = gate;
    this.maxBlock = maxBlock;
    this.commitInterval = commitInterval;
    this.closeWait = closeWait;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    // Streams only commits a task after it processed something new; a commit it made while outcomes were still in
    // flight was lowered by the gate, so the tail of a quiet partition is committed from here.
    // It also notices a failed outcome while the input is quiet: the instance stops (the record is redelivered)
    // instead of running on, not live, until the next record arrives.
    context.schedule(commitInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
      gate.commitSafeOffsets();
      failIfBroken();
    });
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata md = context.recordMetadata()
        .orElseThrow(() -> new IllegalStateException("caption processor needs source records"));
    TopicPartition tp = new TopicPartition(md.topic(), md.partition());
    if (!tp.equals(partition)) {
      partition = tp;
      ledger.open(tp);
    }
    awaitWindow();
    OffsetLedger.Ticket ticket = ledger.handOff(tp, md.offset());
    SourceRef source = new SourceRef(md.topic(), md.partition(), md.offset());
    pool.submit(new Job(ticket, source, record.key(), new RecordHeaders(record.headers().toArray()), record.value(),
        System.nanoTime()));
  }

  /** Blocks while the window is full, committing what is safe so the window can drain; bounded by maxBlock. */
  private void awaitWindow() {
    long deadline = System.nanoTime() + maxBlock.toNanos();
    try {
      while (!ledger.acquire(POLL)) {
        failIfBroken();
        gate.commitSafeOffsets();
        if (System.nanoTime() > deadline) {
          throw new StreamsException("in-flight window stayed full for " + maxBlock + "; workers are stuck");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StreamsException("interrupted while waiting for the in-flight window", e);
    }
    failIfBroken();
  }

  private void failIfBroken() {
    Throwable failure = ledger.failure();
    if (failure != null) {
      throw new StreamsException("an outcome could not be produced; stopping without committing it", failure);
    }
  }

  @Override
  public void close() {
    if (partition == null) {
      return;
    }
    try {
      if (!ledger.awaitAcknowledged(partition, closeWait)) {
        log.warn("closing {} with outcomes still in flight; they stay uncommitted and are redelivered", partition);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gate.commitSafeOffsets();
    log.debug("task of {} closed, {} records uncommitted", partition, ledger.uncommitted());
    ledger.forget(partition);
  }
}
