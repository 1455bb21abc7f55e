package io.captionstream.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transient fetch failures through the pipeline: retried, and the error event counts the real attempts. */
class FetchRetryPipelineTest {

  private static final Duration WAIT = TopologyHarness.WAIT;
  private static final Topics TOPICS = TopologyHarness.TOPICS;
  private static final byte[] PNG = SamplePictures.solidPng(8, 6, Color.RED);

  private final EventCodec codec = new EventCodec();
  private final InMemoryOutcomeSink sink = new InMemoryOutcomeSink();
  private final OffsetLedger ledger = new OffsetLedger(8);
  private final AtomicInteger flakyRequests = new AtomicInteger();
  private HttpServer server;
  private String base;
  private TopologyHarness harness;

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
    if (harness != null) {
      harness.close();
    }
    server.stop(0);
  }

  private TestInputTopic<byte[], byte[]> start() throws Exception {
    PipelineConfig defaults = PipelineConfig.defaults("unused:9092").withTopics(TOPICS).withWorkers(1);
    PipelineConfig config = defaults.withFetchPolicy(defaults.fetchPolicy().withAllowPrivateAddresses(true)
        .withRetries(2, Duration.ofMillis(20)));
    harness = TopologyHarness.start(config, () -> new DigestCaptioner(0), sink, ledger, new PipelineMetrics());
    return harness.input("in");
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
