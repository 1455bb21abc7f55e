package io.captionstream.config;

import io.captionstream.fetch.FetchPolicy;
import io.captionstream.hub.VariantFiles;
import io.captionstream.model.OnnxVariant;
import io.captionstream.pipeline.PipelineConfig;
import io.captionstream.pipeline.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolved settings with typed access. {@link #pipeline()} builds the pipeline's {@link PipelineConfig}; the model and
 * observability settings are read with the typed getters.
 */
public final class ServiceConfig {

  private final Map<String, String> values;
  private final Map<String, String> sources;

  ServiceConfig(Map<String, String> values, Map<String, String> sources) {
    this.values = Map.copyOf(values);
    this.sources = Map.copyOf(sources);
  }

  /** The raw value of a key, or {@code null} when unset. */
  public String get(ConfigKey key) {
    return values.get(key.key());
  }

  /** Where a key's value came from: {@code default}, {@code file ...}, {@code env ...} or {@code flag}. */
  public String source(ConfigKey key) {
    return sources.getOrDefault(key.key(), "unset");
  }

  public String string(ConfigKey key) {
    return get(key);
  }

  public Integer integer(ConfigKey key) {
    String v = get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw bad(key, "an integer");
    }
  }

  public long longValue(ConfigKey key) {
    try {
      return Long.parseLong(get(key).trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw bad(key, "an integer");
    }
  }

  public boolean bool(ConfigKey key) {
    String v = get(key) == null ? "false" : get(key).trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off", "" -> false;
      default -> throw bad(key, "true or false");
    };
  }

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
  public Duration duration(ConfigKey key) {
    String v = get(key).trim();
    try {
      return DurationText.parse(v);
    } catch (DateTimeParseException e) {
      throw bad(key, "a duration like 500ms, 30s, 2m or PT30S");
    }
  }

  public Path path(ConfigKey key) {
    String v = get(key);
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }

  /** The model variant, or {@code null} when unset (the resolver picks). */
  public OnnxVariant variant() {
    String v = get(ConfigKeys.MODEL_VARIANT);
    try {
      return v == null || v.isBlank() ? null : VariantFiles.parseVariant(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigKeys.MODEL_VARIANT.key() + " (" + source(ConfigKeys.MODEL_VARIANT) + "): " + e.getMessage());
    }
  }

  public boolean jsonLogs() {
    String f = get(ConfigKeys.LOG_FORMAT).trim().toLowerCase(Locale.ROOT);
    if (!f.equals("json") && !f.equals("text")) {
      throw bad(ConfigKeys.LOG_FORMAT, "text or json");
    }
    return f.equals("json");
  }

  /** {@code kafka.*} settings without their prefix. */
  public Map<String, String> kafka() {
    Map<String, String> k = new TreeMap<>();
    values.forEach((key, v) -> {
      if (key.startsWith(ConfigKeys.KAFKA_PREFIX)) {
        k.put(key.substring(ConfigKeys.KAFKA_PREFIX.length()), v);
      }
    });
    return k;
  }

  /** The pipeline's configuration. */
  public PipelineConfig pipeline() {
    int threads = integer(ConfigKeys.INTRA_OP_THREADS);
    Integer workers = integer(ConfigKeys.WORKERS);
    FetchPolicy fetch = new FetchPolicy(duration(ConfigKeys.FETCH_CONNECT_TIMEOUT), duration(ConfigKeys.FETCH_READ_TIMEOUT),
        longValue(ConfigKeys.FETCH_MAX_BYTES), integer(ConfigKeys.FETCH_MAX_REDIRECTS), bool(ConfigKeys.FETCH_ALLOW_PRIVATE),
        path(ConfigKeys.FETCH_FILE_ROOT), integer(ConfigKeys.FETCH_RETRIES), duration(ConfigKeys.FETCH_RETRY_BACKOFF));
    try {
      PipelineConfig c = PipelineConfig.defaults(get(ConfigKeys.BOOTSTRAP_SERVERS))
          .withApplicationId(get(ConfigKeys.APPLICATION_ID))
          .withTopics(new Topics(get(ConfigKeys.TOPIC_INPUT), get(ConfigKeys.TOPIC_OUTPUT), get(ConfigKeys.TOPIC_ERRORS)))
          .withWorkers(workers != null ? workers : PipelineConfig.defaultWorkers(threads))
          .withMaxNewTokens(integer(ConfigKeys.MAX_NEW_TOKENS))
          .withMaxNewTokensLimit(integer(ConfigKeys.MAX_NEW_TOKENS_LIMIT))
          .withCommitInterval(duration(ConfigKeys.COMMIT_INTERVAL))
          .withDrainTimeout(duration(ConfigKeys.DRAIN_TIMEOUT))
          .withFetchPolicy(fetch)
          .withKafka(kafka());
      if (integer(ConfigKeys.FETCH_CONCURRENCY) != null) {
        c = c.withFetchConcurrency(integer(ConfigKeys.FETCH_CONCURRENCY));
      }
      if (integer(ConfigKeys.WINDOW) != null) {
        c = c.withInFlightWindow(integer(ConfigKeys.WINDOW));
      }
      if (get(ConfigKeys.INSTANCE_ID) != null && !get(ConfigKeys.INSTANCE_ID).isBlank()) {
        c = c.withInstanceId(get(ConfigKeys.INSTANCE_ID));
      }
      return c;
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private ConfigException bad(ConfigKey key, String expected) {
    return new ConfigException(key.key() + " = '" + get(key) + "' (" + source(key) + ") must be " + expected);
  }
}
