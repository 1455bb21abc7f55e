package io.captionstream.pipeline;

import static io.captionstream.pipeline.KafkaTopicsSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.captionstream.fetch.FetchPolicy;
import io.captionstream.generate.ImageCaptioner;
import io.captionstream.image.SamplePictures;
import io.captionstream.service.OnnxCaptioners;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Issue #9 part 8: the hostile-input corpus ({@link HostileCorpus}) through a real broker and the real engine on
 * the tiny model: every input yields exactly one outcome with one of its expected codes, and the instances stay
 * live and ready.
 */
@Testcontainers
class HostileCorpusIT {

  private static final Duration WAIT = Duration.ofSeconds(150);

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @TempDir
  Path tmp;

  private final EventCodec codec = new EventCodec();

  @Test
  void everyHostileInputYieldsExactlyOneExpectedOutcomeAndTheServiceStaysReady() throws Exception {
    Path model = tmp.resolve("tiny");
    SynthModelWriter.write(SynthSpec.tiny(), model);
    Path root = fileRoot();
    HttpServer http = LoopbackImages.start();
    ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    socket.bind(UnixDomainSocketAddress.of(root.resolve("socket")));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    List<HostileCorpus.Case> cases = HostileCorpus.build(new HostileCorpus.Targets(root.toString(),
        tmp.resolve("outside.png").toString(), "http://127.0.0.1:" + http.getAddress().getPort(), closedPort));
    assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
    assertThat(cases).extracting(HostileCorpus.Case::name).doesNotHaveDuplicates();

    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics guardedTopics = kafka.createTopics("corpus-guarded", 1);
    Topics loopbackTopics = kafka.createTopics("corpus-loopback", 1);
    FetchPolicy guarded = FetchPolicy.defaults().withFileRoot(root);
    FetchPolicy loopback = FetchPolicy.defaults().withAllowPrivateAddresses(true)
        .withReadTimeout(Duration.ofSeconds(2)).withMaxBytes(1 << 20);
    List<CaptionPipeline> instances = new ArrayList<>();
    try {
      instances.add(CaptionPipeline.start(config(guardedTopics, guarded), engine(model)));
      instances.add(CaptionPipeline.start(config(loopbackTopics, loopback), engine(model)));
      for (HostileCorpus.Lane lane : HostileCorpus.Lane.values()) {
        Topics topics = lane == HostileCorpus.Lane.GUARDED ? guardedTopics : loopbackTopics;
        kafka.produceBytes(topics.input(), cases.stream().filter(c -> c.lane() == lane).toList());
      }
      Set<String> names = cases.stream().map(HostileCorpus.Case::name).collect(Collectors.toSet());
      Set<String> outTopics = Set.of(guardedTopics.output(), guardedTopics.errors(), loopbackTopics.output(),
          loopbackTopics.errors());
      kafka.readUntil(outTopics, r -> r.stream().map(x -> text(x.key())).collect(Collectors.toSet())
          .containsAll(names), WAIT);
      Thread.sleep(2_000); // a second outcome for any input has time to show up
      List<ConsumerRecord<byte[], byte[]>> out = kafka.readUntil(outTopics, r -> false, Duration.ofSeconds(3));

      Map<String, List<String>> got = new TreeMap<>();
      Map<String, String> messages = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> r : out) {
        got.computeIfAbsent(text(r.key()), k -> new ArrayList<>()).add(kindOf(r));
        if (r.topic().endsWith("-errors")) {
          messages.put(text(r.key()), codec.readError(r.topic(), r.value()).message());
        }
      }
      Map<String, String> wrong = new TreeMap<>();
      for (HostileCorpus.Case c : cases) {
        List<String> outcomes = got.getOrDefault(c.name(), List.of());
        if (outcomes.size() != 1 || !c.expected().contains(outcomes.get(0))) {
          wrong.put(c.name(), "got " + outcomes + ", expected one of " + c.expected() + " ("
              + messages.get(c.name()) + ")");
        }
      }
      Map<String, Long> perKind = got.values().stream().flatMap(List::stream)
          .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
      System.out.printf("hostile corpus IT: cases=%d outcomes=%d by kind %s%n", cases.size(), out.size(), perKind);
      assertThat(wrong).as("cases without exactly one expected outcome").isEmpty();
      assertThat(out).hasSize(cases.size());
      assertThat(instances).allSatisfy(p -> {
        assertThat(p.live()).as("live").isTrue();
        assertThat(p.ready()).as("ready").isTrue();
      });
    } finally {
      instances.forEach(CaptionPipeline::close);
      http.stop(0);
      socket.close();
    }
  }

  /** Issue #9 part 1 with the real broker's refusal: the error topic's max.message.bytes is below the echo. */
  @Test
  void anOutcomeOverTheTopicsMaxMessageBytesBecomesAMinimalErrorEventAndTheServiceGoesOn() throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(KAFKA.getBootstrapServers());
    Topics topics = kafka.createTopics("topic-limit", 1, Map.of("max.message.bytes", "65536"));
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("big-bad-json", "{" + "x".repeat(200_000));
    inputs.put("small-bad-json", "{not json");
    inputs.put("good", "{\"id\":\"good\",\"uri\":\"" + TestImages.pngDataUri(4, 4, Color.RED) + "\"}");
    PipelineConfig config = config(topics, FetchPolicy.defaults());
    try (CaptionPipeline p = CaptionPipeline.start(config, () -> new DigestCaptioner(0))) {
      kafka.produce(topics.input(), inputs);
      var out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> r.size() >= 3, WAIT);
      Thread.sleep(1_000);
      out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> false, Duration.ofSeconds(2));
      Map<String, String> kinds = out.stream().collect(Collectors.toMap(r -> text(r.key()), this::kindOf));
      assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("big-bad-json", "OUTCOME_TOO_LARGE",
          "small-bad-json", "INVALID_EVENT", "good", HostileCorpus.CAPTION));
      var big = out.stream().filter(r -> text(r.key()).equals("big-bad-json")).findFirst().orElseThrow();
      assertThat(codec.readError(big.topic(), big.value()).message()).contains("RecordTooLargeException");
      assertThat(p.live()).isTrue();
      assertThat(p.ready()).isTrue();
    }
  }

  private String kindOf(ConsumerRecord<byte[], byte[]> r) {
    if (r.topic().endsWith("-captions")) {
      codec.readCaption(r.topic(), r.value());
      return HostileCorpus.CAPTION;
    }
    return codec.readError(r.topic(), r.value()).code().name();
  }

  private static PipelineConfig config(Topics topics, FetchPolicy policy) {
    return PipelineConfig.defaults(KAFKA.getBootstrapServers())
        .withApplicationId("corpus-" + UUID.randomUUID())
        .withTopics(topics)
        .withWorkers(1)
        .withMaxNewTokens(2)
        .withMaxNewTokensLimit(4)
        .withCommitInterval(Duration.ofMillis(200))
        .withDrainTimeout(Duration.ofSeconds(10))
        .withFetchPolicy(policy);
  }

  private static Supplier<ImageCaptioner> engine(Path model) {
    return OnnxCaptioners.open(model, "fp32", 1);
  }

  /** The file: root: a picture, a text, a sparse 30 MB file, a directory, a FIFO, symlinks out of it. */
  private Path fileRoot() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.write(root.resolve("ok.png"), SamplePictures.solidPng(8, 8, Color.ORANGE));
    Files.write(tmp.resolve("outside.png"), SamplePictures.solidPng(8, 8, Color.ORANGE));
    Files.writeString(root.resolve("notes.txt"), "not an image\n");
    try (RandomAccessFile f = new RandomAccessFile(root.resolve("sparse.bin").toFile(), "rw")) {
      f.setLength(30L << 20);
    }
    Files.createDirectories(root.resolve("subdir"));
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    Files.createSymbolicLink(root.resolve("link-to-passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(root.resolve("link-to-zero"), Path.of("/dev/zero"));
    return root;
  }

  /** The loopback HTTP server of the fetch-level cases. */
  static final class LoopbackImages {

    private LoopbackImages() {}

    static HttpServer start() throws IOException {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "corpus-http");
        t.setDaemon(true);
        return t;
      }));
      byte[] png = SamplePictures.solidPng(16, 16, Color.ORANGE);
      http.createContext("/ok.png", ex -> send(ex, 200, png));
      http.createContext("/redirect-ok", ex -> redirect(ex, "/ok.png"));
      http.createContext("/loop", ex -> redirect(ex, "/loop"));
      http.createContext("/bad-location", ex -> redirect(ex, "http://[not a uri"));
      http.createContext("/to-ftp", ex -> redirect(ex, "ftp://127.0.0.1/x.png"));
      http.createContext("/missing.png", ex -> send(ex, 404, new byte[0]));
      http.createContext("/error", ex -> send(ex, 500, "boom".getBytes(StandardCharsets.UTF_8)));
      http.createContext("/html", ex -> send(ex, 200, "<html>hi</html>".getBytes(StandardCharsets.UTF_8)));
      http.createContext("/declared-huge", ex -> {
        ex.sendResponseHeaders(200, 100L << 20);
        ex.getResponseBody().write(png);
        ex.getResponseBody().flush(); // the headers surely leave before the exchange is dropped
        ex.close();
      });
      http.createContext("/cut", ex -> {
        ex.sendResponseHeaders(200, 1000);
        ex.getResponseBody().write(png, 0, 10);
        ex.getResponseBody().flush();
        ex.close();
      });
      http.createContext("/drip", ex -> stream(ex, 1, 400, 100));
      http.createContext("/endless", ex -> stream(ex, 64 * 1024, 0, 64));
      http.start();
      return http;
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
      ex.getResponseHeaders().add("Location", location);
      ex.sendResponseHeaders(302, -1);
      ex.close();
    }

    /** A chunked body of {@code chunks} pieces of {@code bytes}, {@code pauseMs} apart, until the client leaves. */
    private static void stream(HttpExchange ex, int bytes, long pauseMs, int chunks) throws IOException {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream o = ex.getResponseBody()) {
        for (int i = 0; i < chunks; i++) {
          o.write(new byte[bytes]);
          o.flush();
          if (pauseMs > 0) {
            Thread.sleep(pauseMs);
          }
        }
      } catch (IOException | InterruptedException e) {
        // the client gave up: expected
      }
    }
  }
}
