package io.captionstream.pipeline;

import static io.captionstream.pipeline.KafkaTopicsSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.captionstream.schema.EventSchema;
import io.captionstream.schema.EventSerde;
import io.captionstream.schema.EventSerdeConfig;
import io.captionstream.schema.EventSerdes;
import io.captionstream.schema.ImageReference;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Issue #9 part 6: a real broker stopped and started mid-run, a broker paused for longer than the request timeout,
 * and the schema registry down in registry mode: nothing is lost, no record is turned into an error event.
 * The broker has a fixed host port so the service's bootstrap stays valid across the restart.
 */
@Testcontainers
class FaultToleranceIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int WINDOW = 16;

  @Container
  static final KafkaContainer KAFKA = fixedPortKafka();

  @Container
  static final GenericContainer<?> REGISTRY = new GenericContainer<>("apicurio/apicurio-registry:3.3.3")
      .withExposedPorts(8080, 9000)
      .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(2)));

  private final EventCodec codec = new EventCodec();

  private static KafkaContainer fixedPortKafka() {
    KafkaContainer k = new KafkaContainer("apache/kafka:4.3.1");
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      k.setPortBindings(List.of(s.getLocalPort() + ":9092"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return k;
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private static PipelineConfig config(Topics topics, String appId, Map<String, String> kafka) {
    return PipelineConfig.defaults(KAFKA.getBootstrapServers())
        .withApplicationId(appId)
        .withTopics(topics)
        .withWorkers(2)
        .withInFlightWindow(WINDOW)
        .withCommitInterval(Duration.ofMillis(300))
        .withDrainTimeout(Duration.ofSeconds(20))
        .withKafka(kafka);
  }

  private static Map<String, String> inputs(int n) {
    Map<String, String> in = new LinkedHashMap<>();
    String uri = TestImages.pngDataUri(4, 4, Color.MAGENTA);
    for (int i = 0; i < n; i++) {
      in.put("k" + i, "{\"id\":\"img-" + i + "\",\"uri\":\"" + uri + "\"}");
    }
    return in;
  }

  /** Records, lost, duplicates and errors among the outcomes of {@code n} inputs keyed k0..k(n-1). */
  private record Tally(int records, long lost, long duplicates, long errors) {}

  private Tally tally(KafkaTopicsSupport kafka, Topics topics, int n) {
    Set<String> both = Set.of(topics.output(), topics.errors());
    kafka.readUntil(both, r -> r.stream().map(x -> text(x.key())).distinct().count() >= n, WAIT);
    List<ConsumerRecord<byte[], byte[]>> out = kafka.readUntil(both, r -> false, Duration.ofSeconds(3));
    long errors = out.stream().filter(r -> r.topic().equals(topics.errors())).count();
    long distinct = out.stream().map(r -> text(r.key())).distinct().count();
    return new Tally(n, n - distinct, out.size() - distinct, errors);
  }

  private static void awaitOutputs(KafkaTopicsSupport kafka, Topics topics, int atLeast) {
    kafka.readUntil(topics.output(), r -> r.size() >= atLeast, WAIT);
  }

  @Test
  void aBrokerRestartMidRunLosesNothing() throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("restart", 2);
    int n = 400;
    kafka.produce(topics.input(), inputs(n));
    try (CaptionPipeline p = CaptionPipeline.start(config(topics, "restart-" + UUID.randomUUID(),
        Map.of("request.timeout.ms", "5000")), () -> new DigestCaptioner(25))) {
      awaitOutputs(kafka, topics, n / 4);
      docker().stopContainerCmd(KAFKA.getContainerId()).withTimeout(10).exec();
      Thread.sleep(3_000);
      docker().startContainerCmd(KAFKA.getContainerId()).exec();
      Tally t = tally(kafka, topics, n);
      System.out.printf("fault IT broker restart: records=%d lost=%d duplicates=%d errors=%d%n", t.records(),
          t.lost(), t.duplicates(), t.errors());
      assertThat(t.lost()).isZero();
      assertThat(t.errors()).isZero();
      assertThat(t.duplicates()).isLessThanOrEqualTo(2L * WINDOW);
      assertThat(p.live()).as("the instance rode out the restart").isTrue();
    }
  }

  @Test
  void aBrokerPausedLongerThanTheRequestTimeoutRecoversAndLosesNothing() throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("pause", 2);
    int n = 300;
    kafka.produce(topics.input(), inputs(n));
    try (CaptionPipeline p = CaptionPipeline.start(config(topics, "pause-" + UUID.randomUUID(),
        Map.of("request.timeout.ms", "4000")), () -> new DigestCaptioner(25))) {
      awaitOutputs(kafka, topics, n / 4);
      docker().pauseContainerCmd(KAFKA.getContainerId()).exec();
      Thread.sleep(10_000); // 2.5 request timeouts
      docker().unpauseContainerCmd(KAFKA.getContainerId()).exec();
      Tally t = tally(kafka, topics, n);
      System.out.printf("fault IT broker pause 10 s (request timeout 4 s): records=%d lost=%d duplicates=%d "
          + "errors=%d%n", t.records(), t.lost(), t.duplicates(), t.errors());
      assertThat(t.lost()).isZero();
      assertThat(t.errors()).isZero();
      assertThat(t.duplicates()).isLessThanOrEqualTo(2L * WINDOW);
      assertThat(p.live()).isTrue();
    }
  }

  @Test
  void aRegistryOutageStopsTheInstanceWithoutErrorEventsAndNothingIsLostOnceItIsBack() throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("registry", 1);
    String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/ccompat/v7";
    Map<String, String> registry = Map.of(EventSerdeConfig.SERDE_MODE, "registry",
        EventSerdeConfig.SCHEMA_REGISTRY_URL, url, EventSerdeConfig.REQUEST_TIMEOUT_MS, "2000");
    int n = 40;
    produceRegistryFramed(topics.input(), n, registry);
    String appId = "registry-" + UUID.randomUUID();
    // the stopped instance does not leave the group: a short session lets the second one take over quickly
    Map<String, String> service = new HashMap<>(registry);
    service.put("session.timeout.ms", "10000");
    service.put("heartbeat.interval.ms", "1000");
    docker().pauseContainerCmd(REGISTRY.getContainerId()).exec();
    boolean stopped;
    try (CaptionPipeline down = CaptionPipeline.start(config(topics, appId, service), () -> new DigestCaptioner(0))) {
      stopped = down.awaitStop(Duration.ofSeconds(60));
      assertThat(down.live()).as("not live while it cannot use the registry").isFalse();
    } finally {
      docker().unpauseContainerCmd(REGISTRY.getContainerId()).exec();
    }
    assertThat(stopped).as("the instance stops (records stay uncommitted)").isTrue();
    List<ConsumerRecord<byte[], byte[]>> during = kafka.readUntil(Set.of(topics.output(), topics.errors()),
        r -> false, Duration.ofSeconds(3));
    assertThat(during).as("no record became an outcome, least of all an error event").isEmpty();

    try (CaptionPipeline back = CaptionPipeline.start(config(topics, appId, service), () -> new DigestCaptioner(0))) {
      Tally t = tally(kafka, topics, n);
      System.out.printf("fault IT registry outage: records=%d lost=%d duplicates=%d errors=%d%n", t.records(),
          t.lost(), t.duplicates(), t.errors());
      assertThat(t.lost()).isZero();
      assertThat(t.errors()).isZero();
      assertThat(t.duplicates()).isZero();
      assertThat(back.live()).isTrue();
    }
  }

  private void produceRegistryFramed(String topic, int n, Map<String, String> registry) throws Exception {
    EventSerde<ImageReference> serde = new EventSerdes(EventSerdeConfig.from(registry))
        .forValues(EventSchema.IMAGE_REFERENCE);
    Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all");
    String uri = TestImages.pngDataUri(4, 4, Color.CYAN);
    List<Future<?>> acks = new ArrayList<>();
    try (var p = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        byte[] value = serde.serialize(topic, ImageReference.of("img-" + i, uri));
        acks.add(p.send(new ProducerRecord<>(topic, KafkaTopicsSupport.bytes("k" + i), value)));
      }
      for (var a : acks) {
        a.get();
      }
    }
    assertThat(acks).hasSize(n);
  }
}
