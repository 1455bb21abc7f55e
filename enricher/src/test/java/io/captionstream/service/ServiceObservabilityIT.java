package io.captionstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.config.ConfigLoader;
import io.captionstream.config.ServiceConfig;
import io.captionstream.hub.ModelResolver;
import io.captionstream.model.VariantSelection;
import io.captionstream.pipeline.PipelineConfig;
import io.captionstream.schema.ImageReference;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import io.captionstream.tools.EmbeddedKafka;
import io.captionstream.tools.ImageSources;
import io.captionstream.tools.OutcomeReader;
import io.captionstream.tools.ImagePublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as {@code run} starts it, against an embedded broker and a synthetic model: {@code /health/ready} is
 * DOWN while models load and Streams is not yet running, UP after; {@code /metrics} carries every service metric.
 */
class ServiceObservabilityIT {

  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthTurnsReadyOnlyOnceStreamsRunsAndMetricsCoverTheWork() throws Exception {
    Path model = tmp.resolve("model");
    SynthModelWriter.write(SynthSpec.tiny(), model);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      ServiceConfig config = ConfigLoader.load(null, Map.of(), Map.of(
          "bootstrap.servers", kafka.bootstrapServers(), "metrics.host", "127.0.0.1", "metrics.port", "0",
          "workers", "2", "instance.id", "it-1"));
      PipelineConfig pc = PipelineConfig.from(config);
      kafka.createTopics(2, pc.topics().input());
      kafka.createTopics(1, pc.topics().output(), pc.topics().errors());
      List<ImageReference> refs = new ArrayList<>(ImageSources.samples());
      refs.add(ImageReference.of("not-an-image", ImageSources.dataUri("x.png", new byte[] {1, 2, 3, 4})));

      try (EnricherService service = EnricherService.open(config)) {
        int port = service.metricsPort();
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(port, "/health/ready").statusCode()).isEqualTo(503);

        service.startPipeline(config, new ModelResolver.ResolvedModel(model, "synthetic/tiny",
            VariantSelection.defaults(), "dir"));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        HttpResponse<String> ready = get(port, "/health/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
          assertThat(ready.body()).doesNotContain("streams RUNNING, workers loaded");
          Thread.sleep(100);
          ready = get(port, "/health/ready");
        }
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("streams RUNNING");

        try (ImagePublisher publisher = new ImagePublisher(pc.bootstrapServers(), Map.of());
            OutcomeReader reader = new OutcomeReader(pc.bootstrapServers(), Map.of(), pc.topics().output(),
                pc.topics().errors(), true)) {
          publisher.publish(pc.topics().input(), refs, n -> { });
          int seen = 0;
          while (seen < refs.size() && System.nanoTime() < deadline + Duration.ofSeconds(60).toNanos()) {
            seen += reader.poll(Duration.ofMillis(200)).size();
          }
          assertThat(seen).isEqualTo(refs.size());
        }

        int captions = refs.size() - 1;
        String metrics = get(port, "/metrics").body();
        assertThat(metrics)
            .contains("captionstream_records_in_total " + refs.size() + ".0")
            .contains("captionstream_outcomes_total{code=\"none\",type=\"caption\"} " + captions + ".0")
            .containsPattern("captionstream_outcomes_total\\{code=\"(UNSUPPORTED_FORMAT|CORRUPT_IMAGE)\",type=\""
                + "error\"} 1.0")
            .contains("captionstream_stage_seconds_count{stage=\"vision\"} " + captions)
            .contains("captionstream_stage_seconds_count{stage=\"fetch\"} " + captions)
            .containsPattern("captionstream_generated_tokens_total [1-9]")
            .containsPattern("captionstream_fetch_bytes_total [1-9]")
            .contains("captionstream_workers 2.0")
            .containsPattern("captionstream_workers_busy [0-9]")
            .containsPattern("captionstream_in_flight [0-9]")
            .contains("kafka_stream_")
            .contains("captionstream_cache_misses_total " + refs.size() + ".0")
            .contains("captionstream_cache_hits_total 0.0")
            .containsPattern("captionstream_cache_entries [0-9]")
            .contains("captionstream_cache_restore_seconds");
      }
    }
  }
}
