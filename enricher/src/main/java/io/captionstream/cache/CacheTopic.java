package io.captionstream.cache;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the cache topic exists (created compacted when missing) and that consumers see its partitions; tells
 * whether it can be used.
 */
public final class CacheTopic {

  private static final Logger log = LoggerFactory.getLogger(CacheTopic.class);
  static final int PARTITIONS = 1;
  static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
  static final Duration LOOK_AGAIN_AFTER = Duration.ofMillis(100);

  /** What a consumer's metadata says of a topic's partitions (empty while it does not know the topic). */
  @FunctionalInterface
  interface PartitionView {
    List<PartitionInfo> partitions(String topic);
  }

  private CacheTopic() {}

  /**
   * {@code true} when {@code topic} exists or was just created with {@code cleanup.policy=compact}, and a consumer
   * sees all its partitions with a leader; {@code false} (logged) when the brokers cannot tell, refuse, or the
   * partitions stay invisible, so the service runs without the cache instead of failing.
   */
  public static boolean ensure(String bootstrapServers, Map<String, String> kafka, String topic) {
    try {
      if (!exists(bootstrapServers, kafka, topic)) {
        return false;
      }
      try (Consumer<byte[], byte[]> consumer = probe(bootstrapServers, kafka)) {
        return awaitVisible(t -> consumer.partitionsFor(t, Duration.ofSeconds(5)), topic, VISIBLE_WITHIN,
            LOOK_AGAIN_AFTER);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      log.warn("caption cache topic {} cannot be used ({}); running without the cache", topic, e.toString());
      return false;
    }
  }

  /**
   * Waits until {@code view} shows {@code topic} with at least one partition, every one led. A topic just created
   * is known to the controller before every broker's metadata has it; Kafka Streams fails to start a global store
   * whose topic shows no partitions, so the cache waits here instead.
   */
  static boolean awaitVisible(PartitionView view, String topic, Duration timeout, Duration pause)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<PartitionInfo> partitions = partitionsOrNone(view, topic);
      if (partitions != null && !partitions.isEmpty() && partitions.stream().allMatch(p -> p.leader() != null
          && !p.leader().isEmpty())) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        log.warn("caption cache topic {} shows no led partitions after {}; running without the cache", topic,
            timeout);
        return false;
      }
      Thread.sleep(pause.toMillis());
    }
  }

  private static List<PartitionInfo> partitionsOrNone(PartitionView view, String topic) {
    try {
      return view.partitions(topic);
    } catch (KafkaException e) { // a metadata time-out or an unknown topic: not visible yet
      log.debug("partitions of {} not visible yet: {}", topic, e.toString());
      return List.of();
    }
  }

  private static boolean exists(String bootstrapServers, Map<String, String> kafka, String topic)
      throws InterruptedException {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    p.keySet().retainAll(AdminClientConfig.configNames());
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!existing.contains(topic)) {
        NewTopic t = new NewTopic(topic, PARTITIONS, (short) -1)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
          admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
          log.info("created the caption cache topic {} (cleanup.policy=compact)", topic);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("caption cache topic {} cannot be used ({}); running without the cache", topic,
          e instanceof ExecutionException ? e.getCause() : e);
      return false;
    }
  }

  private static Consumer<byte[], byte[]> probe(String bootstrapServers, Map<String, String> kafka) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.keySet().retainAll(ConsumerConfig.configNames());
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
