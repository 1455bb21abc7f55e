package io.captionstream.fetch;

import io.captionstream.schema.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches image bytes from {@code http(s):}, {@code file:} and {@code data:} URIs under a {@link FetchPolicy}.
 * Every http(s) hop (redirects are followed by hand) passes the address guard and connects to the very address the
 * guard checked. Transient failures are tried again after a backoff ({@link Backoff}). Thread-safe.
 */
public final class ImageFetcher implements AutoCloseable {

  private final FetchPolicy policy;
  private final AddressGuard guard;
  private final HttpHop http;
  private final FileSource files;
  private final Backoff backoff;
  private final ScheduledExecutorService timer;
  private final ExecutorService fileOpener;

  public ImageFetcher(FetchPolicy policy) {
    this(policy, HostResolver.system(), (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /**
   * @param resolver asked once per hop for a host name's addresses
   * @param tls      makes the TLS sockets (its trust decides which server certificates are accepted)
   */
  public ImageFetcher(FetchPolicy policy, HostResolver resolver, SSLSocketFactory tls) {
    this.policy = policy;
    this.guard = new AddressGuard(policy.allowPrivateAddresses(), resolver);
    this.http = new HttpHop(policy, tls);
    this.backoff = new Backoff(policy.retries(), policy.retryBackoff(),
        bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("fetch-timer", new AtomicInteger()));
    this.fileOpener = Executors.newFixedThreadPool(4, daemon("file-open-", new AtomicInteger()));
    this.files = new FileSource(policy, fileOpener, timer);
  }

  /** Returns the bytes behind {@code uri}, trying transient failures again (waiting on the calling thread). */
  public byte[] fetch(String uri) throws FetchException {
    for (int attempt = 1; ; attempt++) {
      try {
        return fetchOnce(uri);
      } catch (FetchException e) {
        Optional<Duration> wait = backoff.next(e, attempt);
        if (wait.isEmpty()) {
          throw e.afterAttempts(attempt);
        }
        try {
          Thread.sleep(wait.get());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e.afterAttempts(attempt);
        }
      }
    }
  }

  /**
   * Fetches {@code uri} without ever waiting on a thread between tries: the first attempt runs on the calling
   * thread, each retry is handed to {@code executor} once its backoff has passed. The future fails with a
   * {@link FetchException} whose {@link FetchException#attempts()} is the number of tries made (also when
   * {@code executor} refuses a retry because it was shut down).
   */
  public CompletableFuture<byte[]> fetchAsync(String uri, Executor executor) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    attempt(uri, 1, executor, result);
    return result;
  }

  private void attempt(String uri, int n, Executor executor, CompletableFuture<byte[]> result) {
    try {
      result.complete(fetchOnce(uri));
    } catch (FetchException e) {
      Optional<Duration> wait = backoff.next(e, n);
      if (wait.isEmpty()) {
        result.completeExceptionally(e.afterAttempts(n));
        return;
      }
      Runnable retry = () -> {
        try {
          executor.execute(() -> attempt(uri, n + 1, executor, result));
        } catch (RejectedExecutionException stopped) {
          result.completeExceptionally(e.afterAttempts(n));
        }
      };
      try {
        timer.schedule(retry, wait.get().toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        result.completeExceptionally(e.afterAttempts(n));
      }
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    }
  }

  /** One try: the bytes behind {@code uri}, or the error code the outcome must carry. */
  private byte[] fetchOnce(String uri) throws FetchException {
    if (uri == null || uri.isBlank()) {
      throw new FetchException(ErrorCode.INVALID_EVENT, "missing uri");
    }
    if (uri.toLowerCase(Locale.ROOT).startsWith("data:")) {
      return DataUri.decode(uri, policy.maxBytes());
    }
    URI parsed = parse(uri);
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http", "https" -> fetchHttp(parsed);
      case "file" -> files.read(parsed);
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

  private byte[] fetchHttp(URI start) throws FetchException {
    URI current = start;
    for (int hop = 0; hop <= policy.maxRedirects(); hop++) {
      Target target = Target.of(current);
      InetAddress address = guard.check(target.host());
      HttpReply reply = http.get(target, address);
      int status = reply.status();
      if (status >= 300 && status < 400 && status != 304) {
        current = redirectTarget(current, status, reply);
        continue;
      }
      if (status < 200 || status >= 300) {
        String message = "HTTP " + status + " from " + current;
        if (HttpHop.isTransient(status)) {
          Duration retryAfter = Backoff.parseRetryAfter(reply.header("retry-after"), Clock.systemUTC()).orElse(null);
          throw FetchException.transientFailure(ErrorCode.FETCH_FAILED, message, null, retryAfter);
        }
        throw new FetchException(ErrorCode.FETCH_FAILED, message);
      }
      return reply.body();
    }
    throw new FetchException(ErrorCode.FETCH_FAILED, "more than " + policy.maxRedirects() + " redirects from " + start);
  }

  private static URI redirectTarget(URI current, int status, HttpReply reply) throws FetchException {
    String location = reply.header("location")
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
    return next;
  }

  private static ThreadFactory daemon(String name, AtomicInteger n) {
    return r -> {
      Thread t = new Thread(r, name.endsWith("-") ? name + n.getAndIncrement() : name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    timer.shutdownNow();
    fileOpener.shutdownNow();
  }
}
