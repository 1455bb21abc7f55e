package io.captionstream.tools;

import io.captionstream.pipeline.EventCodec;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads captions and errors from the output and error topics without joining a consumer group (every partition
 * assigned; nothing committed), from the beginning or from the current end.
 */
public final class OutcomeReader implements AutoCloseable {

  /**
   * One record of either topic: exactly one of {@code caption}, {@code error} and {@code unreadable} (why the value
   * could not be read as its topic's event) is set; {@code raw} is the value.
   */
  public record Outcome(String topic, CaptionEvent caption, CaptionError error, String unreadable, byte[] raw) {

    /** The image the outcome belongs to, or {@code null} for an unreadable record. */
    public String imageId() {
      return caption != null ? caption.imageId() : error != null ? error.imageId() : null;
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final EventCodec codec;
  private final String outputTopic;

  public OutcomeReader(String bootstrapServers, Map<String, String> kafka, String outputTopic, String errorTopic,
      boolean fromBeginning) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putAll(kafka);
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.outputTopic = outputTopic;
    this.codec = EventCodec.from(kafka);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(outputTopic, errorTopic)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
    }
    consumer.assign(partitions);
    if (fromBeginning) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // fix the start now, before anything is produced
    }
  }

  public List<Outcome> poll(Duration timeout) {
    List<Outcome> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      try {
        if (r.topic().equals(outputTopic)) {
          out.add(new Outcome(r.topic(), codec.readCaption(r.topic(), r.value()), null, null, r.value()));
        } else {
          out.add(new Outcome(r.topic(), null, codec.readError(r.topic(), r.value()), null, r.value()));
        }
      } catch (SerializationException e) { // someone else's bytes on our topics must not stop the reader
        String why = r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage();
        out.add(new Outcome(r.topic(), null, null, why, r.value()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
