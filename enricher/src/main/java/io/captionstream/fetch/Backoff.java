package io.captionstream.fetch;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * When to try a failed fetch again: exponential backoff with full jitter (a random wait in
 * {@code [0, base * 2^(n-1)]} before retry n, at most {@link #MAX_WAIT}), or the server's {@code Retry-After}
 * when it sent one and it is at most {@link #MAX_WAIT}; a longer {@code Retry-After} means give up now.
 */
final class Backoff {

  /** The longest wait before one retry, and the largest {@code Retry-After} honoured. */
  static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final int retries;
  private final Duration base;
  private final LongUnaryOperator jitter;

  /**
   * @param jitter maps a bound {@code b >= 0} (milliseconds) to a wait in {@code [0, b]}
   */
  Backoff(int retries, Duration base, LongUnaryOperator jitter) {
    this.retries = retries;
    this.base = base;
    this.jitter = jitter;
  }

  /** The wait before attempt {@code failedAttempts + 1}, or empty when {@code failure} is final. */
  Optional<Duration> next(FetchException failure, int failedAttempts) {
    if (!failure.isTransient() || failedAttempts > retries) {
      return Optional.empty();
    }
    Optional<Duration> asked = failure.retryAfter();
    if (asked.isPresent()) {
      return asked.get().compareTo(MAX_WAIT) <= 0 ? asked : Optional.empty();
    }
    long bound = base.toMillis();
    for (int i = 1; i < failedAttempts && bound < MAX_WAIT.toMillis(); i++) {
      bound *= 2;
    }
    return Optional.of(Duration.ofMillis(jitter.applyAsLong(Math.min(bound, MAX_WAIT.toMillis()))));
  }

  /**
   * A {@code Retry-After} value: delay-seconds or an HTTP date (a date in the past is no wait); empty when
   * absent or unreadable.
   */
  static Optional<Duration> parseRetryAfter(Optional<String> header, Clock clock) {
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    if (value.matches("[0-9]{1,12}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
