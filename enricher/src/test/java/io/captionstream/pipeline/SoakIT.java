package io.captionstream.pipeline;

import static io.captionstream.pipeline.KafkaTopicsSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Issue #9 part 7: records through one {@code enricher run} instance (its own JVM, heap fixed at {@value #HEAP} and
 * pre-touched, so heap sizing cannot pass for growth) on the tiny synthetic model, its RSS ({@code /proc/PID/status})
 * and Java heap ({@code jstat -gc}) sampled every few seconds; after warm-up RSS must plateau. CI runs
 * {@value #CI_RECORDS} records with a loose bound; the benchmark run is {@code -Dit.test=SoakIT -Dsoak.records=5000}
 * (growth after warm-up under 5 %).
 */
@Testcontainers
class SoakIT {

  static final int CI_RECORDS = 1_000;
  static final String HEAP = "384m";
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(2);
  /** Diagnosis: the instance runs with native memory tracking and each sample adds its JVM-side native memory. */
  private static final boolean NMT = Boolean.getBoolean("soak.nmt");

  @Container
  static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

  @TempDir
  Path tmp;

  /**
   * One sample: {@code rssKiB} as the instance holds it, {@code liveRssKiB} right after asking its JVM to return
   * glibc's freed-but-kept pages ({@code jcmd PID System.trim_native_heap}); a leak is live memory and stays.
   */
  record Sample(double seconds, long outcomes, long rssKiB, long liveRssKiB, long heapUsedKiB, long jvmNativeKiB) {}

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
    kafka.produce(topics.input(), inputs);
    Path log = Files.createDirectories(Path.of("target", "soak-it")).resolve("instance.log");
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    AtomicLong outcomes = new AtomicLong();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    long t0 = System.nanoTime();
    Process instance = launch(model, topics, log);
    long seen;
    try {
      sampler.scheduleAtFixedRate(() -> samples.add(sample(instance.pid(), t0, outcomes.get())), 1,
          SAMPLE_EVERY.toSeconds(), TimeUnit.SECONDS);
      var out = kafka.readUntil(Set.of(topics.output(), topics.errors()), r -> {
        outcomes.set(r.size());
        return r.size() >= records;
      }, Duration.ofMinutes(records >= 5_000 ? 20 : 5));
      samples.add(sample(instance.pid(), t0, out.size()));
      seen = out.stream().map(r -> text(r.key())).distinct().count();
      assertThat(out).as("no error events").allSatisfy(r -> assertThat(r.topic()).isEqualTo(topics.output()));
      assertThat(instance.isAlive()).as("instance alive, see " + log).isTrue();
    } finally {
      sampler.shutdownNow();
      instance.destroy();
      instance.waitFor(60, TimeUnit.SECONDS);
    }
    List<Sample> curve = List.copyOf(samples);
    printCurve(curve);
    // warm-up: the first fifth of the records (JIT, ORT arenas, Kafka buffers; the image mix repeats every 408);
    // the plateau compares the median live RSS of the next fifth with that of the last fifth, so one GC-time peak
    // does not decide either way. Live RSS, not raw: freed native memory that glibc keeps (docs/reliability.md,
    // soak) made one-time steps of 40-250 MiB that a trim gives back; memory still in use is never trimmed.
    long warm = medianRss(curve, records / 5, 2 * records / 5);
    long last = medianRss(curve, 4 * records / 5, records);
    double growth = (double) (last - warm) / warm;
    print(records, seen, curve, warm, last, growth);
    assertThat(seen).as("lost").isEqualTo(records);
    assertThat(growth).as("RSS growth after warm-up").isLessThan(allowedGrowth);
  }

  private static Process launch(Path model, Topics topics, Path log) throws IOException {
    List<String> jvm = new ArrayList<>(List.of("-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch"));
    if (NMT) {
      jvm.add("-XX:NativeMemoryTracking=summary");
    }
    jvm.addAll(List.of(System.getProperty("soak.jvm.args", "").split("\\s+")).stream().filter(a -> !a.isBlank())
        .toList());
    String arenas = System.getProperty("soak.malloc.arena.max"); // diagnosis: glibc arenas vs. a real leak
    return RunProcess.start(jvm, List.of(
        "--model-dir", model.toString(), "-b", KAFKA.getBootstrapServers(),
        "--application-id", "soak-" + UUID.randomUUID(), "--input-topic", topics.input(),
        "--output-topic", topics.output(), "--error-topic", topics.errors(), "--workers", "2",
        "--commit-interval", "PT0.5S", "--instance-id", "soak", "--metrics-port", "-1"),
        arenas == null ? Map.of() : Map.of("MALLOC_ARENA_MAX", arenas), log);
  }

  private static long medianRss(List<Sample> curve, long fromOutcomes, long toOutcomes) {
    long[] rss = curve.stream().filter(s -> s.outcomes() >= fromOutcomes && s.outcomes() <= toOutcomes)
        .mapToLong(Sample::liveRssKiB).sorted().toArray();
    assertThat(rss).as("samples between %d and %d outcomes", fromOutcomes, toOutcomes).isNotEmpty();
    return rss[rss.length / 2];
  }

  private static void print(int records, long seen, List<Sample> curve, long warm, long last, double growth) {
    Sample end = curve.get(curve.size() - 1);
    long peak = curve.stream().mapToLong(Sample::rssKiB).max().orElseThrow();
    StringBuilder b = new StringBuilder(String.format("soak: records=%d lost=%d live rss start=%d MiB "
        + "after-warm-up=%d MiB last-fifth=%d MiB end=%d MiB growth-after-warm-up=%.1f%%; untrimmed rss end=%d MiB "
        + "peak=%d MiB%n", records, records - seen, curve.get(0).liveRssKiB() >> 10, warm >> 10, last >> 10,
        end.liveRssKiB() >> 10, growth * 100, end.rssKiB() >> 10, peak >> 10));
    System.out.print(b);
  }

  private static void printCurve(List<Sample> curve) {
    StringBuilder b = new StringBuilder(
        "soak curve: seconds | outcomes | RSS MiB | live RSS MiB | heap used MiB | JVM native MiB\n");
    int step = Math.max(1, curve.size() / 15);
    for (int i = 0; i < curve.size(); i += step) {
      Sample s = curve.get(i);
      b.append(row(s));
    }
    b.append(row(curve.get(curve.size() - 1)));
    System.out.print(b);
    try {
      Files.writeString(Path.of("target", "soak-it", "curve.txt"),
          String.join("", curve.stream().map(SoakIT::row).toList()));
    } catch (IOException e) {
      System.out.println("soak: cannot write the curve: " + e);
    }
  }

  private static String row(Sample s) {
    return String.format("soak curve: %7.0f | %8d | %7d | %7d | %6d | %6d%n", s.seconds(), s.outcomes(),
        s.rssKiB() >> 10, s.liveRssKiB() >> 10, s.heapUsedKiB() >> 10, s.jvmNativeKiB() >> 10);
  }

  private static Sample sample(long pid, long t0, long outcomes) {
    double seconds = (System.nanoTime() - t0) / 1e9;
    long rss = rssKiB(pid);
    trimNativeHeap(pid);
    return new Sample(seconds, outcomes, rss, rssKiB(pid), heapUsedKiB(pid), NMT ? jvmNativeKiB(pid, seconds) : -1);
  }

  /** {@code malloc_trim} in the instance: glibc gives back free pages it keeps in its arenas after free(). */
  private static void trimNativeHeap(long pid) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(pid), "System.trim_native_heap").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      System.out.println("soak: trim failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long rssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /**
   * NMT's committed total less the Java heap: the JVM's own native memory (code cache, compiler, threads, GC,
   * direct buffers under "Other"); the whole summary goes to target/soak-it/nmt-SECONDS.txt. -1 if unreadable.
   */
  private static long jvmNativeKiB(long pid, double seconds) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(pid), "VM.native_memory", "summary", "scale=KB").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        return -1;
      }
      Files.writeString(Path.of("target", "soak-it", String.format("nmt-%04.0f.txt", seconds)), text);
      var total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
      var heap = Pattern.compile("Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
      return total.find() && heap.find() ? Long.parseLong(total.group(1)) - Long.parseLong(heap.group(1)) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Used Java heap of the instance from {@code jstat -gc} (survivors, eden, old), -1 if it cannot be read. */
  private static long heapUsedKiB(long pid) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc",
          String.valueOf(pid)).redirectErrorStream(true).start();
      String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
      if (!p.waitFor(10, TimeUnit.SECONDS) || lines.length < 2) {
        return -1;
      }
      String[] head = lines[0].trim().split("\\s+");
      String[] row = lines[1].trim().split("\\s+");
      double used = 0;
      for (int i = 0; i < head.length && i < row.length; i++) {
        if (Set.of("S0U", "S1U", "EU", "OU").contains(head[i])) {
          used += Double.parseDouble(row[i]);
        }
      }
      return (long) used;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
