package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fetches image bytes from {@code http(s):}, {@code file:} and {@code data:} URIs under a {@link FetchPolicy}.
 * Redirects are followed by hand so every hop passes the address guard again. Thread-safe; blocking.
 */
public final class ImageFetcher implements AutoCloseable {

  private final FetchPolicy policy;
  private final AddressGuard guard;
  private final HttpClient http;
  private final ScheduledExecutorService watchdog;

  public ImageFetcher(FetchPolicy policy) {
    this.policy = policy;
    this.guard = new AddressGuard(policy.allowPrivateAddresses());
    this.http = HttpClient.newBuilder()
        .connectTimeout(policy.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fetch-watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  /** Returns the bytes behind {@code uri}, or fails with the error code the outcome must carry. */
  public byte[] fetch(String uri) throws FetchException {
    if (uri == null || uri.isBlank()) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "missing uri");
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      return DataUri.decode(uri, policy.maxBytes());
    }
    URI parsed = parse(uri);
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> fetchHttp(parsed);
      case "file" -> readFile(parsed);
      default -> throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "scheme '" + scheme + "' is not allowed");
    };
  }

  private static URI parse(String uri) throws FetchException {
    try {
      return new URI(uri);
    } catch (URISyntaxException e) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "not a URI: " + e.getMessage(), e);
    }
  }

  private byte[] readFile(URI uri) throws FetchException {
    if (policy.fileRoot() == null) {
      throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "file: URIs are disabled");
    }
    Path path;
    try {
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "bad file: URI: " + e.getMessage(), e);
    }
    try {
      Path real = path.toRealPath();
      if (!real.startsWith(policy.fileRoot().toRealPath())) {
        throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "file " + path + " is outside the allowed root");
      }
      long size = Files.size(real);
      if (size > policy.maxBytes()) {
        throw new FetchException(ErrorCode.TOO_LARGE, "file is " + size + " bytes, limit " + policy.maxBytes());
      }
      return Files.readAllBytes(real);
    } catch (NoSuchFileException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "no such file " + path, e);
    } catch (IOException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private byte[] fetchHttp(URI start) throws FetchException {
    URI current = start;
    for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
      guard.check(current.getHost());
      long hopDeadline = System.nanoTime() + policy.readTimeout().toNanos(); // request to last body byte
      HttpResponse<InputStream> response = send(current);
      int status = response.statusCode();
      if (status >= 300 && status < 400 && status != 304) {
        closeQuietly(response.body());
        String location = response.headers().firstValue("location")
            .orElseThrow(() -> new FetchException(ErrorCode.FETCH_FAILED, "redirect " + status + " without Location"));
        URI next;
        try {
          next = current.resolve(location);
        } catch (IllegalArgumentException e) {
          throw new FetchException(ErrorCode.FETCH_FAILED, "redirect " + status + " to a bad Location: "
              + e.getMessage(), e);
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          throw new FetchException(ErrorCode.FORBIDDEN_ADDRESS, "redirect to scheme '" + scheme + "' refused");
        }
        current = next;
        continue;
      }
      if (status < 200 || status >= 300) {
        closeQuietly(response.body());
        throw new FetchException(ErrorCode.FETCH_FAILED, "HTTP " + status + " from " + current);
      }
      long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
      if (declared > policy.maxBytes()) {
        closeQuietly(response.body());
        throw new FetchException(ErrorCode.TOO_LARGE, "Content-Length " + declared + " exceeds " + policy.maxBytes());
      }
      return readLimited(response.body(), current, hopDeadline);
    }
    throw new FetchException(ErrorCode.FETCH_FAILED, "more than " + policy.maxRedirects() + " redirects from " + start);
  }

  private HttpResponse<InputStream> send(URI uri) throws FetchException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.readTimeout()).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new FetchException(ErrorCode.FETCH_TIMEOUT, "connect to " + uri.getHost() + " timed out", e);
    } catch (HttpTimeoutException e) {
      throw new FetchException(ErrorCode.FETCH_TIMEOUT, "no response from " + uri + " within " + policy.readTimeout(), e);
    } catch (IOException e) {
      throw new FetchException(ErrorCode.FETCH_FAILED, "fetch of " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(ErrorCode.FETCH_TIMEOUT, "fetch of " + uri + " interrupted", e);
    }
  }

  /**
   * Reads at most {@code maxBytes}; a watchdog closes the stream when the hop's read timeout (counted from the
   * request, so the wait for the headers is included) passes mid-body.
   */
  private byte[] readLimited(InputStream body, URI uri, long deadline) throws FetchException {
    ScheduledFuture<?> abort = watchdog.schedule(() -> closeQuietly(body),
        Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    try (body) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = body.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > policy.maxBytes()) {
          throw new FetchException(ErrorCode.TOO_LARGE, "body of " + uri + " exceeds " + policy.maxBytes() + " bytes");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      if (System.nanoTime() >= deadline) {
        throw new FetchException(ErrorCode.FETCH_TIMEOUT, "body of " + uri + " not read within " + policy.readTimeout(), e);
      }
      throw new FetchException(ErrorCode.FETCH_FAILED, "reading " + uri + " failed: " + e, e);
    } finally {
      abort.cancel(false);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is best effort: the connection is dropped either way
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    http.close();
  }
}
