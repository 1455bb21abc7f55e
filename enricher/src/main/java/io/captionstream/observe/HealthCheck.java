package io.captionstream.observe;

/** One health probe: cheap, thread-safe, called on every HTTP request. */
@FunctionalInterface
public interface HealthCheck {

  /** The state now; {@code up} decides the HTTP status (200 or 503). */
  Result check();

  /** @param detail a short reason shown in the response body */
  record Result(boolean up, String detail) {}
}
