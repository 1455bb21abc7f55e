package io.captionstream.pipeline;

import java.util.concurrent.CompletableFuture;

/**
 * Where outcomes go. Production: {@link KafkaOutcomeSink} (idempotent producer, {@code acks=all}). Tests: an
 * in-memory sink. The returned future completes only once the outcome is durable (acknowledged by the brokers);
 * only then may the input offset be committed.
 */
public interface OutcomeSink extends AutoCloseable {

  CompletableFuture<Void> send(Outcome outcome);

  /** Blocks until everything sent so far is acknowledged or failed. */
  default void flush() {}

  @Override
  default void close() {}
}
