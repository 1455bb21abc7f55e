package io.captionstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads the service's settings from, in increasing precedence: the defaults, a properties file
 * ({@code --config FILE}, else {@code $CAPTIONSTREAM_CONFIG}, else {@code ./enricher.properties} when present),
 * {@code CAPTIONSTREAM_*} environment variables, and command-line flags. {@code kafka.*} keys (env
 * {@code CAPTIONSTREAM_KAFKA_*}, flag {@code -k KEY=VALUE}) go to the Kafka clients and Streams unchanged. Unknown keys
 * are rejected with the list of known ones.
 */
public final class ConfigLoader {

  public static final String DEFAULT_FILE = "enricher.properties";
  public static final String CONFIG_ENV = Setting.ENV_PREFIX + "CONFIG";

  private ConfigLoader() {}

  /**
   * @param file  an explicit properties file, or {@code null}
   * @param env   the environment (tests pass their own)
   * @param flags settings given on the command line, by key ({@code kafka.*} keys included)
   */
  public static ServiceConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> sources = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    putDefaults(values, sources);
    Optional<Path> propertiesFile = propertiesFile(file, env);
    if (propertiesFile.isPresent()) {
      Path f = propertiesFile.get();
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + f + ": " + e.getMessage());
      }
      for (String key : new TreeMap<>(Map.copyOf(asMap(p))).keySet()) {
        put(values, sources, problems, key.trim(), p.getProperty(key).trim(), "file " + f);
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(Setting.ENV_PREFIX) || name.equals(CONFIG_ENV)) {
        continue;
      }
      String kafkaEnv = Setting.ENV_PREFIX + "KAFKA_";
      if (name.startsWith(kafkaEnv) && name.length() > kafkaEnv.length()) {
        String kafkaKey = name.substring(kafkaEnv.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        put(values, sources, problems, ConfigKeys.KAFKA_PREFIX + kafkaKey, e.getValue(), "env " + name);
      } else {
        Optional<Setting<?>> k = ConfigKeys.byEnv(name);
        if (k.isPresent()) {
          put(values, sources, problems, k.get().key(), e.getValue(), "env " + name);
        } else {
          problems.add("unknown environment variable " + name);
        }
      }
    }
    flags.forEach((k, v) -> {
      if (v != null) {
        put(values, sources, problems, k, v, "flag");
      }
    });
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("; ", problems) + ". Known keys: "
          + ConfigKeys.DOCUMENTED.stream().map(Setting::key).toList()
          + ", plus kafka.* for any Kafka client/Streams setting"
          + " (env: CAPTIONSTREAM_<KEY>, e.g. CAPTIONSTREAM_TOPIC_INPUT, CAPTIONSTREAM_KAFKA_SECURITY_PROTOCOL)");
    }
    return ServiceConfig.parse(values, sources);
  }

  /** The built-in defaults alone: no file, no environment, no flags. */
  public static ServiceConfig defaults() {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> sources = new TreeMap<>();
    putDefaults(values, sources);
    return ServiceConfig.parse(values, sources);
  }

  private static void putDefaults(Map<String, String> values, Map<String, String> sources) {
    for (Setting<?> s : ConfigKeys.ALL) {
      if (s.defaultText() != null) {
        values.put(s.key(), s.defaultText());
        sources.put(s.key(), "default");
      }
    }
  }

  private static Optional<Path> propertiesFile(Path explicit, Map<String, String> env) {
    if (explicit != null) {
      if (!Files.isRegularFile(explicit)) {
        throw new ConfigException("config file " + explicit + " does not exist");
      }
      return Optional.of(explicit);
    }
    String fromEnv = env.get(CONFIG_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path p = Path.of(fromEnv);
      if (!Files.isRegularFile(p)) {
        throw new ConfigException("config file " + p + " (from " + CONFIG_ENV + ") does not exist");
      }
      return Optional.of(p);
    }
    Path local = Path.of(DEFAULT_FILE);
    return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
  }

  private static void put(Map<String, String> values, Map<String, String> sources, List<String> problems, String key,
      String value, String source) {
    boolean kafka = key.startsWith(ConfigKeys.KAFKA_PREFIX) && key.length() > ConfigKeys.KAFKA_PREFIX.length();
    if (!kafka && ConfigKeys.byKey(key).isEmpty()) {
      problems.add("unknown key '" + key + "' (" + source + ")");
      return;
    }
    values.put(key, value);
    sources.put(key, source);
  }

  private static Map<String, String> asMap(Properties p) {
    Map<String, String> m = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }
}
