package io.captionstream.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  @Test
  void singleNodeKraftBrokerAcceptsAndServesRecords() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
      kafka.createTopics(2, "demo-in");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(
          Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("demo-in", "k", "hello")).get();
      }
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
          Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "t", "auto.offset.reset", "earliest"),
          new StringDeserializer(), new StringDeserializer())) {
        consumer.subscribe(List.of("demo-in"));
        String got = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got == null && System.nanoTime() < deadline) {
          ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            got = records.iterator().next().value();
          }
        }
        assertThat(got).isEqualTo("hello");
      }
    }
  }
}
