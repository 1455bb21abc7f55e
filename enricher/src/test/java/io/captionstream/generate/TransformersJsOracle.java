package io.captionstream.generate;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code parity/generate.mjs} (transformers.js' own generate() on the same ONNX files). When node or the
 * oracle's {@code node_modules} are missing, tests fail under {@code CI=true} and are skipped elsewhere.
 */
final class TransformersJsOracle {

  /** One replay: a dump folder written by {@code inspect}'s code and the token cap. */
  record Case(Path dump, int maxNewTokens) {}

  /** What the oracle answered: generated ids per case, and the versions it ran. */
  record Answer(List<long[]> generated, JsonNode versions) {}

  private final Path parityDir;

  private TransformersJsOracle(Path parityDir) {
    this.parityDir = parityDir;
  }

  /** Finds {@code parity/} next to the enricher module, or skips/fails as described above. */
  static TransformersJsOracle locate() {
    Path base = Path.of(System.getProperty("basedir", Path.of("").toAbsolutePath().toString()));
    Path parity = base.getFileName() != null && base.getFileName().toString().equals("enricher")
        ? base.getParent().resolve("parity") : base.resolve("parity");
    String problem = null;
    if (!Files.isRegularFile(parity.resolve("generate.mjs"))) {
      problem = "no " + parity.resolve("generate.mjs");
    } else if (!Files.isDirectory(parity.resolve("node_modules/@huggingface/transformers"))) {
      problem = "transformers.js not installed: run (cd parity && ONNXRUNTIME_NODE_INSTALL=skip "
          + "ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci)";
    } else if (!nodeWorks()) {
      problem = "node is not on the PATH";
    }
    if (problem != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("generation parity needs the transformers.js oracle: " + problem);
      }
      Assumptions.abort("generation parity skipped: " + problem);
    }
    return new TransformersJsOracle(parity);
  }

  private static boolean nodeWorks() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Answer generate(Path modelDir, List<Case> cases) throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode request = json.createObjectNode();
    request.put("model", modelDir.toAbsolutePath().toString());
    ArrayNode list = request.putArray("cases");
    for (Case c : cases) {
      list.addObject().put("dump", c.dump().toAbsolutePath().toString()).put("max_new_tokens", c.maxNewTokens());
    }
    Path err = Files.createTempFile("oracle", ".err");
    Process p = new ProcessBuilder("node", "generate.mjs").directory(parityDir.toFile())
        .redirectError(err.toFile()).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(json.writeValueAsBytes(request));
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("generate.mjs failed: " + Files.readString(err));
    }
    Files.deleteIfExists(err);
    JsonNode answer = json.readTree(new String(out, StandardCharsets.UTF_8));
    List<long[]> ids = new ArrayList<>();
    for (JsonNode r : answer.path("results")) {
      long[] g = new long[r.path("generated_ids").size()];
      for (int i = 0; i < g.length; i++) {
        g[i] = r.path("generated_ids").get(i).asLong();
      }
      ids.add(g);
    }
    if (ids.size() != cases.size()) {
      throw new IllegalStateException("oracle answered " + ids.size() + " of " + cases.size() + " cases");
    }
    return new Answer(ids, answer.path("versions"));
  }
}
