package io.captionstream.schema;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the event serdes, read from a Kafka-style config map. Key names follow Confluent's serializers, so an
 * existing client config works unchanged.
 *
 * @param mode              {@code serde.mode}: {@code plain} (default) or {@code registry}
 * @param registryUrls      {@code schema.registry.url}: comma-separated base URLs, tried in order (registry mode)
 * @param autoRegister      {@code auto.register.schemas}: register the bundled schema on first write (default true)
 * @param useLatestVersion  {@code use.latest.version}: write with the subject's latest schema (default false)
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, from {@code basic.auth.user.info} when
 *                          {@code basic.auth.credentials.source=USER_INFO}, else from the URL's user info
 * @param requestTimeout    {@code schema.registry.request.timeout.ms} (default 10000)
 * @param latestCacheTtl    {@code latest.cache.ttl.sec}: how long {@code use.latest.version} trusts a fetched latest
 *                          version; negative (default -1, as Confluent): for the life of the serde
 */
public record EventSerdeConfig(
    SerdeMode mode,
    List<URI> registryUrls,
    boolean autoRegister,
    boolean useLatestVersion,
    Optional<String> basicAuthUserInfo,
    Duration requestTimeout,
    Duration latestCacheTtl) {

  public static final String SERDE_MODE = "serde.mode";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";

  public EventSerdeConfig {
    registryUrls = List.copyOf(registryUrls);
    if (mode == SerdeMode.REGISTRY && registryUrls.isEmpty()) {
      throw new ConfigException(SCHEMA_REGISTRY_URL + " is required when " + SERDE_MODE + "=registry");
    }
  }

  /** Plain JSON, no registry: the default of the embedded demo. */
  public static EventSerdeConfig plain() {
    return from(Map.of());
  }

  /** Registry mode with Confluent's defaults (auto-register, no latest version, no auth). */
  public static EventSerdeConfig registry(String urls) {
    return from(Map.of(SERDE_MODE, "registry", SCHEMA_REGISTRY_URL, urls));
  }

  /** Reads the keys above from a config map (values may be strings, booleans or numbers); unknown keys are ignored. */
  public static EventSerdeConfig from(Map<String, ?> configs) {
    SerdeMode mode = SerdeMode.parse(string(configs, SERDE_MODE).orElse("plain"));
    List<URI> withUserInfo = string(configs, SCHEMA_REGISTRY_URL).map(EventSerdeConfig::parseUrls).orElse(List.of());
    String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE).orElse("URL").trim().toUpperCase(Locale.ROOT);
    Optional<String> userInfo = switch (source) {
      case "USER_INFO" -> Optional.of(string(configs, BASIC_AUTH_USER_INFO)
          .filter(s -> s.contains(":"))
          .orElseThrow(() -> new ConfigException(BASIC_AUTH_USER_INFO + " must be user:password when "
              + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO")));
      case "URL" -> withUserInfo.stream().map(URI::getRawUserInfo).filter(u -> u != null).findFirst()
          .map(u -> URLDecoder.decode(u.replace("+", "%2B"), StandardCharsets.UTF_8));
      default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "supported: USER_INFO, URL");
    };
    long timeoutMs = number(configs, REQUEST_TIMEOUT_MS, 10_000L);
    long latestTtlSec = number(configs, LATEST_CACHE_TTL_SEC, -1L);
    return new EventSerdeConfig(
        mode,
        withUserInfo.stream().map(EventSerdeConfig::withoutUserInfo).toList(),
        bool(configs, AUTO_REGISTER_SCHEMAS, true),
        bool(configs, USE_LATEST_VERSION, false),
        userInfo,
        Duration.ofMillis(timeoutMs),
        Duration.ofSeconds(latestTtlSec));
  }

  private static Optional<String> string(Map<String, ?> configs, String key) {
    Object v = configs.get(key);
    return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
  }

  private static long number(Map<String, ?> configs, String key, long dflt) {
    Optional<String> v = string(configs, key);
    try {
      return v.isEmpty() ? dflt : Long.parseLong(v.get().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v.get(), "must be a whole number");
    }
  }

  private static boolean bool(Map<String, ?> configs, String key, boolean dflt) {
    Optional<String> v = string(configs, key);
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, v.get(), "must be true or false");
    };
  }

  private static List<URI> parseUrls(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> {
          URI uri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
          if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, s, "must be an http or https URL");
          }
          return uri;
        })
        .toList();
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new ConfigException(SCHEMA_REGISTRY_URL, uri.toString(), e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "EventSerdeConfig[mode=" + mode + ", registryUrls=" + registryUrls + ", autoRegister=" + autoRegister
        + ", useLatestVersion=" + useLatestVersion + ", basicAuth=" + basicAuthUserInfo.isPresent()
        + ", requestTimeout=" + requestTimeout + ", latestCacheTtl=" + latestCacheTtl + "]";
  }
}
