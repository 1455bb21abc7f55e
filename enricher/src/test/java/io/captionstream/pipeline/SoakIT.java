package io.captionstream.pipeline;

import static io.captionstream.pipeline.KafkaTopicsSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.awt.Color;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Issue #9 part 7: records through one instance on the tiny synthetic model while RSS and Java heap are sampled;
 * after warm-up RSS must plateau. CI runs {@value #CI_RECORDS} records with a loose bound; the benchmark run is
 * {@code -Dit.test=SoakIT -Dsoak.records=5000} (growth after warm-up must stay under 5 %).
 */
@Testcontainers
class SoakIT {

  static final int CI_RECORDS = 300;
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @TempDir
  Path tmp;

  record Sample(double seconds, long outcomes, long rssKiB, long heapUsedKiB) {}

  @Test
  void rssPlateausAfterWarmUp() throws Exception {
    int records = Integer.getInteger("soak.records", CI_RECORDS);
    double allowedGrowth = records >= 5_000 ? 0.05 : 0.25;
    Path model = tmp.resolve("tiny");
    SynthModelWriter.write(SynthSpec.tiny(), model);
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("soak", 2);
    Map<String, String> inputs = new LinkedHashMap<>();
    for (int i = 0; i < records; i++) {
      String uri = TestImages.pngDataUri(8 + i % 24, 8 + i % 17, new Color(i % 256, 90, 200));
      inputs.put("k" + i, "{\"id\":\"img-" + i + "\",\"uri\":\"" + uri + "\",\"maxNewTokens\":3,"
          + "\"attributes\":{\"n\":\"" + i + "\"}}");
    }
    PipelineConfig config = PipelineConfig.defaults(KAFKA.getBootstrapServers())
        .withApplicationId("soak-" + UUID.randomUUID()).withTopics(topics).withWorkers(2)
        .withCommitInterval(Duration.ofMillis(500));
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    long t0 = System.nanoTime();
    Set<String> both = Set.of(topics.output(), topics.errors());
    long seen;
    try (CaptionPipeline p = CaptionPipeline.start(config,
        new OnnxCaptionerProvider().captioners(model, "fp32", 1))) {
      sampler.scheduleAtFixedRate(() -> samples.add(sample(t0, p.captions() + p.errors())), 0,
          SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      kafka.produce(topics.input(), inputs);
      var out = kafka.readUntil(both, r -> r.size() >= records, Duration.ofMinutes(records >= 5_000 ? 30 : 5));
      seen = out.stream().map(r -> text(r.key())).distinct().count();
      samples.add(sample(t0, p.captions() + p.errors()));
      assertThat(p.errors()).as("errors").isZero();
      assertThat(p.live()).isTrue();
    } finally {
      sampler.shutdownNow();
    }
    List<Sample> curve = List.copyOf(samples);
    // warm-up: the first fifth of the records (JIT, ORT arenas, Kafka buffers)
    Sample warm = curve.stream().filter(s -> s.outcomes() >= records / 5).findFirst().orElseThrow();
    Sample end = curve.get(curve.size() - 1);
    long peakAfterWarm = curve.stream().filter(s -> s.seconds() >= warm.seconds()).mapToLong(Sample::rssKiB).max()
        .orElseThrow();
    double growth = (double) (peakAfterWarm - warm.rssKiB()) / warm.rssKiB();
    print(records, seen, curve, warm, end, growth);
    assertThat(seen).as("lost").isEqualTo(records);
    assertThat(growth).as("RSS growth after warm-up").isLessThan(allowedGrowth);
  }

  private static void print(int records, long seen, List<Sample> curve, Sample warm, Sample end, double growth) {
    StringBuilder b = new StringBuilder(String.format("soak: records=%d lost=%d rss start=%d MiB warm=%d MiB "
        + "end=%d MiB growth-after-warm-up=%.1f%%%n", records, records - seen, curve.get(0).rssKiB() >> 10,
        warm.rssKiB() >> 10, end.rssKiB() >> 10, growth * 100));
    b.append("soak curve: seconds | outcomes | RSS MiB | heap used MiB\n");
    int step = Math.max(1, curve.size() / 15);
    for (int i = 0; i < curve.size(); i += step) {
      Sample s = curve.get(i);
      b.append(String.format("soak curve: %7.0f | %8d | %7d | %6d%n", s.seconds(), s.outcomes(), s.rssKiB() >> 10,
          s.heapUsedKiB() >> 10));
    }
    b.append(String.format("soak curve: %7.0f | %8d | %7d | %6d%n", end.seconds(), end.outcomes(), end.rssKiB() >> 10,
        end.heapUsedKiB() >> 10));
    System.out.print(b);
  }

  private static Sample sample(long t0, long outcomes) {
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 10;
    return new Sample((System.nanoTime() - t0) / 1e9, outcomes, rssKiB(), heap);
  }

  private static long rssKiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
