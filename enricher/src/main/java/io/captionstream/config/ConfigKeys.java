package io.captionstream.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every setting the service knows. Anything else in a file or a {@code CAPTIONSTREAM_*} variable is rejected. */
public final class ConfigKeys {

  public static final ConfigKey BOOTSTRAP_SERVERS = new ConfigKey("bootstrap.servers", "--bootstrap-servers", "localhost:9092", "Kafka bootstrap servers");
  public static final ConfigKey APPLICATION_ID = new ConfigKey("application.id", "--application-id", "captionstream-enricher",
      "Kafka Streams application.id; instances with the same id share the input partitions");
  public static final ConfigKey TOPIC_INPUT = new ConfigKey("topic.input", "--input-topic", "images", "Topic of ImageReference events");
  public static final ConfigKey TOPIC_OUTPUT = new ConfigKey("topic.output", "--output-topic", "captions", "Topic of CaptionEvents");
  public static final ConfigKey TOPIC_ERRORS = new ConfigKey("topic.errors", "--error-topic", "caption-errors", "Topic of CaptionErrors");
  public static final ConfigKey MODEL_DIR = new ConfigKey("model.dir", "--model-dir", null,
      "Local model folder (configs, tokenizer, onnx/); wins over the hub cache");
  public static final ConfigKey MODEL_REPO = new ConfigKey("model.repo", "--model-repo", "HuggingFaceTB/SmolVLM-256M-Instruct",
      "Hub repository looked up in the hub cache when model.dir is unset");
  public static final ConfigKey MODEL_REVISION = new ConfigKey("model.revision", "--model-revision", "main", "Hub revision (branch, tag or commit)");
  public static final ConfigKey MODEL_VARIANT = new ConfigKey("model.variant", "--variant", null,
      "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4 (unset: fp32, or the one variant in model.dir)");
  public static final ConfigKey ENGINE = new ConfigKey("engine", "--engine", "onnx", "Captioning engine (a CaptionerProvider name)");
  public static final ConfigKey INTRA_OP_THREADS = new ConfigKey("intra.op.threads", "--intra-op-threads", "1", "ONNX Runtime intra-op threads per worker");
  public static final ConfigKey WORKERS = new ConfigKey("workers", "--workers", null, "Inference workers (unset: cores / intra.op.threads)");
  public static final ConfigKey FETCH_CONCURRENCY = new ConfigKey("fetch.concurrency", "--fetch-concurrency", null, "Concurrent image fetches (unset: 2 x workers)");
  public static final ConfigKey WINDOW = new ConfigKey("window", "--window", null,
      "Records handed off and not yet committed, per instance (unset: max(8, 4 x workers))");
  public static final ConfigKey MAX_NEW_TOKENS = new ConfigKey("max.new.tokens", "--max-new-tokens", "64", "Generated-token cap when an event sets none");
  public static final ConfigKey MAX_NEW_TOKENS_LIMIT = new ConfigKey("max.new.tokens.limit", "--max-new-tokens-limit", "512",
      "Ceiling on generated tokens, whatever an event asks for");
  public static final ConfigKey COMMIT_INTERVAL = new ConfigKey("commit.interval", "--commit-interval", "500ms", "Kafka Streams commit interval");
  public static final ConfigKey DRAIN_TIMEOUT = new ConfigKey("drain.timeout", "--drain-timeout", "30s", "On shutdown, wait this long for in-flight work");
  public static final ConfigKey FETCH_CONNECT_TIMEOUT = new ConfigKey("fetch.connect.timeout", "--fetch-connect-timeout", "5s", "Image fetch connect timeout per hop");
  public static final ConfigKey FETCH_READ_TIMEOUT = new ConfigKey("fetch.read.timeout", "--fetch-read-timeout", "20s", "Image fetch response + body timeout per hop");
  public static final ConfigKey FETCH_MAX_BYTES = new ConfigKey("fetch.max.bytes", "--fetch-max-bytes", "20971520", "Largest image accepted, bytes");
  public static final ConfigKey FETCH_MAX_REDIRECTS = new ConfigKey("fetch.max.redirects", "--fetch-max-redirects", "5", "Redirect hops followed");
  public static final ConfigKey FETCH_ALLOW_PRIVATE = new ConfigKey("fetch.allow.private.addresses", "--allow-private-addresses", "false",
      "Allow fetching from loopback/private/link-local addresses (SSRF guard off)");
  public static final ConfigKey FETCH_FILE_ROOT = new ConfigKey("fetch.file.root", "--file-root", null,
      "Allow file: URIs below this directory (unset: file: URIs refused)");
  public static final ConfigKey FETCH_RETRIES = new ConfigKey("fetch.retries", "--fetch-retries", "2",
      "Further tries after a transient fetch failure (refused/reset connection, timeout, HTTP 408/425/429/500/502/503/504)");
  public static final ConfigKey FETCH_RETRY_BACKOFF = new ConfigKey("fetch.retry.backoff", "--fetch-retry-backoff", "500ms",
      "Backoff base: retry n waits a random time up to base x 2^(n-1) (max 30s), or the server's Retry-After (max 30s)");
  public static final ConfigKey INSTANCE_ID = new ConfigKey("instance.id", "--instance-id", null, "Name of this instance in events and logs (unset: $HOSTNAME-pid)");
  public static final ConfigKey METRICS_HOST = new ConfigKey("metrics.host", "--metrics-host", "0.0.0.0", "Address of the /metrics and /health HTTP server");
  public static final ConfigKey METRICS_PORT = new ConfigKey("metrics.port", "--metrics-port", "9400", "Port of the /metrics and /health HTTP server (0 = any free port, -1 = off)");
  public static final ConfigKey LOG_FORMAT = new ConfigKey("log.format", "--log-json", "text",
      "text (readable lines) or json (one object per line); the flag --log-json sets json");

  public static final List<ConfigKey> ALL = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, TOPIC_INPUT, TOPIC_OUTPUT,
      TOPIC_ERRORS, MODEL_DIR, MODEL_REPO, MODEL_REVISION, MODEL_VARIANT, ENGINE, INTRA_OP_THREADS, WORKERS,
      FETCH_CONCURRENCY, WINDOW, MAX_NEW_TOKENS, MAX_NEW_TOKENS_LIMIT, COMMIT_INTERVAL, DRAIN_TIMEOUT, FETCH_CONNECT_TIMEOUT,
      FETCH_READ_TIMEOUT, FETCH_MAX_BYTES, FETCH_MAX_REDIRECTS, FETCH_ALLOW_PRIVATE, FETCH_FILE_ROOT, FETCH_RETRIES,
      FETCH_RETRY_BACKOFF, INSTANCE_ID,
      METRICS_HOST, METRICS_PORT, LOG_FORMAT);

  /** Keys starting with this are passed to the Kafka clients and Kafka Streams without the prefix. */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final Map<String, ConfigKey> BY_KEY =
      ALL.stream().collect(Collectors.toMap(ConfigKey::key, Function.identity()));
  private static final Map<String, ConfigKey> BY_ENV =
      ALL.stream().collect(Collectors.toMap(ConfigKey::env, Function.identity()));

  private ConfigKeys() {}

  public static Optional<ConfigKey> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  static Optional<ConfigKey> byEnv(String env) {
    return Optional.ofNullable(BY_ENV.get(env));
  }
}
