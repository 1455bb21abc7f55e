package io.captionstream.config;

import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One setting of the service, declared once in {@link ConfigKeys}: the key in {@code enricher.properties}, its type,
 * default and help text, the command-line flag of {@code run} and {@code demo}; the environment variable is derived
 * from the key. Everything else (picocli options, defaults of the pipeline, the README table) is derived from this.
 *
 * @param key          the properties-file key, e.g. {@code topic.input}
 * @param type         how its text is parsed
 * @param defaultText  the value when nobody sets it; {@code null} = unset (a computed default is described in
 *                     {@code doc})
 * @param doc          one line for {@code --help} and the README
 * @param flag         the long flag, e.g. {@code --input-topic}
 * @param shortNames   further visible names of the flag, e.g. {@code -b}
 * @param hiddenAliases old spellings still accepted, not shown in {@code --help}
 * @param bareValue    the value a flag given without a value sets ({@code --allow-private-addresses} = true,
 *                     {@code --log-json} = json), or {@code null} when the flag needs a value
 * @param deprecated   accepted but no longer documented (not in {@code --help} nor the README)
 */
public record Setting<T>(String key, SettingType<T> type, String defaultText, String doc, String flag,
    List<String> shortNames, List<String> hiddenAliases, String bareValue, boolean deprecated) {

  public static final String ENV_PREFIX = "CAPTIONSTREAM_";

  public Setting {
    shortNames = List.copyOf(shortNames);
    hiddenAliases = List.copyOf(hiddenAliases);
    if (defaultText != null) {
      type.parse(defaultText); // a default that does not parse is a programming error: fail at class load
    }
  }

  public static Setting<String> text(String key, String flag, String defaultText, String doc) {
    return of(key, SettingType.TEXT, flag, defaultText, doc);
  }

  public static Setting<Integer> integer(String key, String flag, Integer defaultValue, String doc) {
    return of(key, SettingType.INT, flag, defaultValue == null ? null : defaultValue.toString(), doc);
  }

  public static Setting<Long> longValue(String key, String flag, Long defaultValue, String doc) {
    return of(key, SettingType.LONG, flag, defaultValue == null ? null : defaultValue.toString(), doc);
  }

  /** A switch: {@code --flag} alone sets true, {@code --flag=false} false. */
  public static Setting<Boolean> bool(String key, String flag, boolean defaultValue, String doc) {
    return of(key, SettingType.BOOL, flag, Boolean.toString(defaultValue), doc).bareFlagSets("true");
  }

  public static Setting<Duration> duration(String key, String flag, String defaultText, String doc) {
    return of(key, SettingType.DURATION, flag, defaultText, doc);
  }

  public static Setting<Path> path(String key, String flag, String doc) {
    return of(key, SettingType.PATH, flag, null, doc);
  }

  public static <T> Setting<T> of(String key, SettingType<T> type, String flag, String defaultText, String doc) {
    return new Setting<>(key, type, defaultText, doc, flag, List.of(), List.of(), null, false);
  }

  /** Also answers to these names, shown in {@code --help} (e.g. {@code -b}). */
  public Setting<T> alsoNamed(String... names) {
    return new Setting<>(key, type, defaultText, doc, flag, concat(shortNames, names), hiddenAliases, bareValue,
        deprecated);
  }

  /** Old spellings kept for one release: accepted, not shown. */
  public Setting<T> hiddenAlias(String... names) {
    return new Setting<>(key, type, defaultText, doc, flag, shortNames, concat(hiddenAliases, names), bareValue,
        deprecated);
  }

  /** The flag takes no value and sets {@code value} (e.g. {@code --log-json} sets {@code log.format=json}). */
  public Setting<T> bareFlagSets(String value) {
    return new Setting<>(key, type, defaultText, doc, flag, shortNames, hiddenAliases, value, deprecated);
  }

  public Setting<T> deprecatedSetting() {
    return new Setting<>(key, type, defaultText, doc, flag, shortNames, hiddenAliases, bareValue, true);
  }

  /** {@code topic.input} → {@code CAPTIONSTREAM_TOPIC_INPUT}. */
  public String env() {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The parsed default, or {@code null} when the setting has none. */
  public T defaultValue() {
    return defaultText == null ? null : type.parse(defaultText);
  }

  /** The visible names of the flag, short ones first. */
  public List<String> names() {
    List<String> n = new ArrayList<>(shortNames.stream().filter(s -> !s.startsWith("--")).toList());
    n.add(flag);
    n.addAll(shortNames.stream().filter(s -> s.startsWith("--")).toList());
    return n;
  }

  private static List<String> concat(List<String> a, String... b) {
    return Stream.concat(a.stream(), Stream.of(b)).toList();
  }
}
