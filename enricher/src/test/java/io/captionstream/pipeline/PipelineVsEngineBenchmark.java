package io.captionstream.pipeline;

import io.captionstream.cache.CacheSettings;
import io.captionstream.fetch.FetchPolicy;
import io.captionstream.generate.CaptionModel;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.Captioner;
import io.captionstream.generate.EngineSettings;
import io.captionstream.image.SamplePictures;
import io.captionstream.prompt.NativeStack;
import io.captionstream.schema.CaptionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Issue #8 item 7 by hand (not a test): images/s of the Kafka pipeline at saturation against the bare engine, in one
 * process over one loaded model (one session set), with the same W workers, T intra-op threads, image, tiles and
 * {@code maxNewTokens}. A throw-away broker (the local apache/kafka:4.3.1 image), then {@code rounds} times, in turn
 * (engine first in odd rounds, pipeline first in even ones):
 * <ol>
 *   <li><b>engine</b>: W threads, each with its own captioner, take the N captions from one shared counter (as the
 *       pipeline's workers take records);</li>
 *   <li><b>pipeline</b>: N records of the same image (a {@code file:} URI) are published to a fresh one-partition
 *       topic first, then {@link CaptionPipeline} starts with the caption cache off and the service's defaults
 *       otherwise (window, commit interval, fetch concurrency), and the N captions are read back.</li>
 * </ol>
 * Both rates are taken the same way, excluding model load and the first W captions (each worker's first, the
 * warm-up): (N − W) / (t_N − t_W) over the sorted completion times (the engine: when {@code caption} returned; the
 * pipeline: each caption event's {@code createdAt}). Prints each round, then medians with min–max and the ratio.
 *
 * <p>Run from the repository root after {@code ./mvnw -B -q -o -pl enricher -am test-compile} and
 * {@code ./mvnw -B -q -o -pl enricher dependency:build-classpath -Dmdep.outputFile=target/bench.cp}, with
 * {@code source /work/shared/offline-images/env.sh}: {@code java --enable-native-access=ALL-UNNAMED -cp
 * enricher/target/test-classes:enricher/target/classes:$(cat enricher/target/bench.cp)
 * io.captionstream.pipeline.PipelineVsEngineBenchmark <model dir> [W] [T] [N] [rounds] [maxNewTokens] [longestEdge]}
 * (defaults 2 1 12 3 16 512).
 */
public final class PipelineVsEngineBenchmark {

  private final Path modelDir;
  private final int workers;
  private final int threads;
  private final int images;
  private final int rounds;
  private final int maxNewTokens;
  private final int longestEdge;

  private PipelineVsEngineBenchmark(String[] a) {
    modelDir = Path.of(a[0]);
    workers = a.length > 1 ? Integer.parseInt(a[1]) : 2;
    threads = a.length > 2 ? Integer.parseInt(a[2]) : 1;
    images = a.length > 3 ? Integer.parseInt(a[3]) : 12;
    rounds = a.length > 4 ? Integer.parseInt(a[4]) : 3;
    maxNewTokens = a.length > 5 ? Integer.parseInt(a[5]) : 16;
    longestEdge = a.length > 6 ? Integer.parseInt(a[6]) : 512;
    if (images <= workers) {
      throw new IllegalArgumentException("N must exceed W (the first W captions are the warm-up)");
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: <model dir> [W] [T] [N] [rounds] [maxNewTokens] [longestEdge]");
    }
    new PipelineVsEngineBenchmark(args).run();
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("pipeline-bench-");
    Path picture = dir.resolve("generated-1024x1024.png");
    Files.write(picture, SamplePictures.png(1024, 1024)); // bench's default picture
    byte[] image = Files.readAllBytes(picture);
    CaptionOptions options = CaptionOptions.defaults().withMaxNewTokens(maxNewTokens).withLongestEdge(longestEdge);
    EngineSettings settings = EngineSettings.threads(threads);
    long loadStart = System.nanoTime();
    CaptionModel model = load(modelDir);
    System.out.printf("model %s loaded in %.0f ms; W=%d T=%d N=%d rounds=%d maxNewTokens=%d longestEdge=%d, image %s"
        + " (%d bytes)%n", modelDir, (System.nanoTime() - loadStart) / 1e6, workers, threads, images, rounds,
        maxNewTokens, longestEdge, picture.getFileName(), image.length);
    List<Double> engine = new ArrayList<>();
    List<Double> pipeline = new ArrayList<>();
    try (KafkaContainer kafka = new KafkaContainer("apache/kafka:4.3.1");
        EngineWorkers bare = new EngineWorkers(model, settings, workers)) {
      kafka.start();
      bare.warmUp(image, options);
      for (int round = 1; round <= rounds; round++) {
        boolean engineFirst = round % 2 == 1; // alternate the order so a drift in load favours neither
        double e = engineFirst ? rate(bare.captionAll(image, options, images)) : 0;
        double p = rate(pipelineTimes(kafka.getBootstrapServers(), model, settings, dir, picture, round));
        e = engineFirst ? e : rate(bare.captionAll(image, options, images));
        engine.add(e);
        pipeline.add(p);
        System.out.printf("round %d (%tT): engine %.3f images/s, pipeline %.3f images/s, ratio %.3f%n", round,
            new Date(), e, p, p / e);
      }
    } finally {
      model.close();
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      ratios.add(pipeline.get(i) / engine.get(i));
    }
    System.out.printf("engine   images/s: median %.3f (min %.3f, max %.3f)%n", median(engine), min(engine),
        max(engine));
    System.out.printf("pipeline images/s: median %.3f (min %.3f, max %.3f)%n", median(pipeline), min(pipeline),
        max(pipeline));
    System.out.printf("ratio pipeline / engine: %.3f (of medians); per round median %.3f (min %.3f, max %.3f)%n",
        median(pipeline) / median(engine), median(ratios), min(ratios), max(ratios));
  }

  /** Completion times in ms, sorted, of the N captions of one pipeline run. */
  private List<Double> pipelineTimes(String bootstrap, CaptionModel model, EngineSettings settings, Path root,
      Path picture, int round) throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(bootstrap);
    Topics topics = kafka.createTopics("pipeline-bench", 1);
    Map<String, String> refs = new LinkedHashMap<>();
    for (int i = 0; i < images; i++) {
      String id = "r" + round + "-" + i;
      refs.put(id, "{\"id\":\"" + id + "\",\"uri\":\"" + picture.toUri() + "\",\"longestEdge\":" + longestEdge
          + ",\"maxNewTokens\":" + maxNewTokens + "}");
    }
    kafka.produce(topics.input(), refs);
    PipelineConfig config = PipelineConfig.defaults(bootstrap).withApplicationId("pipeline-bench-" + UUID.randomUUID())
        .withTopics(topics).withWorkers(workers).withInstanceId("bench")
        .withFetchPolicy(FetchPolicy.defaults().withFileRoot(root));
    EventCodec codec = new EventCodec();
    List<Double> times = new ArrayList<>();
    List<Double> engineMs = new ArrayList<>();
    List<Double> queueMs = new ArrayList<>();
    try (CaptionPipeline p = CaptionPipeline.start(config, () -> model.newCaptioner(settings), CacheSettings.off())) {
      var out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> r.size() >= images,
          Duration.ofMinutes(4));
      for (var r : out) {
        if (!r.topic().equals(topics.output())) {
          throw new IllegalStateException("error event: " + KafkaTopicsSupport.text(r.value()));
        }
        CaptionEvent e = codec.readCaption(r.topic(), r.value());
        if (e.tokens().generated() != maxNewTokens && round == 1) {
          System.out.printf("note: %s generated %d tokens%n", e.imageId(), e.tokens().generated());
        }
        engineMs.add(e.timingsMs().total() - e.timingsMs().queue() - e.timingsMs().fetch());
        queueMs.add(e.timingsMs().queue());
        times.add(e.createdAt().toEpochMilli() + e.createdAt().getNano() % 1_000_000 / 1e6);
      }
      if (times.size() < images) {
        throw new IllegalStateException("only " + times.size() + " of " + images + " captions within 4 minutes");
      }
      System.out.printf("  pipeline round %d: window %d, peak busy workers %d; per caption: engine ms (total - queue -"
          + " fetch) median %.0f (min %.0f, max %.0f), queue ms median %.0f%n", round, p.windowSize(),
          p.peakBusyWorkers(), median(engineMs), min(engineMs), max(engineMs), median(queueMs));
    }
    times.sort(null);
    return times;
  }

  /** (N − W) / (t_N − t_W): the captions after each worker's first, per second of their span. */
  private double rate(List<Double> sortedMillis) {
    double span = sortedMillis.get(sortedMillis.size() - 1) - sortedMillis.get(workers - 1);
    return (sortedMillis.size() - workers) / (span / 1000.0);
  }

  private static CaptionModel load(Path dir) throws InterruptedException {
    CaptionModel[] loaded = new CaptionModel[1];
    Thread t = NativeStack.thread("model-load", () -> loaded[0] = CaptionModel.load(dir, "fp32"));
    t.start();
    t.join();
    if (loaded[0] == null) {
      throw new IllegalStateException("model did not load: " + dir);
    }
    return loaded[0];
  }

  /** W threads with a captioner each over the model's shared sessions; they stay open across rounds. */
  private static final class EngineWorkers implements AutoCloseable {
    private final List<Captioner> captioners = new ArrayList<>();

    EngineWorkers(CaptionModel model, EngineSettings settings, int workers) {
      for (int w = 0; w < workers; w++) {
        captioners.add(model.newCaptioner(settings));
      }
    }

    void warmUp(byte[] image, CaptionOptions options) throws InterruptedException {
      captionAll(image, options, captioners.size());
    }

    /** The N captions taken from one counter by W threads; sorted completion times in ms. */
    List<Double> captionAll(byte[] image, CaptionOptions options, int n) throws InterruptedException {
      AtomicInteger next = new AtomicInteger();
      List<Double> done = Collections.synchronizedList(new ArrayList<>());
      List<Throwable> failed = Collections.synchronizedList(new ArrayList<>());
      List<Double> totalMs = Collections.synchronizedList(new ArrayList<>());
      List<Thread> running = new ArrayList<>();
      for (Captioner c : captioners) {
        Thread t = NativeStack.thread("bench-worker", () -> {
          try {
            while (next.getAndIncrement() < n) {
              totalMs.add(c.caption(image, options).timings().total());
              done.add(System.nanoTime() / 1e6);
            }
          } catch (RuntimeException e) {
            failed.add(e);
          }
        });
        running.add(t);
        t.start();
      }
      for (Thread t : running) {
        t.join();
      }
      if (!failed.isEmpty()) {
        throw new IllegalStateException("engine caption failed", failed.get(0));
      }
      List<Double> sorted = new ArrayList<>(done);
      sorted.sort(null);
      if (n > captioners.size()) {
        System.out.printf("  engine: per caption ms median %.0f (min %.0f, max %.0f)%n", median(totalMs),
            min(totalMs), max(totalMs));
      }
      return sorted;
    }

    @Override
    public void close() {
      captioners.forEach(Captioner::close);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }
}
