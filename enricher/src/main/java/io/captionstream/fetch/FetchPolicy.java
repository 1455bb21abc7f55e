package io.captionstream.fetch;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the image fetcher may do.
 *
 * @param connectTimeout         TCP/TLS connect limit per hop
 * @param readTimeout            limit from request to the last body byte, per hop
 * @param maxBytes               largest image accepted; more is {@code TOO_LARGE}
 * @param maxRedirects           redirect hops followed (each one re-checked by the address guard)
 * @param allowPrivateAddresses  whether loopback, private, link-local and unique-local addresses may be fetched
 * @param fileRoot               directory {@code file:} URIs must lie in; {@code null} disables {@code file:}
 */
public record FetchPolicy(
    Duration connectTimeout,
    Duration readTimeout,
    long maxBytes,
    int maxRedirects,
    boolean allowPrivateAddresses,
    Path fileRoot) {

  public FetchPolicy {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1");
    }
    if (maxRedirects < 0) {
      throw new IllegalArgumentException("maxRedirects must be >= 0");
    }
    fileRoot = fileRoot == null ? null : fileRoot.toAbsolutePath().normalize();
  }

  /** Safe defaults: 5 s connect, 20 s read, 20 MiB, 5 redirects, public addresses only, no {@code file:}. */
  public static FetchPolicy defaults() {
    return new FetchPolicy(Duration.ofSeconds(5), Duration.ofSeconds(20), 20L << 20, 5, false, null);
  }

  public FetchPolicy withAllowPrivateAddresses(boolean allow) {
    return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, allow, fileRoot);
  }

  public FetchPolicy withFileRoot(Path root) {
    return new FetchPolicy(connectTimeout, readTimeout, maxBytes, maxRedirects, allowPrivateAddresses, root);
  }

  public FetchPolicy withReadTimeout(Duration timeout) {
    return new FetchPolicy(connectTimeout, timeout, maxBytes, maxRedirects, allowPrivateAddresses, fileRoot);
  }

  public FetchPolicy withMaxBytes(long bytes) {
    return new FetchPolicy(connectTimeout, readTimeout, bytes, maxRedirects, allowPrivateAddresses, fileRoot);
  }
}
