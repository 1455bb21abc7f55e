package io.captionstream.cli;

import io.captionstream.config.DurationText;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Small parsers for command-line values. */
final class ConfigParsing {

  private ConfigParsing() {}

  /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
  static Duration duration(String option, String text) {
    try {
      return DurationText.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " '" + text + "' is not a duration like 30s, 2m or PT30S");
    }
  }
}
