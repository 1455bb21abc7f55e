package io.captionstream.cli;

import io.captionstream.config.ConfigKeys;
import io.captionstream.config.ConfigLoader;
import io.captionstream.config.ServiceConfig;
import io.captionstream.config.Setting;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The service's settings as flags of {@code run} and {@code demo}: one option per {@link ConfigKeys} setting, made
 * from its declaration (no setting is spelled out here). A flag left out falls back to the environment
 * ({@code CAPTIONSTREAM_*}), then the properties file, then the default: see {@link ConfigLoader}.
 */
public final class ServiceOptions {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Properties file (default: $CAPTIONSTREAM_CONFIG, else ./enricher.properties when present).")
  Path configFile;

  @Option(names = {"-k", "--kafka"}, paramLabel = "KEY=VALUE",
      description = "Any Kafka client/Streams setting, e.g. -k security.protocol=SSL (repeatable).")
  Map<String, String> kafka = new LinkedHashMap<>();

  private final Map<String, String> flags = new LinkedHashMap<>();

  /** A command whose {@code @Mixin ServiceOptions} gets one option per setting ({@link Installer}). */
  interface ServiceCommand {
    ServiceOptions serviceOptions();
  }

  /** Adds the settings' options to a {@link ServiceCommand} once picocli has read its annotations. */
  public static final class Installer implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      ((ServiceCommand) spec.userObject()).serviceOptions().addTo(spec);
      return spec;
    }
  }

  /** One option per documented setting, plus hidden ones for deprecated settings and old spellings. */
  void addTo(CommandSpec spec) {
    for (Setting<?> s : ConfigKeys.ALL) {
      spec.addOption(option(s, s.names(), s.deprecated()));
      if (!s.hiddenAliases().isEmpty()) {
        spec.addOption(option(s, s.hiddenAliases(), true));
      }
    }
  }

  private OptionSpec option(Setting<?> s, List<String> names, boolean hidden) {
    ISetter into = new ISetter() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> T set(T value) {
        if (value instanceof Boolean b) {
          if (b) {
            flags.put(s.key(), s.bareValue());
          }
        } else if (value != null) {
          flags.put(s.key(), value.toString());
        }
        return null;
      }
    };
    OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new)).hidden(hidden).setter(into)
        .description(SettingHelp.description(s));
    if (s.bareValue() == null) {
      b.type(String.class).paramLabel(s.type().label());
    } else if ("true".equals(s.bareValue())) { // a switch that also takes =true/=false
      b.type(String.class).arity("0..1").fallbackValue("true").paramLabel(s.type().label());
    } else { // a flag that sets one value (--log-json)
      b.type(boolean.class).arity("0");
    }
    return b.build();
  }

  /** Whether a setting was given on the command line. */
  boolean given(Setting<?> s) {
    return flags.containsKey(s.key());
  }

  /** Sets a setting as if given on the command line ({@code demo}: the embedded broker's address). */
  void set(Setting<?> s, String value) {
    flags.put(s.key(), value);
  }

  /** The flags given, by config key ({@code kafka.*} included). */
  Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>(flags);
    kafka.forEach((k, v) -> f.put(ConfigKeys.KAFKA_PREFIX + k, v));
    return f;
  }

  /** Loads the configuration: flags &gt; environment &gt; file &gt; defaults. */
  ServiceConfig load() {
    return ConfigLoader.load(configFile, System.getenv(), flags());
  }
}
