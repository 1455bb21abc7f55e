package io.captionstream.fetch;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the image fetcher may do.
 *
 * @param connectTimeout         TCP connect limit per hop
 * @param readTimeout            limit from request to the last body byte (TLS handshake included), per hop; the
 *                               same limit covers opening and reading a {@code file:}
 * @param maxBytes               largest image accepted; more is {@code TOO_LARGE}
 * @param maxRedirects           redirect hops followed (each one re-checked by the address guard)
 * @param allowPrivateAddresses  whether internal and special-purpose addresses (loopback, private, link-local,
 *                               unique-local, ...) may be fetched
 * @param fileRoot               directory {@code file:} URIs must lie in; {@code null} disables {@code file:}
 * @param retries                further tries after a transient failure (refused/reset connection, timeout, HTTP
 *                               408, 425, 429, 500, 502, 503, 504); 0 disables retries
 * @param retryBackoff           base of the exponential backoff: retry n waits a random time up to
 *                               {@code retryBackoff * 2^(n-1)} (at most 30 s), or the server's {@code Retry-After}
 */
public record FetchPolicy(
    Duration connectTimeout,
    Duration readTimeout,
    long maxBytes,
    int maxRedirects,
    boolean allowPrivateAddresses,
    Path fileRoot,
    int retries,
    Duration retryBackoff) {

  public FetchPolicy {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must be >= 0");
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0");
    }
    if (retryBackoff == null || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff must be >= 0");
    }
    fileRoot = fileRoot == null ? null : fileRoot.toAbsolutePath().normalize();
  }

  /**
   * Safe defaults: 5 s connect, 20 s read, 20 MiB, 5 redirects, public addresses only, no {@code file:}, 2 retries
   * with a 500 ms backoff base.
   */
  public static FetchPolicy defaults() {
    return new FetchPolicy(Duration.ofSeconds(5), Duration.ofSeconds(20), 20L << 20, 5, false, null, 2,
        Duration.ofMillis(500));
  }

  public FetchPolicy withAllowPrivateAddresses(boolean allow) {
    return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, allow, fileRoot, retries,
        retryBackoff);
  }

  public FetchPolicy withFileRoot(Path root) {
    return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, allowPrivateAddresses, root, retries,
        retryBackoff);
  }

  public FetchPolicy withReadTimeout(Duration timeout) {
    return new FetchPolicy(connectTimeout, timeout, maxBytes, maxRedirects, allowPrivateAddresses, fileRoot, retries,
        retryBackoff);
  }

  public FetchPolicy withMaxBytes(long bytes) {
    return new FetchPolicy(connectTimeout, readTimeout, bytes, maxRedirects, allowPrivateAddresses, fileRoot, retries,
        retryBackoff);
  }

  /** Sets the retries after a transient failure and the backoff base. */
  public FetchPolicy withRetries(int count, Duration backoff) {
    return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, allowPrivateAddresses, fileRoot, count,
        backoff);
  }
}
