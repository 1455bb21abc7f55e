package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.schema.CaptionEvent;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code enricher run} (real engine, tiny synthetic model) is killed with SIGKILL after captioning every record but
 * before committing any (a 10-minute commit interval): the restarted instance gets every record again and answers
 * each crash duplicate from the cache, with the first run's caption and eventId.
 */
@Testcontainers
class CaptionCacheCrashIT {

  private static final int RECORDS = 5;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @TempDir
  static Path tmp;

  private final EventCodec codec = new EventCodec();

  private Process launch(Topics topics, String cacheTopic, String appId, String instance, Path log) throws Exception {
    Path model = tmp.resolve("tiny");
    if (!Files.exists(model)) {
      SynthModelWriter.write(SynthSpec.tiny(), model);
    }
    return RunProcess.start(List.of("-Xmx512m"), List.of(
        "--model-dir", model.toString(), "--max-new-tokens", "4", "-b", KAFKA.getBootstrapServers(),
        "--application-id", appId, "--input-topic", topics.input(), "--output-topic", topics.output(),
        "--error-topic", topics.errors(), "--cache-topic", cacheTopic, "--workers", "1",
        "--commit-interval", "10m", "--drain-timeout", "PT20S", "--instance-id", instance, "--metrics-port", "-1",
        "-k", "session.timeout.ms=10000", "-k", "heartbeat.interval.ms=1000"), Map.of(), log);
  }

  @Test
  void crashDuplicatesAreServedFromTheCacheWithTheOriginalCaption() throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("cache-crash", 1);
    String cacheTopic = "cache-crash-" + UUID.randomUUID().toString().substring(0, 8);
    String appId = "cache-crash-" + UUID.randomUUID();
    Path logs = Files.createDirectories(Path.of("target", "cache-crash-it"));
    Map<String, String> inputs = new LinkedHashMap<>();
    for (int i = 0; i < RECORDS; i++) {
      String uri = TestImages.pngDataUri(6 + i, 6, new Color(40 * i, 90, 200));
      inputs.put("k" + i, "{\"id\":\"img-" + i + "\",\"uri\":\"" + uri + "\"}");
    }
    kafka.produce(topics.input(), inputs);

    Process first = launch(topics, cacheTopic, appId, "first", logs.resolve("first.log"));
    try {
      assertThat(kafka.readUntil(topics.output(), r -> r.size() >= RECORDS, WAIT)).as("see first.log")
          .hasSize(RECORDS);
      assertThat(kafka.readUntil(cacheTopic, r -> r.size() >= RECORDS, WAIT)).as("entries written")
          .hasSize(RECORDS);
    } finally {
      first.destroyForcibly(); // SIGKILL: nothing was committed, every record is delivered again
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    Process second = launch(topics, cacheTopic, appId, "second", logs.resolve("second.log"));
    List<CaptionEvent> events;
    try {
      events = kafka.readUntil(topics.output(), r -> r.size() >= 2 * RECORDS, WAIT).stream()
          .map(r -> codec.readCaption(r.topic(), r.value())).toList();
    } finally {
      second.destroy();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("graceful stop").isTrue();
    }

    assertThat(events).as("see second.log").hasSize(2 * RECORDS);
    Map<String, CaptionEvent> computed = events.stream().filter(e -> e.instance().equals("first"))
        .collect(Collectors.toMap(CaptionEvent::eventId, Function.identity()));
    List<CaptionEvent> duplicates = events.stream().filter(e -> e.instance().equals("second")).toList();
    assertThat(computed).hasSize(RECORDS).allSatisfy((id, e) -> assertThat(e.cache()).isNull());
    assertThat(duplicates).hasSize(RECORDS).allSatisfy(d -> {
      CaptionEvent original = computed.get(d.eventId());
      assertThat(original).as("a duplicate keeps its eventId").isNotNull();
      assertThat(d.cache()).as("served from the cache").isNotNull();
      assertThat(d.cache().eventId()).isEqualTo(original.eventId());
      assertThat(d.caption()).isEqualTo(original.caption());
      assertThat(d.worker()).isEqualTo("cache");
    });
  }
}
