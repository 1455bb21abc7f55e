package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ConfigLoader;
import io.captionstream.config.ServiceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The service's settings as flags ({@code run}, {@code demo}). A flag left out falls back to the environment
 * ({@code CAPTIONSTREAM_*}), then the properties file, then the default: see {@link ConfigLoader}.
 */
public final class ServiceOptions {

  @Option(names = {"-c", "--config"}, description = "Properties file (default: $CAPTIONSTREAM_CONFIG, else ./enricher.properties when present).")
  Path configFile;

  @Option(names = {"-b", "--bootstrap-servers"}, description = "Kafka bootstrap servers (default: localhost:9092).")
  String bootstrapServers;

  @Option(names = "--application-id", description = "Kafka Streams application.id (default: captionstream-enricher).")
  String applicationId;

  @Option(names = "--input-topic", description = "Topic of ImageReference events (default: images).")
  String inputTopic;

  @Option(names = "--output-topic", description = "Topic of CaptionEvents (default: captions).")
  String outputTopic;

  @Option(names = "--error-topic", description = "Topic of CaptionErrors (default: caption-errors).")
  String errorTopic;

  @Option(names = {"-m", "--model-dir", "--model"}, description = "Local model folder; wins over the hub cache.")
  Path modelDir;

  @Option(names = "--model-repo", description = "Hub repository for the cache look-up / download (default: HuggingFaceTB/SmolVLM-256M-Instruct).")
  String modelRepo;

  @Option(names = "--model-revision", description = "Hub revision (default: main).")
  String modelRevision;

  @Option(names = "--variant", description = "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4.")
  String variant;

  @Option(names = "--engine", description = "Captioning engine (default: onnx).")
  String engine;

  @Option(names = "--intra-op-threads", description = "ONNX Runtime intra-op threads per worker (default: 1).")
  Integer intraOpThreads;

  @Option(names = {"-w", "--workers"}, description = "Inference workers (default: cores / intra-op threads).")
  Integer workers;

  @Option(names = "--fetch-concurrency", description = "Concurrent image fetches (default: 2 x workers).")
  Integer fetchConcurrency;

  @Option(names = "--window", description = "In-flight window per instance (default: max(8, 4 x workers)).")
  Integer window;

  @Option(names = "--max-new-tokens", description = "Generated-token cap when an event sets none (default: 64).")
  Integer maxNewTokens;

  @Option(names = "--max-new-tokens-limit",
      description = "Ceiling on generated tokens, whatever an event asks for (default: 512).")
  Integer maxNewTokensLimit;

  @Option(names = "--commit-interval", description = "Kafka Streams commit interval, e.g. 500ms (default: 500ms).")
  String commitInterval;

  @Option(names = "--drain-timeout", description = "Shutdown wait for in-flight work, e.g. 30s (default: 30s).")
  String drainTimeout;

  @Option(names = "--fetch-connect-timeout", description = "Image fetch connect timeout (default: 5s).")
  String fetchConnectTimeout;

  @Option(names = "--fetch-read-timeout", description = "Image fetch read timeout (default: 20s).")
  String fetchReadTimeout;

  @Option(names = "--fetch-max-bytes", description = "Largest image accepted, bytes (default: 20971520).")
  Long fetchMaxBytes;

  @Option(names = "--fetch-max-redirects", description = "Redirect hops followed (default: 5).")
  Integer fetchMaxRedirects;

  @Option(names = "--allow-private-addresses", arity = "0..1", fallbackValue = "true",
      description = "Allow fetching from loopback/private addresses (SSRF guard off).")
  Boolean allowPrivateAddresses;

  @Option(names = "--file-root", description = "Allow file: URIs below this directory.")
  Path fileRoot;

  @Option(names = "--fetch-retries", description = "Further tries after a transient fetch failure (default: 2).")
  Integer fetchRetries;

  @Option(names = "--fetch-retry-backoff", description = "Fetch retry backoff base (default: 500ms).")
  String fetchRetryBackoff;

