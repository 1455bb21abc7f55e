package io.captionstream.pipeline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/** Gives Kafka Streams a {@link CommitGatedConsumer} as its main consumer; everything else is plain. */
final class GatedClientSupplier implements KafkaClientSupplier, CommitGate {

  private final OffsetLedger ledger;
  private final AtomicReference<CommitGatedConsumer> main = new AtomicReference<>();

  GatedClientSupplier(OffsetLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    CommitGatedConsumer consumer = new CommitGatedConsumer(config, ledger);
    main.set(consumer);
    return consumer;
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Graceful shutdown: commits wait for in-flight outcomes first. */
  void drainBeforeCommits(Duration timeout) {
    CommitGatedConsumer c = main.get();
    if (c != null) {
      c.drainBeforeCommits(timeout);
    }
  }

  @Override
  public void commitSafeOffsets() {
    CommitGatedConsumer c = main.get();
    if (c != null) {
      c.commitSafeOffsets();
    }
  }
}
