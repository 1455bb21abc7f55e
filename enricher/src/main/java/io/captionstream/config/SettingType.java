package io.captionstream.config;

import io.captionstream.model.VariantSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How the text of a setting becomes its value.
 *
 * @param label    the placeholder shown in {@code --help}, e.g. {@code N} or {@code DURATION}
 * @param expected what a valid value looks like, for error messages
 * @param parser   text to value; throws {@link IllegalArgumentException} (or a subclass) on bad text
 */
public record SettingType<T>(String label, String expected, Function<String, T> parser) {

  public static final SettingType<String> TEXT = new SettingType<>("TEXT", "text", String::strip);
  public static final SettingType<Integer> INT = new SettingType<>("N", "an integer", t -> Integer.parseInt(t.strip()));
  public static final SettingType<Long> LONG = new SettingType<>("N", "an integer", t -> Long.parseLong(t.strip()));
  public static final SettingType<Boolean> BOOL = new SettingType<>("BOOL", "true or false", SettingType::bool);
  public static final SettingType<Duration> DURATION =
      new SettingType<>("DURATION", "a duration like 500ms, 30s, 2m or PT30S", DurationText::parse);
  public static final SettingType<Path> PATH = new SettingType<>("PATH", "a path", t -> Path.of(t.strip()));
  public static final SettingType<VariantSelection> VARIANT = new SettingType<>("VARIANT",
      "a variant like q4 or per graph q4,vision=fp32", VariantSelection::parse);

  /** One of {@code choices}, case-insensitively; the value is the lower-case choice. */
  public static SettingType<String> oneOf(String... choices) {
    List<String> allowed = List.of(choices);
    return new SettingType<>(String.join("|", allowed), String.join(" or ", allowed), t -> {
      String v = t.strip().toLowerCase(Locale.ROOT);
      if (!allowed.contains(v)) {
        throw new IllegalArgumentException(t);
      }
      return v;
    });
  }

  public T parse(String text) {
    return parser.apply(text);
  }

  private static boolean bool(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException(text);
    };
  }
}
