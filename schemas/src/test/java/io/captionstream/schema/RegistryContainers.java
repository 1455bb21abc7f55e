package io.captionstream.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/** The containers of the ITs (upstream image names; offline they come from /work/shared/offline-images). */
final class RegistryContainers {

  static final String APICURIO_IMAGE = "apicurio/apicurio-registry:3.3.3";
  static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

  private RegistryContainers() {}

  @SuppressWarnings("resource")
  static GenericContainer<?> apicurio() {
    return new GenericContainer<>(APICURIO_IMAGE)
        .withExposedPorts(8080, 9000)
        .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(2)));
  }

  static KafkaContainer kafka() {
    return new KafkaContainer(KAFKA_IMAGE);
  }

  /** Base URL of the Confluent-compatible API of a running Apicurio container. */
  static String ccompatUrl(GenericContainer<?> apicurio) {
    return "http://" + apicurio.getHost() + ":" + apicurio.getMappedPort(8080) + "/apis/ccompat/v7";
  }

  /** Base URL of Apicurio's own v3 API. */
  static String nativeUrl(GenericContainer<?> apicurio) {
    return "http://" + apicurio.getHost() + ":" + apicurio.getMappedPort(8080) + "/apis/registry/v3";
  }

  static Map<String, Object> registryConfig(GenericContainer<?> apicurio) {
    Map<String, Object> config = new HashMap<>();
    config.put(EventSerdeConfig.SERDE_MODE, "registry");
    config.put(EventSerdeConfig.SCHEMA_REGISTRY_URL, ccompatUrl(apicurio));
    return config;
  }

  /** Writes raw record values to a topic and waits for the broker's acks. */
  static void produce(KafkaContainer kafka, String topic, List<byte[]> values) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>(topic, v)).get();
      }
    }
  }

  /** Reads {@code count} raw record values of a topic from the beginning. */
  static List<byte[]> consume(KafkaContainer kafka, String topic, int count) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic + "-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<byte[]> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    if (values.size() < count) {
      throw new AssertionError("expected " + count + " records on " + topic + ", got " + values.size());
    }
    return values;
  }
}
