package io.captionstream.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces outcomes with the workers' own idempotent producer: {@code acks=all}, idempotence on, bounded timeouts. */
public final class KafkaOutcomeSink implements OutcomeSink {

  private final Producer<byte[], byte[]> producer;

  public KafkaOutcomeSink(Producer<byte[], byte[]> producer) {
    this.producer = producer;
  }

  /** The producer settings the guarantees depend on; {@code overrides} are the user's {@code kafka.*} settings. */
  public static Map<String, Object> producerConfig(String bootstrap, String clientId, Map<String, String> overrides) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // a send either succeeds or fails within 2 minutes; a failure stops the service, the record stays uncommitted
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (ProducerConfig.configNames().contains(e.getKey())) {
        c.put(e.getKey(), e.getValue());
      }
    }
    c.put(ProducerConfig.ACKS_CONFIG, "all"); // not overridable: the commit gate relies on it
    return c;
  }

  public static KafkaOutcomeSink create(String bootstrap, String clientId, Map<String, String> overrides) {
    return new KafkaOutcomeSink(new KafkaProducer<>(producerConfig(bootstrap, clientId, overrides),
        new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /** The producer, shared with the caption cache's writer (entries go out with the outcomes' settings). */
  public Producer<byte[], byte[]> producer() {
    return producer;
  }

  @Override
  public CompletableFuture<Void> send(Outcome outcome) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(outcome.topic(), null, outcome.key(), outcome.value(), outcome.headers());
    try {
      producer.send(record, (metadata, error) -> {
        if (error == null) {
          acked.complete(null);
        } else {
          acked.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      acked.completeExceptionally(e);
    }
    return acked;
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
