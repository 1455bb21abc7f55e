package io.captionstream.tools;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the topics a command needs when they are missing (existing topics are left as they are). */
public final class TopicAdmin {

  private TopicAdmin() {}

  public static void ensure(String bootstrapServers, Map<String, String> kafka, int partitions, String... names)
      throws Exception {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = Stream.of(names).filter(n -> !existing.contains(n))
          .map(n -> new NewTopic(n, partitions, (short) -1)).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      }
    }
  }
}
