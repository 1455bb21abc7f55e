package io.captionstream.pipeline;

import io.captionstream.cache.CacheEntry;
import io.captionstream.cache.CacheKey;
import io.captionstream.cache.CacheSettings;
import io.captionstream.cache.ModelIdentity;
import io.captionstream.generate.CaptionOptions;
import io.captionstream.generate.EngineTimings;
import io.captionstream.image.SamplePictures;
import io.captionstream.schema.CaptionEvent;
import io.captionstream.service.OnnxCaptioners;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The caption cache's closing-note figures, by hand (not a test): a throw-away broker (the local apache/kafka:4.3.1
 * image), then either
 * <ul>
 *   <li>{@code restore [entries]}: that many synthetic entries (default 100 000) in a cache topic; three instances
 *       start in turn and restore it; prints restore time and the heap the store adds (against an instance without
 *       the cache), or</li>
 *   <li>{@code hitmiss <model dir> [images] [rounds]}: the real engine on that model, {@code images} distinct
 *       640x480 pictures at {@code longestEdge 512} (one tile) published {@code rounds} times; prints the per-record
 *       {@code timingsMs.total} of misses (first round) and hits (later rounds).</li>
 * </ul>
 * Run from the repository root after {@code ./mvnw -B -q -o -pl enricher -am test-compile} and
 * {@code ./mvnw -B -q -o -pl enricher dependency:build-classpath -Dmdep.outputFile=target/bench.cp}:
 * {@code java -cp enricher/target/test-classes:enricher/target/classes:$(cat enricher/target/bench.cp)
 * io.captionstream.pipeline.CacheBenchmark restore 100000}.
 */
public final class CacheBenchmark {

  private CacheBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (KafkaContainer kafka = new KafkaContainer("apache/kafka:4.3.1")) {
      kafka.start();
      if (args.length > 0 && args[0].equals("hitmiss")) {
        hitMiss(kafka.getBootstrapServers(), Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 5,
            args.length > 3 ? Integer.parseInt(args[3]) : 3);
      } else {
        restore(kafka.getBootstrapServers(), args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
      }
    }
  }

  private static PipelineConfig config(String bootstrap, Topics topics, int workers) {
    return PipelineConfig.defaults(bootstrap).withApplicationId("cache-bench-" + UUID.randomUUID())
        .withTopics(topics).withWorkers(workers).withInstanceId("bench").withCommitInterval(Duration.ofMillis(200));
  }

