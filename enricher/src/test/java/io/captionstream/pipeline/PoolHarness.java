package io.captionstream.pipeline;

import io.captionstream.fetch.ImageFetcher;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.schema.SourceRef;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** A {@link WorkerPool} fed directly (no stream thread), for tests of what happens to one record's outcome. */
final class PoolHarness implements AutoCloseable {

  static final Topics TOPICS = new Topics("in", "out", "err");
  private static final TopicPartition TP = new TopicPartition("in", 0);

  final OffsetLedger ledger = new OffsetLedger(64);
  private final ImageFetcher fetcher;
  private final WorkerPool pool;
  private long offset;

  PoolHarness(Supplier<? extends ImageCaptioner> captioners, OutcomeSink sink, UnaryOperator<PipelineConfig> tweak)
      throws InterruptedException {
    PipelineConfig config = tweak.apply(PipelineConfig.defaults("unused:9092").withTopics(TOPICS).withWorkers(1)
        .withInstanceId("test-instance"));
    fetcher = new ImageFetcher(config.fetchPolicy());
    pool = new WorkerPool(config, captioners, fetcher, sink, ledger, new PipelineMetrics(), Clock.systemUTC());
    pool.start(Duration.ofSeconds(20));
    ledger.open(TP);
  }

  void submit(byte[] key, byte[] value) throws InterruptedException {
    submit(key, value, new RecordHeaders());
  }

  void submit(byte[] key, byte[] value, Headers headers) throws InterruptedException {
    if (!ledger.acquire(Duration.ofSeconds(10))) {
      throw new AssertionError("window full");
    }
    long o = offset++;
    pool.submit(new Job(ledger.handOff(TP, o), new SourceRef(TP.topic(), TP.partition(), o), key, headers, value,
        System.nanoTime()));
  }

  /** Waits until every submitted record is acknowledged; false if not within the timeout. */
  boolean allAcknowledged(Duration timeout) throws InterruptedException {
    return ledger.awaitAllAcknowledged(timeout);
  }

  @Override
  public void close() {
    pool.close();
    fetcher.close();
  }
}
