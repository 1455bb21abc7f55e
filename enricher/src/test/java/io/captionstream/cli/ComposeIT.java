package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.captionstream.schema.CaptionEvent;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import io.captionstream.tools.OutcomeReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code docker compose} stack, for real: Kafka, schema registry, topic creator, the model step (here a
 * bind-mounted synthetic model) and two enricher replicas built from the Dockerfile, in the compose file's default
 * registry mode. 20 images are published from the host with {@code enricher publish} and a settings file like
 * {@code compose-client.properties}; 20 captions come back through the registry (Confluent framing), from both
 * replicas. The stack is removed with {@code down -v} whatever happens.
 */
class ComposeIT {

  @TempDir Path tmp;

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String compose(Map<String, String> env, Duration limit, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker", "compose"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + cmd);
    }
    String text = new String(out);
    if (p.exitValue() != 0) {
      throw new AssertionError(cmd + " failed (" + p.exitValue() + "):\n" + text);
    }
    return text;
  }

  private static boolean dockerComposeAvailable() {
    try {
      Process p = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void twoReplicasCaptionTwentyImagesPublishedFromTheHost() throws Exception {
    // CI installs the plugin (.ci/run → offline-images/setup.sh --compose); there a missing plugin is a failure
    boolean compose = dockerComposeAvailable();
    assertThat(compose || System.getenv("CI") == null).as("docker compose v2 under CI=true").isTrue();
    assumeTrue(compose, "docker compose v2 is needed");
    Path jar = Path.of(System.getProperty("enricher.jar", "target/enricher.jar"));
    assertThat(jar).as("fat jar").exists();
    Path model = tmp.resolve("model");
    SynthModelWriter.write(SynthSpec.tiny(), model);
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.toList()) { // the container user (uid 10001) must read the bind mount
        Files.setPosixFilePermissions(f,
            PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
    int kafkaPort = freePort();
    String project = "captionstream-it-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>();
    env.put("MODEL_DIR", model.toString());
    env.put("KAFKA_HOST_PORT", Integer.toString(kafkaPort));
    int registryPort = freePort();
    env.put("REGISTRY_HOST_PORT", Integer.toString(registryPort));
    env.put("INPUT_PARTITIONS", "4");
    env.put("ENRICHER_WORKERS", "1");
    long t0 = System.nanoTime();
    try {
      compose(env, Duration.ofMinutes(8), "-p", project, "up", "-d", "--build", "--scale", "enricher=2");
      awaitHealthyEnrichers(env, project, 2, Duration.ofMinutes(4));

      String bootstrap = "localhost:" + kafkaPort;
      Map<String, String> serde = Map.of("serde.mode", "registry",
          "schema.registry.url", "http://localhost:" + registryPort + "/apis/ccompat/v7");
      Path client = Files.writeString(tmp.resolve("compose-client.properties"), Files.readString(
          ROOT.resolve("compose-client.properties")).replace("localhost:29092", bootstrap)
          .replace("localhost:8081", "localhost:" + registryPort));
      CliRun published = CliRun.of("publish", "-c", client.toString(), "--samples", "--repeat", "5");
      assertThat(published.code()).as(published.err()).isZero();
      List<String> refs = published.out().lines().toList();
      assertThat(refs).hasSize(20);
      Set<String> ids = new HashSet<>();
      Set<String> instances = new HashSet<>();
      int errors = 0;
      try (OutcomeReader reader = new OutcomeReader(bootstrap, serde, "captions", "caption-errors", true)) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (ids.size() + errors < refs.size() && System.nanoTime() < deadline) {
          for (OutcomeReader.Outcome o : reader.poll(Duration.ofMillis(500))) {
            assertThat(o.raw()[0]).as("Confluent magic byte: the enricher wrote through the registry").isZero();
            if (o.caption() != null) {
              CaptionEvent e = o.caption();
              ids.add(e.imageId());
              instances.add(e.instance());
            } else {
              errors++;
            }
          }
        }
      }
      assertThat(errors).isZero();
      assertThat(ids).hasSize(20).containsAll(refs);
      assertThat(instances).as("both replicas contributed").hasSize(2);
      System.out.println("compose IT: 20 captions from " + instances + " in " + (System.nanoTime() - t0) / 1_000_000
          + " ms");
    } catch (AssertionError | Exception e) {
      try {
        System.out.println(compose(env, Duration.ofMinutes(1), "-p", project, "logs", "--no-color", "--tail", "60"));
      } catch (AssertionError ignored) {
        // logs are a courtesy
      }
      throw e;
    } finally {
      compose(env, Duration.ofMinutes(3), "-p", project, "down", "-v", "--remove-orphans");
    }
  }

  private static void awaitHealthyEnrichers(Map<String, String> env, String project, int n, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    String ps = "";
    while (System.nanoTime() < deadline) {
      ps = compose(env, Duration.ofMinutes(1), "-p", project, "ps", "enricher", "--format", "{{.Name}} {{.Health}}");
      long healthy = ps.lines().filter(l -> l.endsWith(" healthy")).count();
      if (healthy == n) {
        return;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("enrichers not healthy within " + limit + ":\n" + ps);
  }
}
