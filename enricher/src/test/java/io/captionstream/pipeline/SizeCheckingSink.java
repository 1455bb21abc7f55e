package io.captionstream.pipeline;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Test sink that refuses records the way Kafka does: like the producer, a record over its {@code max.request.size}
 * (key, value, headers and framing); like a broker, whatever {@code brokerRefusal} names (e.g. a topic's
 * {@code max.message.bytes}). Accepted outcomes are kept in {@link #accepted}.
 */
final class SizeCheckingSink implements OutcomeSink {

  final InMemoryOutcomeSink accepted = new InMemoryOutcomeSink();
  private final int maxRequestBytes;
  private final Function<Outcome, RuntimeException> brokerRefusal;

  SizeCheckingSink(int maxRequestBytes, Function<Outcome, RuntimeException> brokerRefusal) {
    this.maxRequestBytes = maxRequestBytes;
    this.brokerRefusal = brokerRefusal;
  }

  SizeCheckingSink(int maxRequestBytes) {
    this(maxRequestBytes, o -> null);
  }

  @Override
  public CompletableFuture<Void> send(Outcome outcome) {
    int size = outcome.value().length + (outcome.key() == null ? 0 : outcome.key().length) + 100;
    for (var h : outcome.headers()) {
      size += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    if (size > maxRequestBytes) {
      return CompletableFuture.failedFuture(new RecordTooLargeException("The message is " + size
          + " bytes when serialized which is larger than " + maxRequestBytes + ", which is the value of the "
          + "max.request.size configuration."));
    }
    RuntimeException refusal = brokerRefusal.apply(outcome);
    if (refusal != null) {
      return CompletableFuture.failedFuture(refusal);
    }
    return accepted.send(outcome);
  }

  List<Outcome> all() {
    return accepted.all();
  }
}
