package io.captionstream.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics} (Prometheus text format), {@code /health/live} and {@code /health/ready} (200 when up, 503
 * when not, a small JSON body either way) with the JDK's built-in HTTP server.
 */
public final class ObservabilityServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ObservabilityServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private ObservabilityServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code host:port} ({@code port} 0 = any free port).
   */
  public static ObservabilityServer start(String host, int port, PrometheusMeterRegistry registry, HealthCheck live,
      HealthCheck ready) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "observability-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        registry.scrape()));
    server.createContext("/health/live", ex -> health(ex, live));
    server.createContext("/health/ready", ex -> health(ex, ready));
    server.createContext("/", ex -> respond(ex, 404, "text/plain", "try /metrics, /health/live, /health/ready\n"));
    server.start();
    ObservabilityServer s = new ObservabilityServer(server, executor);
    log.info("metrics and health on http://{}:{}/metrics, /health/live, /health/ready", host, s.port());
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void health(HttpExchange ex, HealthCheck check) throws IOException {
    HealthCheck.Result r;
    try {
      r = check.check();
    } catch (RuntimeException e) {
      r = new HealthCheck.Result(false, "check failed: " + e);
    }
    String body = "{\"status\":\"" + (r.up() ? "UP" : "DOWN") + "\",\"detail\":\"" + escape(r.detail()) + "\"}\n";
    respond(ex, r.up() ? 200 : 503, "application/json", body);
  }

  private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", contentType);
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
