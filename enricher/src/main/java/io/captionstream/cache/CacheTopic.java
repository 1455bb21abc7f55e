package io.captionstream.cache;

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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure the cache topic exists (created compacted when missing); tells whether it can be used. */
public final class CacheTopic {

  private static final Logger log = LoggerFactory.getLogger(CacheTopic.class);
  static final int PARTITIONS = 1;

  private CacheTopic() {}

  /**
   * {@code true} when {@code topic} exists or was just created with {@code cleanup.policy=compact}; {@code false}
   * (logged) when the brokers cannot tell or refuse, so the service runs without the cache instead of failing.
   */
  public static boolean ensure(String bootstrapServers, Map<String, String> kafka, String topic) {
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
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("caption cache topic {} cannot be used ({}); running without the cache", topic,
          e instanceof ExecutionException ? e.getCause() : e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
