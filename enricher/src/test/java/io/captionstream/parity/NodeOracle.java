package io.captionstream.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script of the transformers.js oracle project {@code parity/} (repository root) with JSON on stdin and
 * parses the JSON it prints. When node or {@code parity/node_modules} is missing the calling test fails under
 * {@code CI=true} and is skipped (with the reason) elsewhere.
 */
public final class NodeOracle {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path parityDir;

  private NodeOracle(Path parityDir) {
    this.parityDir = parityDir;
  }

  /** The oracle, or a skipped/failed test explaining why it is unavailable. */
  public static NodeOracle require() {
    Path parity = findParityDir();
    String problem = null;
    if (parity == null) {
      problem = "no parity/package.json above " + Path.of("").toAbsolutePath();
    } else if (!Files.isDirectory(parity.resolve("node_modules/@huggingface/transformers"))) {
      problem = "transformers.js is not installed: run (cd parity && ONNXRUNTIME_NODE_INSTALL=skip "
          + "ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci)";
    } else if (!nodeWorks()) {
      problem = "node is not on the PATH";
    }
    if (problem != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("transformers.js oracle unavailable under CI=true: " + problem);
      }
      Assumptions.abort("transformers.js oracle unavailable, skipping: " + problem);
    }
    return new NodeOracle(parity);
  }

  private static Path findParityDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("parity/package.json"))) {
        return p.resolve("parity");
      }
    }
    return null;
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

  public Path dir() {
    return parityDir;
  }

  /** Runs {@code node parity/<script>} with {@code input} as JSON on stdin; returns the parsed JSON of stdout. */
  public JsonNode run(String script, Object input, long timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("node", script).directory(parityDir.toFile()).start();
    CompletableFuture<byte[]> out = readAsync(p.getInputStream());
    CompletableFuture<byte[]> err = readAsync(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      in.write(JSON.writeValueAsBytes(input));
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node " + script + " did not finish within " + timeoutSeconds + " s");
    }
    String stderr = new String(err.join(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("node " + script + " failed (exit " + p.exitValue() + "):\n" + stderr);
    }
    return JSON.readTree(out.join());
  }

  private static CompletableFuture<byte[]> readAsync(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
        s.transferTo(b);
        return b.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
