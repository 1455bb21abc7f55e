package io.captionstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void readsShortFormsCaseInsensitivelyAndIgnoresBlanks() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse(" 30S ")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("2 m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void readsIso8601() {
    assertThat(DurationText.parse(" PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void rejectsAnythingElse() {
    assertThatThrownBy(() -> DurationText.parse("30 parsecs")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> DurationText.parse("-5s")).isInstanceOf(DateTimeParseException.class);
  }
}
