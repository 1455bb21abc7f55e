package io.captionstream.tools;

import io.captionstream.schema.EventSchema;
import io.captionstream.schema.EventSerde;
import io.captionstream.schema.EventSerdeConfig;
import io.captionstream.schema.EventSerdes;
import io.captionstream.schema.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@link ImageReference} events (key = image id), idempotently, in the wire format the {@code kafka.*}
 * settings select (plain JSON, or schema-registry framing with {@code serde.mode}/{@code schema.registry.url}).
 */
public final class ImagePublisher implements AutoCloseable {

  private final KafkaProducer<byte[], byte[]> producer;
  private final EventSerde<ImageReference> serde;

  public ImagePublisher(String bootstrapServers, Map<String, String> kafka) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    p.putAll(kafka);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    serde = new EventSerdes(EventSerdeConfig.from(kafka)).forValues(EventSchema.IMAGE_REFERENCE);
  }

  /** Sends every reference and waits for all acknowledgements; {@code progress} gets the count acknowledged so far. */
  public void publish(String topic, List<ImageReference> refs, IntConsumer progress) throws Exception {
    List<Future<RecordMetadata>> sent = refs.stream()
        .map(r -> producer.send(new ProducerRecord<>(topic, r.id().getBytes(StandardCharsets.UTF_8),
        serde.serialize(topic, r))))
        .toList();
    producer.flush();
    int done = 0;
    for (Future<RecordMetadata> f : sent) {
      f.get();
      progress.accept(++done);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
