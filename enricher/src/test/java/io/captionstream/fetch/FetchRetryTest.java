package io.captionstream.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.captionstream.schema.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transient failures are retried with backoff; permanent ones are not; a waiting retry holds no thread. */
class FetchRetryTest {

  private static final byte[] BODY = "pretend-png-bytes".getBytes(StandardCharsets.UTF_8);

  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private HttpServer server;
  private String base;
  private ImageFetcher fetcher;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    answer("/img.png", n -> reply(200, null));
    answer("/flaky.png", n -> n <= 2 ? reply(503, null) : reply(200, null));
    answer("/down.png", n -> reply(503, null));
    answer("/missing.png", n -> reply(404, null));
    answer("/denied.png", n -> reply(401, null));
    answer("/limited.png", n -> n == 1 ? reply(429, "1") : reply(200, null));
    answer("/always-limited.png", n -> reply(429, "1"));
    answer("/far.png", n -> reply(503, "120"));
    answer("/dated.png", n -> n == 1 ? reply(503, DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2))) : reply(200, null));
    answer("/gateway.png", n -> n == 1 ? reply(502, null) : n == 2 ? reply(504, null) : reply(200, null));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    fetcher = new ImageFetcher(policy(2, Duration.ofMillis(20)));
  }

  @AfterEach
  void stop() {
    server.stop(0);
    fetcher.close();
  }

  private static FetchPolicy policy(int retries, Duration backoff) {
    return FetchPolicy.defaults().withAllowPrivateAddresses(true).withReadTimeout(Duration.ofMillis(500))
        .withRetries(retries, backoff);
  }

  private record Reply(int status, String retryAfter) {}

  private static Reply reply(int status, String retryAfter) {
    return new Reply(status, retryAfter);
  }

  private void answer(String path, IntFunction<Reply> byRequestNumber) {
    AtomicInteger count = requests.computeIfAbsent(path, p -> new AtomicInteger());
    server.createContext(path, ex -> respond(ex, byRequestNumber.apply(count.incrementAndGet())));
  }

  private static void respond(HttpExchange ex, Reply r) throws IOException {
    if (r.retryAfter() != null) {
      ex.getResponseHeaders().add("Retry-After", r.retryAfter());
    }
    if (r.status() == 200) {
      ex.sendResponseHeaders(200, BODY.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(BODY);
      }
    } else {
      ex.sendResponseHeaders(r.status(), -1);
      ex.close();
    }
  }

  private int requestsTo(String path) {
    return requests.get(path).get();
  }

  private static FetchException failure(CompletableFuture<byte[]> f) throws Exception {
    try {
      f.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FetchException.class);
      return (FetchException) e.getCause();
    }
    throw new AssertionError("the fetch succeeded");
  }

  @Test
  void twoServiceUnavailableAnswersThenTheImageGivesTheImageOnTheThirdAttempt() throws Exception {
    assertThat(fetcher.fetch(base + "/flaky.png")).isEqualTo(BODY);
    assertThat(requestsTo("/flaky.png")).isEqualTo(3);
    assertThat(fetcher.fetch(base + "/gateway.png")).isEqualTo(BODY);
    assertThat(requestsTo("/gateway.png")).isEqualTo(3);
  }

  @Test
  void aServerThatStaysDownGivesUpAfterTheRetriesWithTheRealAttemptCount() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      FetchException e = failure(fetcher.fetchAsync(base + "/down.png", pool));
      assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED);
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.getMessage()).contains("HTTP 503").contains("3 attempts");
      assertThat(requestsTo("/down.png")).isEqualTo(3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void permanentFailuresAreNotRetried() {
    for (String path : new String[] {"/missing.png", "/denied.png"}) {
      assertThatThrownBy(() -> fetcher.fetch(base + path)).isInstanceOfSatisfying(FetchException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED);
        assertThat(e.attempts()).isEqualTo(1);
      });
      assertThat(requestsTo(path)).as(path).isEqualTo(1);
    }
    assertThatThrownBy(() -> fetcher.fetch("ftp://127.0.0.1/a.png")).isInstanceOfSatisfying(
        FetchException.class, e -> assertThat(e.attempts()).isEqualTo(1));
  }

  @Test
  void retryAfterInSecondsIsWaitedFor() throws Exception {
    long t0 = System.nanoTime();
    assertThat(fetcher.fetch(base + "/limited.png")).isEqualTo(BODY);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
    assertThat(requestsTo("/limited.png")).isEqualTo(2);
  }

  @Test
  void retryAfterAsAnHttpDateIsWaitedFor() throws Exception {
    long t0 = System.nanoTime();
    assertThat(fetcher.fetch(base + "/dated.png")).isEqualTo(BODY);
    // the date has a resolution of one second: at least ~1 s of the 2 s remain when it is read
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(requestsTo("/dated.png")).isEqualTo(2);
  }

  @Test
  void aRetryAfterBeyondTheCapGivesUpAtOnce() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> fetcher.fetch(base + "/far.png")).isInstanceOfSatisfying(FetchException.class,
        e -> assertThat(e.attempts()).isEqualTo(1));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(requestsTo("/far.png")).isEqualTo(1);
  }

  @Test
  void refusedAndResetConnectionsAndTimeoutsAreRetried() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + closedPort + "/x.png"))
        .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.attempts()).isEqualTo(3));
    AtomicInteger accepted = new AtomicInteger();
    try (ServerSocket reset = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread resetter = Thread.ofVirtual().start(() -> acceptAndReset(reset, accepted));
      assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + reset.getLocalPort() + "/x.png"))
          .isInstanceOfSatisfying(FetchException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FETCH_FAILED);
            assertThat(e.attempts()).isEqualTo(3);
          });
      assertThat(accepted.get()).isEqualTo(3);
      resetter.interrupt();
      // accepted by the backlog, never answered: each attempt runs into the 500 ms read timeout
      assertThatThrownBy(() -> fetcher.fetch("http://127.0.0.1:" + silent.getLocalPort() + "/x.png"))
          .isInstanceOfSatisfying(FetchException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FETCH_TIMEOUT);
            assertThat(e.attempts()).isEqualTo(3);
          });
    }
  }

  private static void acceptAndReset(ServerSocket server, AtomicInteger accepted) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        accepted.incrementAndGet();
        s.setSoLinger(true, 0); // close with RST
      } catch (IOException e) {
        return;
      }
    }
  }

  @Test
  void aRecordWaitingForItsRetryDoesNotDelayAnotherRecordsFetch() throws Exception {
    ExecutorService oneFetchThread = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<CompletableFuture<byte[]>> slow = CompletableFuture.supplyAsync(
          () -> fetcher.fetchAsync(base + "/always-limited.png", oneFetchThread), oneFetchThread);
      Thread.sleep(200); // the first attempt got its 429 and now waits 1 s for its retry
      long t0 = System.nanoTime();
      CompletableFuture<byte[]> quick = CompletableFuture.supplyAsync(
          () -> fetcher.fetchAsync(base + "/img.png", oneFetchThread), oneFetchThread).join();
      assertThat(quick.get(5, TimeUnit.SECONDS)).isEqualTo(BODY);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(700));
      assertThat(slow.join().isDone()).as("the 429 record is still waiting for its retries").isFalse();
      FetchException e = failure(slow.join());
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(requestsTo("/always-limited.png")).isEqualTo(3);
    } finally {
      oneFetchThread.shutdownNow();
    }
  }

  @Test
  void retriesCanBeSwitchedOff() {
    try (ImageFetcher once = new ImageFetcher(policy(0, Duration.ofMillis(20)))) {
      assertThatThrownBy(() -> once.fetch(base + "/down.png")).isInstanceOfSatisfying(FetchException.class,
          e -> assertThat(e.attempts()).isEqualTo(1));
    }
    assertThat(requestsTo("/down.png")).isEqualTo(1);
  }

  @Test
  void backoffDoublesFromTheBaseUpToTheCapWithFullJitter() {
    FetchException transientFailure = FetchException.transientFailure(ErrorCode.FETCH_FAILED, "503", null, null);
    Backoff top = new Backoff(10, Duration.ofMillis(500), bound -> bound);
    assertThat(top.next(transientFailure, 1)).contains(Duration.ofMillis(500));
    assertThat(top.next(transientFailure, 2)).contains(Duration.ofMillis(1_000));
    assertThat(top.next(transientFailure, 4)).contains(Duration.ofMillis(4_000));
    assertThat(top.next(transientFailure, 10)).contains(Backoff.MAX_WAIT);
    assertThat(top.next(transientFailure, 11)).as("retries used up").isEmpty();
    assertThat(new Backoff(10, Duration.ofMillis(500), bound -> 0).next(transientFailure, 3)).contains(Duration.ZERO);
    assertThat(top.next(new FetchException(ErrorCode.FETCH_FAILED, "404"), 1)).as("permanent").isEmpty();
  }

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    Clock clock = Clock.fixed(ZonedDateTime.parse("2026-01-01T00:00:00Z").toInstant(), ZoneOffset.UTC);
    assertThat(Backoff.parseRetryAfter(Optional.of("7"), clock)).contains(Duration.ofSeconds(7));
    assertThat(Backoff.parseRetryAfter(Optional.of("Thu, 01 Jan 2026 00:00:05 GMT"), clock))
        .contains(Duration.ofSeconds(5));
    assertThat(Backoff.parseRetryAfter(Optional.of("Wed, 31 Dec 2025 23:00:00 GMT"), clock)).contains(Duration.ZERO);
    assertThat(Backoff.parseRetryAfter(Optional.of("soon"), clock)).isEmpty();
    assertThat(Backoff.parseRetryAfter(Optional.empty(), clock)).isEmpty();
  }
}