  private static void restore(String bootstrap, int entries) throws Exception {
    String topic = "cache-bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
          .configs(Map.of("cleanup.policy", "compact")))).all().get();
    }
    long bytes = produceEntries(bootstrap, topic, entries);
    System.out.printf("restore: %d entries, %.1f MB of values in topic %s%n", entries, bytes / 1e6, topic);
    Topics topics = new KafkaTopicsSupport(bootstrap).createTopics("bench", 1);
    long baseline = heapWith(config(bootstrap, topics, 1), CacheSettings.off(), false);
    List<Long> millis = new ArrayList<>();
    List<Long> heap = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      long[] r = new long[2];
      heap.add(heapWith(config(bootstrap, topics, 1), new CacheSettings(true, topic, entries), true, r) - baseline);
      millis.add(r[0]);
      System.out.printf("restore run %d: %d ms, %d entries in the store%n", run + 1, r[0], r[1]);
    }
    System.out.printf("restore of %d entries: median %d ms (min %d, max %d); store heap: median %.1f MB (min %.1f,"
        + " max %.1f)%n", entries, median(millis), min(millis), max(millis), median(heap) / 1e6, min(heap) / 1e6,
        max(heap) / 1e6);
  }

  private static long heapWith(PipelineConfig config, CacheSettings cache, boolean awaitRestore, long... out)
      throws Exception {
    long t0 = System.nanoTime();
    try (CaptionPipeline p = CaptionPipeline.start(config, () -> new CountingCaptioner(new AtomicInteger(), "bench"),
        cache)) {
      while (awaitRestore && p.cacheMetrics().restoreMillis() < 0) {
        if (System.nanoTime() - t0 > Duration.ofMinutes(3).toNanos()) {
          throw new IllegalStateException("restore did not finish");
        }
        Thread.sleep(20);
      }
      if (awaitRestore) {
        out[0] = p.cacheMetrics().restoreMillis();
        out[1] = p.cacheMetrics().entries();
      }
      return usedHeap();
    }
  }

  private static long produceEntries(String bootstrap, String topic, int n) throws Exception {
    Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG,
        20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    ModelIdentity model = new ModelIdentity("HuggingFaceTB/SmolVLM-256M-Instruct", "fp32", "0".repeat(64));
    long bytes = 0;
    try (var producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        byte[] image = ByteBuffer.allocate(8).putLong(i).array();
        CacheKey key = CacheKey.of(image, model, CaptionOptions.defaults());
        byte[] value = new CacheEntry(1, "A photograph of a small red house with a white door next to a green"
            + " tree under a cloudy sky, number " + i + ".", model.modelId(), model.variant(), 1230, 1088, 31,
            new EngineTimings(8.1, 21.7, 840.2, 410.9, 1301.3, 760.0, 2061.3), "images-0-" + i,
            Instant.now()).toBytes();
        bytes += value.length;
        producer.send(new ProducerRecord<>(topic, key.bytes(), value));
      }
      producer.flush();
    }
    return bytes;
  }

  private static void hitMiss(String bootstrap, Path model, int images, int rounds) throws Exception {
    KafkaTopicsSupport kafka = new KafkaTopicsSupport(bootstrap);
    Topics topics = kafka.createTopics("bench-hitmiss", 1);
    String cacheTopic = "cache-bench-" + UUID.randomUUID().toString().substring(0, 8);
    List<Double> miss = new ArrayList<>();
    List<Double> missService = new ArrayList<>();
    Set<String> counted = new HashSet<>();
    List<Double> hit = new ArrayList<>();
    EventCodec codec = new EventCodec();
    try (CaptionPipeline p = CaptionPipeline.start(config(bootstrap, topics, 1),
        OnnxCaptioners.open(model, "fp32", 2), new CacheSettings(true, cacheTopic, 1000))) {
      int seen = 0;
      for (int round = 1; round <= rounds; round++) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (int i = 0; i < images; i++) {
          String uri = TestImages.dataUri(SamplePictures.solidPng(640, 480,
              new Color(30 * i, 120, 255 - 20 * i)));
          refs.put("r" + round + "-" + i, "{\"id\":\"r" + round + "-" + i + "\",\"uri\":\"" + uri
              + "\",\"longestEdge\":512}");
        }
        kafka.produce(topics.input(), refs);
        int want = seen + images;
        var out = kafka.readUntil(topics.output(), r -> r.size() >= want, Duration.ofMinutes(4));
        for (var r : out) {
          CaptionEvent e = codec.readCaption(r.topic(), r.value());
          if (!counted.add(e.eventId())) {
            continue; // read again from the beginning; partitions interleave differently each time
          }
          (e.cache() != null ? hit : miss).add(e.timingsMs().total());
          if (e.cache() == null) {
            missService.add(e.timingsMs().total() - e.timingsMs().queue());
          }
          if (round == 1) {
            System.out.printf("miss %s: %.0f ms, %d image tokens, %d generated%n", e.imageId(), e.timingsMs().total(),
                e.tokens().image(), e.tokens().generated());
          }
        }
        seen = out.size();
      }
      System.out.printf("hits %d, misses %d (cache metrics: %d hits, %d misses)%n", hit.size(), miss.size(),
          p.cacheMetrics().hits(), p.cacheMetrics().misses());
    }
    System.out.printf("per-record timingsMs.total: miss median %.0f ms (min %.0f, max %.0f); hit median %.2f ms"
        + " (min %.2f, max %.2f)%n", median(miss), min(miss), max(miss), median(hit), min(hit), max(hit));
    System.out.printf("miss without the wait for the one worker (total - queue): median %.0f ms (min %.0f, max %.0f)%n",
        median(missService), min(missService), max(missService));
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static <T extends Comparable<T>> T median(List<T> xs) {
    List<T> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static <T extends Comparable<T>> T min(List<T> xs) {
    return xs.stream().min(Comparable::compareTo).orElseThrow();
  }

  private static <T extends Comparable<T>> T max(List<T> xs) {
    return xs.stream().max(Comparable::compareTo).orElseThrow();
  }
}
