package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ConfigLoader;
import io.captionstream.config.ServiceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the brokers are, for the client commands ({@code publish}, {@code consume}): the service's own settings
 * (file, {@code CAPTIONSTREAM_*} environment, flags), so a client reads the topics, brokers and serde settings
 * ({@code kafka.serde.mode}, {@code kafka.schema.registry.url}) the service runs with.
 */
public final class KafkaClientOptions {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Properties file of the service (default: $CAPTIONSTREAM_CONFIG, else ./enricher.properties when "
          + "present).")
  Path configFile;

  @Option(names = {"-b", "--bootstrap-servers"},
      description = "Kafka bootstrap servers (default: bootstrap.servers of the file or environment, else "
          + "localhost:9092).")
  String bootstrapServers;

  @Option(names = {"-k", "--kafka"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka client setting, e.g. -k security.protocol=SSL or -k serde.mode=registry (repeatable).")
  Map<String, String> kafka = new LinkedHashMap<>();

  /** The settings: flags &gt; environment &gt; file &gt; defaults, as for {@code run}. */
  ServiceConfig load() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      flags.put(ConfigKeys.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    }
    kafka.forEach((k, v) -> flags.put(ConfigKeys.KAFKA_PREFIX + k, v));
    return ConfigLoader.load(configFile, System.getenv(), flags);
  }
}