  @Option(names = "--instance-id", description = "Name of this instance in events and logs (default: $HOSTNAME-pid).")
  String instanceId;

  @Option(names = "--metrics-host", description = "Address of the /metrics and /health server (default: 0.0.0.0).")
  String metricsHost;

  @Option(names = "--metrics-port", description = "Port of the /metrics and /health server; 0 = any, -1 = off (default: 9400).")
  Integer metricsPort;

  @Option(names = "--log-json", description = "Log one JSON object per line (same as LOG_FORMAT=json).")
  boolean logJson;

  @Option(names = {"-k", "--kafka"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka client/Streams setting, e.g. -k security.protocol=SSL (repeatable).")
  Map<String, String> kafka = new LinkedHashMap<>();

  /** The flags given, by config key. */
  Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    put(f, ConfigKeys.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    put(f, ConfigKeys.APPLICATION_ID.key(), applicationId);
    put(f, ConfigKeys.TOPIC_INPUT.key(), inputTopic);
    put(f, ConfigKeys.TOPIC_OUTPUT.key(), outputTopic);
    put(f, ConfigKeys.TOPIC_ERRORS.key(), errorTopic);
    put(f, ConfigKeys.MODEL_DIR.key(), modelDir);
    put(f, ConfigKeys.MODEL_REPO.key(), modelRepo);
    put(f, ConfigKeys.MODEL_REVISION.key(), modelRevision);
    put(f, ConfigKeys.MODEL_VARIANT.key(), variant);
    put(f, ConfigKeys.ENGINE.key(), engine);
    put(f, ConfigKeys.INTRA_OP_THREADS.key(), intraOpThreads);
    put(f, ConfigKeys.WORKERS.key(), workers);
    put(f, ConfigKeys.FETCH_CONCURRENCY.key(), fetchConcurrency);
    put(f, ConfigKeys.WINDOW.key(), window);
    put(f, ConfigKeys.MAX_NEW_TOKENS.key(), maxNewTokens);
    put(f, ConfigKeys.MAX_NEW_TOKENS_LIMIT.key(), maxNewTokensLimit);
    put(f, ConfigKeys.COMMIT_INTERVAL.key(), commitInterval);
    put(f, ConfigKeys.DRAIN_TIMEOUT.key(), drainTimeout);
    put(f, ConfigKeys.FETCH_CONNECT_TIMEOUT.key(), fetchConnectTimeout);
    put(f, ConfigKeys.FETCH_READ_TIMEOUT.key(), fetchReadTimeout);
    put(f, ConfigKeys.FETCH_MAX_BYTES.key(), fetchMaxBytes);
    put(f, ConfigKeys.FETCH_MAX_REDIRECTS.key(), fetchMaxRedirects);
    put(f, ConfigKeys.FETCH_ALLOW_PRIVATE.key(), allowPrivateAddresses);
    put(f, ConfigKeys.FETCH_FILE_ROOT.key(), fileRoot);
    put(f, ConfigKeys.FETCH_RETRIES.key(), fetchRetries);
    put(f, ConfigKeys.FETCH_RETRY_BACKOFF.key(), fetchRetryBackoff);
    put(f, ConfigKeys.INSTANCE_ID.key(), instanceId);
    put(f, ConfigKeys.METRICS_HOST.key(), metricsHost);
    put(f, ConfigKeys.METRICS_PORT.key(), metricsPort);
    if (logJson) {
      f.put(ConfigKeys.LOG_FORMAT.key(), "json");
    }
    kafka.forEach((k, v) -> f.put(ConfigKeys.KAFKA_PREFIX + k, v));
    return f;
  }

  /** Loads the configuration: flags &gt; environment &gt; file &gt; defaults. */
  ServiceConfig load() {
    return ConfigLoader.load(configFile, System.getenv(), flags());
  }

  private static void put(Map<String, String> f, String key, Object value) {
    if (value != null) {
      f.put(key, value.toString());
    }
  }
}
