package io.captionstream.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.core.ConsoleAppender;
import io.captionstream.pipeline.PipelineStatus;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ObservabilityServerTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final EnricherMetrics metrics = new EnricherMetrics(registry);
  private final ServiceHealth health = new ServiceHealth();
  private final HttpClient http = HttpClient.newHttpClient();
  private ObservabilityServer server;

  @BeforeEach
  void start() throws Exception {
    server = ObservabilityServer.start("127.0.0.1", 0, registry, health.live(), health.ready());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static CaptionEvent caption(int generated, double totalMs) {
    return new CaptionEvent("t-0-1", "img", "a cat", null, new CaptionEvent.ModelInfo("m", "fp32"),
        new CaptionEvent.TokenCounts(80, 64, generated),
        new CaptionEvent.StageTimings(1, 2, 3, 4, 5, 6, 7, 8, totalMs), 10, "w0", "i0", null, null, null);
  }

  @Test
  void metricsExposeRecordsOutcomesStagesTokensWorkersAndFetchBytes() throws Exception {
    metrics.recordIn();
    metrics.recordIn();
    metrics.caption(caption(12, 250));
    metrics.error(ErrorCode.FETCH_FAILED);
    metrics.fetched(4096);
    metrics.bindPipeline(() -> 4, () -> 3, () -> 7);

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("captionstream_records_in_total 2.0")
        .contains("captionstream_outcomes_total{code=\"none\",type=\"caption\"} 1.0")
        .contains("captionstream_outcomes_total{code=\"FETCH_FAILED\",type=\"error\"} 1.0")
        .contains("captionstream_generated_tokens_total 12.0")
        .contains("captionstream_stage_seconds_count{stage=\"total\"} 1")
        .contains("captionstream_stage_seconds_sum{stage=\"total\"} 0.25")
        .contains("captionstream_stage_seconds_bucket{stage=\"vision\",le=")
        .contains("captionstream_fetch_bytes_total 4096.0")
        .contains("captionstream_workers_busy 3.0")
        .contains("captionstream_in_flight 7.0");
  }

  @Test
  void readyOnlyOnceStreamsRunsAndWorkersLoaded() throws Exception {
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);

    AtomicReference<String> streams = new AtomicReference<>("REBALANCING");
    AtomicBoolean loaded = new AtomicBoolean(false);
    AtomicBoolean live = new AtomicBoolean(true);
    health.attach(new ServiceHealth.State() {
      public String streamsState() {
        return streams.get();
      }

      public boolean workersLoaded() {
        return loaded.get();
      }

      public boolean live() {
        return live.get();
      }

      public boolean ready() {
        return PipelineStatus.ready(streams.get(), live.get(), loaded.get());
      }
    });
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    loaded.set(true);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    streams.set("RUNNING");
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"UP\"").contains("RUNNING");

    live.set(false);
    streams.set("ERROR");
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(503);
  }

  @Test
  void startupFailureTurnsLivenessDown() throws Exception {
    health.startupFailed("model folder missing");

    HttpResponse<String> live = get("/health/live");

    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body()).contains("model folder missing");
  }

  @Test
  void jsonLogFormatSwitchesTheRootAppenderToLogbacksJsonEncoder() {
    try {
      LogFormat.use(true);
      Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
      assertThat(root.getAppender("json")).isInstanceOfSatisfying(ConsoleAppender.class,
          a -> assertThat(a.getEncoder()).isInstanceOf(JsonEncoder.class));
      assertThat(root.getAppender("text")).isNull();
    } finally {
      LogFormat.use(false);
    }
    Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("text")).isNotNull();
  }
}
