package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.pipeline.EventCodec;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import io.captionstream.schema.ImageReference;
import io.captionstream.schema.SourceRef;
import io.captionstream.tools.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code publish} and {@code consume} against an embedded broker, through {@link Main#execute}. */
class PublishConsumeIT {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopics(2, "images");
    kafka.createTopics(1, "captions", "caption-errors");
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  void publishSendsOneImageReferencePerSampleAndRepeat() {
    CliRun r = CliRun.of("publish", "-b", kafka.bootstrapServers(), "--samples", "--repeat", "2", "--prompt",
        "What is it?");

    assertThat(r.code()).as(r.err()).isZero();
    List<ImageReference> got = new ArrayList<>();
    EventCodec codec = new EventCodec();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "group.id", "pub-test", "auto.offset.reset", "earliest"), new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      c.subscribe(List.of("images"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (got.size() < 8 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(300))) {
          ImageReference ref = codec.decode(rec.topic(), rec.value());
          assertThat(new String(rec.key(), StandardCharsets.UTF_8)).isEqualTo(ref.id());
          got.add(ref);
        }
      }
    }
    assertThat(got).hasSize(8).allSatisfy(ref -> {
      assertThat(ref.uri()).startsWith("data:image/");
      assertThat(ref.prompt()).isEqualTo("What is it?");
    });
    assertThat(got).extracting(ImageReference::id).contains("sunset.jpg#1", "sunset.jpg#2").doesNotHaveDuplicates();
    assertThat(r.out().lines()).hasSize(8);
  }

  @Test
  void consumePrintsCaptionsAndErrorsThenStopsAtMaxOrTimesOut() throws Exception {
    EventCodec codec = new EventCodec();
    CaptionEvent caption = new CaptionEvent("images-0-1", "cat.png", "a cat on a mat", null,
        new CaptionEvent.ModelInfo("m", "fp32"), new CaptionEvent.TokenCounts(80, 64, 6),
        new CaptionEvent.StageTimings(1, 2, 3, 4, 5, 6, 7, 8, 36), 20.0, "worker-0", "host-1",
        new SourceRef("images", 0, 1), null, Instant.now());
    CaptionError error = new CaptionError("images-0-2", "bad.png", ErrorCode.CORRUPT_IMAGE, "truncated PNG", 1,
        new SourceRef("images", 0, 2), "{}", "utf-8", Instant.now());
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>("captions", codec.encode("captions", caption))).get();
      p.send(new ProducerRecord<>("caption-errors", codec.encode("caption-errors", error))).get();
    }

    CliRun pretty = CliRun.of("consume", "-b", kafka.bootstrapServers(), "--max", "2", "--timeout", "60s");
    assertThat(pretty.code()).as(pretty.err()).isZero();
    assertThat(pretty.out()).contains("[caption] cat.png: a cat on a mat").contains("36 ms total")
        .contains("[error]   bad.png: CORRUPT_IMAGE truncated PNG");

    CliRun json = CliRun.of("consume", "-b", kafka.bootstrapServers(), "--max", "2", "--timeout", "60s", "--json");
    assertThat(json.out().lines().toList()).hasSize(2).allMatch(l -> l.startsWith("{"))
        .anyMatch(l -> l.contains("\"caption\":\"a cat on a mat\""));

    CliRun tooFew = CliRun.of("consume", "-b", kafka.bootstrapServers(), "--max", "3", "--timeout", "3s");
    assertThat(tooFew.code()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(tooFew.err()).contains("2 of 3");
  }

  @Test
  void consumeReportsForeignBytesOnItsTopicsAndKeepsReading() throws Exception {
    kafka.createTopics(1, "captions-foreign", "errors-foreign");
    EventCodec codec = new EventCodec();
    CaptionError error = new CaptionError("images-0-9", "ok.png", ErrorCode.FETCH_FAILED, "HTTP 404", 1,
        new SourceRef("images", 0, 9), "{}", "utf-8", Instant.now());
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>("captions-foreign", "not an event".getBytes(StandardCharsets.UTF_8))).get();
      p.send(new ProducerRecord<>("errors-foreign", codec.encode("errors-foreign", error))).get();
    }

    CliRun r = CliRun.of("consume", "-b", kafka.bootstrapServers(), "--output-topic", "captions-foreign",
        "--error-topic", "errors-foreign", "--timeout", "8s"); // reads both topics until the timeout

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("[unreadable] captions-foreign-0@0");
    assertThat(r.out()).contains("[error]   ok.png: FETCH_FAILED HTTP 404");
  }
}
