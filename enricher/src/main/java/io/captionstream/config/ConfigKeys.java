package io.captionstream.config;

import io.captionstream.generate.CaptionOptions;
import io.captionstream.model.VariantSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting of the service, each declared once: key, type, default, help text and flag. The options of
 * {@code run} and {@code demo}, the defaults of the pipeline, the environment names and the README's configuration
 * table are derived from these. To add a setting: declare it here, add it to {@link #ALL}, read it where it is used
 * ({@code PipelineConfig.from} for pipeline settings), and regenerate the README table (ConfigurationTableTest prints
 * it). Anything else in a file or a {@code CAPTIONSTREAM_*} variable is rejected.
 */
public final class ConfigKeys {

  public static final Setting<String> BOOTSTRAP_SERVERS = Setting.text("bootstrap.servers", "--bootstrap-servers",
      "localhost:9092", "Kafka bootstrap servers").alsoNamed("-b");
  public static final Setting<String> APPLICATION_ID = Setting.text("application.id", "--application-id",
      "captionstream-enricher", "Kafka Streams application.id; instances with the same id share the input partitions");
  public static final Setting<String> TOPIC_INPUT = Setting.text("topic.input", "--input-topic", "images",
      "Topic of ImageReference events");
  public static final Setting<String> TOPIC_OUTPUT = Setting.text("topic.output", "--output-topic", "captions",
      "Topic of CaptionEvents");
  public static final Setting<String> TOPIC_ERRORS = Setting.text("topic.errors", "--error-topic", "caption-errors",
      "Topic of CaptionErrors");
  public static final Setting<Path> MODEL_DIR = Setting.path("model.dir", "--model-dir",
      "Local model folder (configs, tokenizer, onnx/); wins over the hub cache").alsoNamed("-m")
      .hiddenAlias("--model");
  public static final Setting<String> MODEL_REPO = Setting.text("model.repo", "--model-repo",
      "HuggingFaceTB/SmolVLM-256M-Instruct", "Hub repository looked up in the hub cache when model.dir is unset");
  public static final Setting<String> MODEL_REVISION = Setting.text("model.revision", "--model-revision", "main",
      "Hub revision (branch, tag or commit)");
  public static final Setting<VariantSelection> MODEL_VARIANT = Setting.of("model.variant", SettingType.VARIANT,
      "--variant", null, "ONNX variant: fp32, fp16, int8, uint8, quantized, q4, q4f16, bnb4, or per graph like "
          + "q4,vision=fp32 (unset: fp32, or the first complete variant in model.dir)");
  public static final Setting<String> ENGINE = Setting.text("engine", "--engine", "onnx",
      "Captioning engine; onnx is the only one (deprecated: removed in the next release)").deprecatedSetting();
  public static final Setting<Integer> INTRA_OP_THREADS = Setting.integer("intra.op.threads", "--intra-op-threads", 1,
      "ONNX Runtime intra-op threads per worker");
  public static final Setting<Integer> WORKERS = Setting.integer("workers", "--workers", null,
      "Inference workers (unset: cores / intra.op.threads)").alsoNamed("-w");
  public static final Setting<Integer> FETCH_CONCURRENCY = Setting.integer("fetch.concurrency", "--fetch-concurrency",
      null, "Concurrent image fetches (unset: 2 x workers)");
  public static final Setting<Integer> WINDOW = Setting.integer("window", "--window", null,
      "Records handed off and not yet committed, per instance (unset: max(8, 4 x workers))");
  public static final Setting<Integer> MAX_NEW_TOKENS = Setting.integer("max.new.tokens", "--max-new-tokens",
      CaptionOptions.DEFAULT_MAX_NEW_TOKENS, "Generated-token cap when an event sets none");
  public static final Setting<Integer> MAX_NEW_TOKENS_LIMIT = Setting.integer("max.new.tokens.limit",
      "--max-new-tokens-limit", 512, "Ceiling on generated tokens, whatever an event asks for");
  public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("commit.interval", "--commit-interval",
      "500ms", "Kafka Streams commit interval");
  public static final Setting<Duration> DRAIN_TIMEOUT = Setting.duration("drain.timeout", "--drain-timeout", "30s",
      "On shutdown, wait this long for in-flight work");
  public static final Setting<Duration> FETCH_CONNECT_TIMEOUT = Setting.duration("fetch.connect.timeout",
      "--fetch-connect-timeout", "5s", "Image fetch connect timeout per hop");
  public static final Setting<Duration> FETCH_READ_TIMEOUT = Setting.duration("fetch.read.timeout",
      "--fetch-read-timeout", "20s", "Image fetch response + body timeout per hop");
  public static final Setting<Long> FETCH_MAX_BYTES = Setting.longValue("fetch.max.bytes", "--fetch-max-bytes",
      20L << 20, "Largest image accepted, bytes");
  public static final Setting<Integer> FETCH_MAX_REDIRECTS = Setting.integer("fetch.max.redirects",
      "--fetch-max-redirects", 5, "Redirect hops followed");
  public static final Setting<Boolean> FETCH_ALLOW_PRIVATE = Setting.bool("fetch.allow.private.addresses",
      "--allow-private-addresses", false, "Allow fetching from loopback/private/link-local addresses (SSRF guard off)");
  public static final Setting<Path> FETCH_FILE_ROOT = Setting.path("fetch.file.root", "--file-root",
      "Allow file: URIs below this directory (unset: file: URIs refused)");
  public static final Setting<Integer> FETCH_RETRIES = Setting.integer("fetch.retries", "--fetch-retries", 2,
      "Further tries after a transient fetch failure (refused/reset connection, timeout, HTTP "
          + "408/425/429/500/502/503/504)");
  public static final Setting<Duration> FETCH_RETRY_BACKOFF = Setting.duration("fetch.retry.backoff",
      "--fetch-retry-backoff", "500ms",
      "Backoff base: retry n waits a random time up to base x 2^(n-1) (max 30s), or the server's Retry-After "
          + "(max 30s)");
  public static final Setting<Boolean> CACHE_ENABLED = Setting.bool("cache.enabled", "--cache", true,
      "Caption cache: a repeated image (same bytes, model and options) is answered from the cache topic; "
          + "--cache=false turns it off");
  public static final Setting<String> CACHE_TOPIC = Setting.text("cache.topic", "--cache-topic", "caption-cache",
      "Compacted topic of cache entries, shared by every instance (created when missing)");
  public static final Setting<Integer> CACHE_MAX_ENTRIES = Setting.integer("cache.max.entries", "--cache-max-entries",
      100_000, "Cache entries kept in memory per instance (least recently used dropped first)");
  public static final Setting<String> INSTANCE_ID = Setting.text("instance.id", "--instance-id", null,
      "Name of this instance in events and logs (unset: $HOSTNAME-pid)");
  public static final Setting<String> METRICS_HOST = Setting.text("metrics.host", "--metrics-host", "0.0.0.0",
      "Address of the /metrics and /health HTTP server");
  public static final Setting<Integer> METRICS_PORT = Setting.integer("metrics.port", "--metrics-port", 9400,
      "Port of the /metrics and /health HTTP server (0 = any free port, -1 = off)");
  public static final Setting<String> LOG_FORMAT = Setting.of("log.format", SettingType.oneOf("text", "json"),
      "--log-json", "text", "text (readable lines) or json (one object per line); the flag --log-json sets json")
      .bareFlagSets("json");

  public static final List<Setting<?>> ALL = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, TOPIC_INPUT, TOPIC_OUTPUT,
      TOPIC_ERRORS, MODEL_DIR, MODEL_REPO, MODEL_REVISION, MODEL_VARIANT, ENGINE, INTRA_OP_THREADS, WORKERS,
      FETCH_CONCURRENCY, WINDOW, MAX_NEW_TOKENS, MAX_NEW_TOKENS_LIMIT, COMMIT_INTERVAL, DRAIN_TIMEOUT,
      FETCH_CONNECT_TIMEOUT, FETCH_READ_TIMEOUT, FETCH_MAX_BYTES, FETCH_MAX_REDIRECTS, FETCH_ALLOW_PRIVATE,
      FETCH_FILE_ROOT, FETCH_RETRIES, FETCH_RETRY_BACKOFF, CACHE_ENABLED, CACHE_TOPIC,
      CACHE_MAX_ENTRIES, INSTANCE_ID, METRICS_HOST, METRICS_PORT, LOG_FORMAT);

  /** The settings shown in {@code --help} and the README (deprecated ones are accepted but not documented). */
  public static final List<Setting<?>> DOCUMENTED = ALL.stream().filter(s -> !s.deprecated()).toList();

  /** Keys starting with this are passed to the Kafka clients and Kafka Streams without the prefix. */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final Map<String, Setting<?>> BY_KEY =
      ALL.stream().collect(Collectors.toMap(Setting::key, Function.identity()));
  private static final Map<String, Setting<?>> BY_ENV =
      ALL.stream().collect(Collectors.toMap(Setting::env, Function.identity()));

  private ConfigKeys() {}

  public static Optional<Setting<?>> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  static Optional<Setting<?>> byEnv(String env) {
    return Optional.ofNullable(BY_ENV.get(env));
  }
}
