package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the fat jar as a newcomer would: {@code demo --model-dir} on a synthetic model, and the offline failures. */
class DemoIT {

  @TempDir Path tmp;

  record Result(int exitCode, String stdout, String stderr, Duration took) {}

  private Result jar(Map<String, String> env, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("enricher.jar", "target/enricher.jar"));
    assertThat(jar).as("the fat jar (run `./mvnw -DskipTests package` first)").exists();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().put("HF_HOME", tmp.resolve("hf").toString());
    pb.environment().putAll(env);
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd + "\n" + Files.readString(err));
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private static List<String> sampleNames() throws IOException {
    try (InputStream in = DemoIT.class.getClassLoader().getResourceAsStream("samples/index.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(s -> !s.isBlank()).toList();
    }
  }

  private static String unreachableEndpoint() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void demoWithALocalModelCaptionsEveryBundledSampleAndExitsZero() throws Exception {
    Path model = tmp.resolve("model");
    Result synth = jar(Map.of(), "synth-model", "--preset", "tiny", "--out", model.toString());
    assertThat(synth.exitCode()).as(synth.stderr()).isZero();

    Result demo = jar(Map.of("HF_ENDPOINT", unreachableEndpoint()), "demo", "--model-dir", model.toString(),
        "--timeout", "4m");

    assertThat(demo.exitCode()).as(demo.stderr()).isZero();
    List<String> names = sampleNames();
    assertThat(names).hasSizeGreaterThanOrEqualTo(3);
    for (String name : names) {
      assertThat(demo.stdout()).containsOnlyOnce("[caption] " + name + ":");
    }
    assertThat(demo.stdout()).contains("ms total = queue").contains("tokens generated");
    assertThat(demo.stderr()).contains(names.size() + " captions (0 from cache), 0 errors, 0 missing");
    System.out.println("demo took " + demo.took().toMillis() + " ms");
  }

  @Test
  void demoRepeatTwiceAnswersTheWholeSecondRoundFromTheCacheWithTheFirstRoundsCaptions() throws Exception {
    Path model = tmp.resolve("model");
    Result synth = jar(Map.of(), "synth-model", "--preset", "tiny", "--out", model.toString());
    assertThat(synth.exitCode()).as(synth.stderr()).isZero();

    Result demo = jar(Map.of("HF_ENDPOINT", unreachableEndpoint()), "demo", "--model-dir", model.toString(),
        "--repeat", "2", "--timeout", "4m");

    assertThat(demo.exitCode()).as(demo.stderr()).isZero();
    int n = sampleNames().size();
    assertThat(demo.stderr())
        .contains("round 1 of 2: " + n + " captions (0 from cache)")
        .contains("round 2 of 2: " + n + " captions (" + n + " from cache), every caption equal to round 1's")
        .contains(2 * n + " captions (" + n + " from cache), 0 errors, 0 missing");
    for (String name : sampleNames()) {
      assertThat(demo.stdout()).containsOnlyOnce("[caption] " + name + "#1:").containsOnlyOnce("[caption] " + name
          + "#2:");
    }
    assertThat(demo.stdout()).contains("from the cache: computed as ");
  }

  @Test
  void downloadModelWithoutNetworkFailsFastNamingModelDir() throws Exception {
    Result r = jar(Map.of("HF_ENDPOINT", unreachableEndpoint()), "download-model");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.stderr()).contains("cannot reach the model hub").contains("--model-dir");
    assertThat(r.took()).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void demoWithoutModelOrNetworkFailsFastBeforeStartingKafka() throws Exception {
    Result r = jar(Map.of("HF_ENDPOINT", unreachableEndpoint()), "demo");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.stderr()).contains("--model-dir").doesNotContain("embedded Kafka");
  }
}
