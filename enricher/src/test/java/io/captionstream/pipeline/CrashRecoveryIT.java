package io.captionstream.pipeline;

import static io.captionstream.pipeline.KafkaTopicsSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.schema.CaptionEvent;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@code enricher run} in a separate JVM is killed with SIGKILL mid-run and restarted: every input still gets an
 * outcome, duplicates stay within the in-flight window and keep their eventId, and a graceful stop commits all.
 */
@Testcontainers
class CrashRecoveryIT {

  private static final int RECORDS = 300;
  private static final int WINDOW = 16;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  private final EventCodec codec = new EventCodec();

  @TempDir
  static Path tmp;

  /** The real engine on the synth kit's tiny model, written here; the child JVM runs {@code --engine onnx}. */
  private static Path tinyModel() throws Exception {
    Path dir = tmp.resolve("tiny");
    if (!Files.exists(dir)) {
      SynthModelWriter.write(SynthSpec.tiny(), dir);
    }
    return dir;
  }

  private Process launch(Topics topics, String appId, String instance, Path log) throws Exception {
    return RunProcess.start(List.of("-Xmx512m"), List.of(
        "--model-dir", tinyModel().toString(), "--max-new-tokens", "4", "-b", KAFKA.getBootstrapServers(),
        "--application-id", appId,
        "--input-topic", topics.input(), "--output-topic", topics.output(), "--error-topic", topics.errors(),
        "--workers", "2", "--window", String.valueOf(WINDOW), "--commit-interval", "PT0.5S",
        "--drain-timeout", "PT20S", "--instance-id", instance,
        "--cache=false", // every record is the same image: with the cache the engine would hardly run
        "-k", "session.timeout.ms=10000", "-k", "heartbeat.interval.ms=1000"), Map.of(), log);
  }

  @Test
  void killNineMidRunLosesNothingAndDuplicatesStayWithinTheWindow() throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("crash", 2);
    String appId = "crash-" + UUID.randomUUID();
    Path logs = Files.createDirectories(Path.of("target", "crash-it"));
    Map<String, String> inputs = new LinkedHashMap<>();
    String uri = TestImages.pngDataUri(6, 6, Color.MAGENTA);
    for (int i = 0; i < RECORDS; i++) {
      inputs.put("k" + i, "{\"id\":\"img-" + i + "\",\"uri\":\"" + uri + "\"}");
    }
    kafka.produce(topics.input(), inputs);

    Process first = launch(topics, appId, "first", logs.resolve("first.log"));
    var before = kafka.readUntil(topics.output(), r -> r.size() >= RECORDS / 3, WAIT);
    assertThat(before.size()).as("first instance made progress, see " + logs.resolve("first.log"))
        .isGreaterThanOrEqualTo(RECORDS / 3);
    first.destroyForcibly(); // SIGKILL: no drain, no commit, no leave-group
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int seenAtKill = kafka.readUntil(topics.output(), r -> false, Duration.ofSeconds(2)).size();
    assertThat(seenAtKill).as("killed mid-run").isLessThan(RECORDS);

    Process second = launch(topics, appId, "second", logs.resolve("second.log"));
    List<ConsumerRecord<byte[], byte[]>> out;
    try {
      out = kafka.readUntil(Set.of(topics.output(), topics.errors()),
          r -> r.stream().map(x -> text(x.key())).collect(Collectors.toSet()).size() >= RECORDS, WAIT);
    } finally {
      second.destroy(); // SIGTERM: drains, commits, leaves the group
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("graceful stop").isTrue();
    }
    out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> false, Duration.ofSeconds(3));

    assertThat(out).allSatisfy(r -> assertThat(r.topic()).isEqualTo(topics.output()));
    List<CaptionEvent> events = out.stream().map(r -> codec.readCaption(r.topic(), r.value())).toList();
    Map<String, List<CaptionEvent>> byImage = events.stream().collect(Collectors.groupingBy(CaptionEvent::imageId));
    long lost = inputs.size() - byImage.size();
    long duplicates = events.size() - byImage.size();
    System.out.printf("crash IT: records=%d seenAtKill=%d outcomes=%d duplicates=%d lost=%d window=%d%n", RECORDS,
        seenAtKill, events.size(), duplicates, lost, WINDOW);
    assertThat(lost).isZero();
    assertThat(duplicates).isLessThanOrEqualTo(WINDOW);
    assertThat(byImage.values()).allSatisfy(same ->
        assertThat(same.stream().map(CaptionEvent::eventId).distinct()).hasSize(1));
    assertThat(events).extracting(CaptionEvent::instance).contains("first", "second");

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers()))) {
      Map<?, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
      long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
      assertThat(total).as("graceful stop committed every input offset").isEqualTo(RECORDS);
    }
  }
}
