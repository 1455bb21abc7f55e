package io.captionstream.pipeline;

/**
 * Lets the stream thread commit the offsets that are safe right now, so that a full in-flight window drains
 * without waiting for Kafka Streams' next scheduled commit.
 */
@FunctionalInterface
public interface CommitGate {

  /** Commits every partition's safe offset; must be called on the stream thread that owns the consumer. */
  void commitSafeOffsets();
}
