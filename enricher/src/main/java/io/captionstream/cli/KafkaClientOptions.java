package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the brokers are, for the client commands ({@code publish}, {@code consume}). */
public final class KafkaClientOptions {

  @Option(names = {"-b", "--bootstrap-servers"},
      description = "Kafka bootstrap servers (default: $CAPTIONSTREAM_BOOTSTRAP_SERVERS, else localhost:9092).")
  String bootstrapServers;

  @Option(names = {"-k", "--kafka"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka client setting, e.g. -k security.protocol=SSL (repeatable).")
  Map<String, String> kafka = new LinkedHashMap<>();

  String bootstrapServers() {
    if (bootstrapServers != null) {
      return bootstrapServers;
    }
    String env = System.getenv(ConfigKeys.BOOTSTRAP_SERVERS.env());
    return env != null && !env.isBlank() ? env : ConfigKeys.BOOTSTRAP_SERVERS.defaultValue();
  }
}
