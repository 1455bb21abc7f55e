package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captionstream.parity.NodeOracle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI smoke test of the comparison script {@code bench/compare.mjs}: on a tiny synthetic model it starts, finds our ids
 * equal to transformers.js', and prints well-formed figures for both sides. Not a benchmark: nothing is timed here.
 */
class BenchCompareScriptIT {

  @TempDir Path tmp;

  @Test
  void quickComparisonFindsEqualIdsAndReportsBothSides() throws Exception {
    NodeOracle node = NodeOracle.require();
    String jar = System.getProperty("enricher.jar");
    Assumptions.assumeTrue(jar != null, "system property enricher.jar not set (failsafe sets it)");
    Path repo = node.dir().getParent();
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder("node", repo.resolve("bench/compare.mjs").toString(), "--quick", "--jar",
        jar).directory(repo.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("DJL_OFFLINE", "true");
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
    JsonNode report = new ObjectMapper().readTree(stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no JSON line in: " + stdout)));
    assertThat(report.path("results")).hasSize(2);
    for (JsonNode r : report.path("results")) {
      assertThat(r.path("idsEqual").asBoolean()).isTrue();
      assertThat(r.path("generatedTokens").asInt()).isBetween(1, 4);
      for (String side : new String[] {"ours", "transformersJs"}) {
        assertThat(r.path(side).path("imagesPerSecond").asDouble()).as(side).isPositive();
        assertThat(r.path(side).path("peakRssMiB").asDouble()).as(side).isPositive();
        assertThat(r.path(side).path("vision").asDouble()).as(side).isPositive();
      }
    }
    assertThat(report.path("results").get(1).path("tiles").asInt()).isEqualTo(1);
    assertThat(stdout).contains("generated ids equal in every case");
  }
}
