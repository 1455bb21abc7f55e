package io.captionstream.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topic creation, producing inputs and reading outcomes back for the ITs against a real broker. */
final class KafkaTopicsSupport {

  private final String bootstrap;

  KafkaTopicsSupport(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Fresh, uniquely named topics so ITs sharing a broker never see each other's records. */
  Topics createTopics(String prefix, int inputPartitions) throws Exception {
    return createTopics(prefix, inputPartitions, Map.of());
  }

  /** Like {@link #createTopics(String, int)}, the error topic with its own configs (e.g. max.message.bytes). */
  Topics createTopics(String prefix, int inputPartitions, Map<String, String> errorTopicConfigs) throws Exception {
    String tag = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Topics topics = new Topics(tag + "-images", tag + "-captions", tag + "-errors");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(
          new NewTopic(topics.input(), inputPartitions, (short) 1),
          new NewTopic(topics.output(), 3, (short) 1),
          new NewTopic(topics.errors(), 1, (short) 1).configs(errorTopicConfigs))).all().get();
    }
    return topics;
  }

  /**
   * Produces {@code key -> value} records in order and fails unless every one was acknowledged. Not idempotent, one
   * request in flight: right after a topic is created the broker may answer NOT_LEADER_OR_FOLLOWER, and an idempotent
   * producer then saw OUT_OF_ORDER_SEQUENCE_NUMBER on later batches and dropped them, so a test counted inputs that
   * never reached the topic as lost.
   */
  void produce(String topic, Map<String, String> records) throws Exception {
    Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (var p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (var e : records.entrySet()) {
        sent.add(p.send(new ProducerRecord<>(topic, bytes(e.getKey()), bytes(e.getValue()))));
      }
      p.flush();
      for (Future<RecordMetadata> f : sent) {
        f.get(); // throws when a record was not written
      }
    }
  }

  /** Produces the corpus cases, keyed by name, values as raw bytes (null for a tombstone). */
  void produceBytes(String topic, List<HostileCorpus.Case> cases) throws Exception {
    Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5);
    try (var p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (HostileCorpus.Case k : cases) {
        p.send(new ProducerRecord<>(topic, bytes(k.name()), k.value())).get();
      }
    }
  }

  /** Reads a topic from the beginning until {@code done} holds for everything read so far, or the timeout. */
  List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout) {
    return readUntil(Set.of(topic), done, timeout);
  }

  List<ConsumerRecord<byte[], byte[]>> readUntil(Set<String> topics,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(topics);
      while (System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(seen::add);
        if (done.test(seen)) {
          return seen;
        }
      }
    }
    return seen;
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
