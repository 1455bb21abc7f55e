package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.captionstream.fetch.ImageFetcher;
import io.captionstream.image.SamplePictures;
import io.captionstream.schema.CaptionError;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.schema.ErrorCode;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transient fetch failures through the pipeline: retried, and the error event counts the real attempts. */
class FetchRetryPipelineTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Topics TOPICS = new Topics("in", "out", "err");
  private static final byte[] PNG = SamplePictures.solidPng(8, 6, Color.RED);

  private final EventCodec codec = new EventCodec();
  private final InMemoryOutcomeSink sink = new InMemoryOutcomeSink();
  private final OffsetLedger ledger = new OffsetLedger(8);
  private final AtomicInteger flakyRequests = new AtomicInteger();
  private HttpServer server;
  private String base;
  private ImageFetcher fetcher;
  private WorkerPool pool;
  private TopologyTestDriver driver;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/flaky.png", ex -> {
      if (flakyRequests.incrementAndGet() <= 2) {
        ex.sendResponseHeaders(503, -1);
        ex.close();
        return;
      }
      ex.sendResponseHeaders(200, PNG.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(PNG);
      }
    });
    server.createContext("/down.png", ex -> {
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.createContext("/missing.png", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (fetcher != null) {
      fetcher.close();
    }
    server.stop(0);
  }

  private TestInputTopic<byte[], byte[]> start() throws Exception {
    PipelineConfig defaults = PipelineConfig.defaults("unused:9092").withTopics(TOPICS).withWorkers(1);
    PipelineConfig config = defaults.withFetchPolicy(defaults.fetchPolicy().withAllowPrivateAddresses(true)
        .withRetries(2, Duration.ofMillis(20)));
    fetcher = new ImageFetcher(config.fetchPolicy());
    pool = new WorkerPool(config, () -> new DigestCaptioner(0), fetcher, sink, ledger, new PipelineMetrics(),
        Clock.systemUTC());
    pool.start(WAIT);
    CommitGate gate = () -> ledger.committed(ledger.committableNow());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fetch-retry-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(CaptionTopology.build(TOPICS,
        () -> new CaptionProcessor(pool, ledger, gate, WAIT, Duration.ofMillis(100), WAIT)), props);
    return driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static byte[] ref(String id, String uri) {
    return ("{\"id\":\"" + id + "\",\"uri\":\"" + uri + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFlakyImageIsCaptionedAndAnImageThatStaysDownGetsAnErrorWithItsRealAttempts() throws Exception {
    var input = start();
    input.pipeInput(new byte[0], ref("flaky", base + "/flaky.png"));
    input.pipeInput(new byte[0], ref("down", base + "/down.png"));
    input.pipeInput(new byte[0], ref("missing", base + "/missing.png"));
    List<Outcome> all = sink.awaitCount(3, WAIT);

    List<CaptionEvent> captions = all.stream().filter(o -> !o.isError())
        .map(o -> codec.readCaption(o.topic(), o.value())).toList();
    assertThat(captions).extracting(CaptionEvent::imageId).containsExactly("flaky");
    assertThat(flakyRequests.get()).isEqualTo(3);

    Map<String, CaptionError> errors = all.stream().filter(Outcome::isError)
        .map(o -> codec.readError(o.topic(), o.value()))
        .collect(Collectors.toMap(CaptionError::imageId, e -> e));
    assertThat(errors.get("down").code()).isEqualTo(ErrorCode.FETCH_FAILED);
    assertThat(errors.get("down").attempts()).isEqualTo(3);
    assertThat(errors.get("missing").code()).isEqualTo(ErrorCode.FETCH_FAILED);
    assertThat(errors.get("missing").attempts()).isEqualTo(1);
  }
}
