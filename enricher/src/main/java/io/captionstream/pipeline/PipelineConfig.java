package io.captionstream.pipeline;

import io.captionstream.config.ConfigException;
import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ConfigLoader;
import io.captionstream.config.ServiceConfig;
import io.captionstream.fetch.FetchPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the captioning service needs to run, immutable. {@link #from(ServiceConfig)} builds it from the resolved
 * settings ({@code enricher run}: file, environment, flags); {@link #defaults(String)} from the settings' defaults.
 * The defaults live in {@link ConfigKeys} only.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId    Kafka Streams {@code application.id}; instances with the same id share the partitions
 * @param topics           input, output and error topics
 * @param workers          inference workers, each owning one captioner (ONNX session set) for its whole life
 * @param fetchConcurrency concurrent image fetches, apart from the workers
 * @param inFlightWindow   records handed off but not yet covered by a commit, per instance (backpressure bound)
 * @param maxNewTokens     default cap on generated tokens when an event does not set one
 * @param maxNewTokensLimit ceiling on generated tokens whatever an event asks for (bounds the work one record can
 *                         cause, so a huge {@code maxNewTokens} cannot stall its partition's commits)
 * @param commitInterval   Kafka Streams {@code commit.interval.ms}
 * @param drainTimeout     how long a graceful shutdown waits for in-flight work before committing what is done
 * @param fetchPolicy      limits of the image fetcher
 * @param instanceId       reported in caption events ({@code instance}) and logs
 * @param kafka            extra Kafka client/Streams settings (keys without the {@code kafka.} prefix); they win
 */
public record PipelineConfig(
    String bootstrapServers,
    String applicationId,
    Topics topics,
    int workers,
    int fetchConcurrency,
    int inFlightWindow,
    int maxNewTokens,
    int maxNewTokensLimit,
    Duration commitInterval,
    Duration drainTimeout,
    FetchPolicy fetchPolicy,
    String instanceId,
    Map<String, String> kafka) {

  public PipelineConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(fetchPolicy, "fetchPolicy");
    Objects.requireNonNull(instanceId, "instanceId");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, was " + workers);
    }
    if (fetchConcurrency < 1) {
      throw new IllegalArgumentException("fetchConcurrency must be >= 1, was " + fetchConcurrency);
    }
    if (inFlightWindow < workers) {
      throw new IllegalArgumentException(
          "inFlightWindow (" + inFlightWindow + ") must be >= workers (" + workers + ") or workers idle");
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("maxNewTokens must be >= 1, was " + maxNewTokens);
    }
    if (maxNewTokensLimit < 1) {
      throw new IllegalArgumentException("maxNewTokensLimit must be >= 1, was " + maxNewTokensLimit);
    }
    kafka = Map.copyOf(new TreeMap<>(kafka == null ? Map.of() : kafka));
  }

  /** Default workers: available cores divided by the ONNX Runtime intra-op threads of each worker (at least 1). */
  public static int defaultWorkers(int intraOpThreads) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, intraOpThreads));
  }

  /** Default window: enough queued work that every worker always has a next image fetched, and at least 8. */
  public static int defaultWindow(int workers) {
    return Math.max(8, 4 * workers);
  }

  /** The defaults of every setting (see {@link ConfigKeys}) with these brokers. */
  public static PipelineConfig defaults(String bootstrapServers) {
    return from(ConfigLoader.defaults()).withBootstrapServers(bootstrapServers);
  }

  /** The pipeline's part of the resolved settings; computed defaults (workers, window, ...) filled in. */
  public static PipelineConfig from(ServiceConfig c) {
    int threads = c.get(ConfigKeys.INTRA_OP_THREADS);
    int workers = orElse(c.get(ConfigKeys.WORKERS), defaultWorkers(threads));
    String instance = c.get(ConfigKeys.INSTANCE_ID);
    try {
      FetchPolicy fetch = new FetchPolicy(c.get(ConfigKeys.FETCH_CONNECT_TIMEOUT), c.get(ConfigKeys.FETCH_READ_TIMEOUT),
          c.get(ConfigKeys.FETCH_MAX_BYTES), c.get(ConfigKeys.FETCH_MAX_REDIRECTS),
              c.get(ConfigKeys.FETCH_ALLOW_PRIVATE),
          c.get(ConfigKeys.FETCH_FILE_ROOT), c.get(ConfigKeys.FETCH_RETRIES), c.get(ConfigKeys.FETCH_RETRY_BACKOFF));
      return new PipelineConfig(c.get(ConfigKeys.BOOTSTRAP_SERVERS), c.get(ConfigKeys.APPLICATION_ID),
          new Topics(c.get(ConfigKeys.TOPIC_INPUT), c.get(ConfigKeys.TOPIC_OUTPUT), c.get(ConfigKeys.TOPIC_ERRORS)),
          workers, orElse(c.get(ConfigKeys.FETCH_CONCURRENCY), 2 * workers),
          orElse(c.get(ConfigKeys.WINDOW), defaultWindow(workers)), c.get(ConfigKeys.MAX_NEW_TOKENS),
          c.get(ConfigKeys.MAX_NEW_TOKENS_LIMIT), c.get(ConfigKeys.COMMIT_INTERVAL), c.get(ConfigKeys.DRAIN_TIMEOUT),
          fetch, instance == null ? defaultInstanceId() : instance, c.kafka());
    } catch (IllegalArgumentException e) {
      throw e instanceof ConfigException ce ? ce : new ConfigException(e.getMessage());
    }
  }

  private static int orElse(Integer value, int computed) {
    return value == null ? computed : value;
  }

  static String defaultInstanceId() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "local" : host) + "-" + ProcessHandle.current().pid();
  }

  public PipelineConfig withBootstrapServers(String servers) {
    return new PipelineConfig(servers, applicationId, topics, workers, fetchConcurrency, inFlightWindow, maxNewTokens,
        maxNewTokensLimit, commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withApplicationId(String id) {
    return new PipelineConfig(bootstrapServers, id, topics, workers, fetchConcurrency, inFlightWindow, maxNewTokens,
        maxNewTokensLimit,
        commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withTopics(Topics t) {
    return new PipelineConfig(bootstrapServers, applicationId, t, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, maxNewTokensLimit, commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  /** Sets the workers and scales fetch concurrency and window with them (use the other withers after this). */
  public PipelineConfig withWorkers(int w) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, w, 2 * w, defaultWindow(w), maxNewTokens,
        maxNewTokensLimit,
        commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withFetchConcurrency(int n) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, n, inFlightWindow, maxNewTokens,
        maxNewTokensLimit,
        commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withInFlightWindow(int n) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, n, maxNewTokens,
        maxNewTokensLimit,
        commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withMaxNewTokens(int n) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow, n,
        maxNewTokensLimit,
        commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withMaxNewTokensLimit(int n) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, n, commitInterval, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  /** The token cap of one request: its own (or the default) {@code maxNewTokens}, never above the limit. */
  public int effectiveMaxNewTokens(Integer requested) {
    return Math.min(requested == null ? maxNewTokens : requested, maxNewTokensLimit);
  }

  public PipelineConfig withCommitInterval(Duration d) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, maxNewTokensLimit, d, drainTimeout, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withDrainTimeout(Duration d) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, maxNewTokensLimit, commitInterval, d, fetchPolicy, instanceId, kafka);
  }

  public PipelineConfig withFetchPolicy(FetchPolicy p) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, maxNewTokensLimit, commitInterval, drainTimeout, p, instanceId, kafka);
  }

  public PipelineConfig withInstanceId(String id) {
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, maxNewTokensLimit, commitInterval, drainTimeout, fetchPolicy, id, kafka);
  }

  /** Adds Kafka settings (keys without the {@code kafka.} prefix) on top of the ones already set. */
  public PipelineConfig withKafka(Map<String, String> more) {
    Map<String, String> merged = new TreeMap<>(kafka);
    merged.putAll(more);
    return new PipelineConfig(bootstrapServers, applicationId, topics, workers, fetchConcurrency, inFlightWindow,
        maxNewTokens, maxNewTokensLimit, commitInterval, drainTimeout, fetchPolicy, instanceId, merged);
  }
}
