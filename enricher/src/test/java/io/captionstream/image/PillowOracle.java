package io.captionstream.image;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code src/test/python/pillow_reference.py} (Pillow + numpy) as the pixel oracle. The interpreter is
 * {@code /usr/bin/python3} unless system property {@code captionstream.python} or env {@code CAPTIONSTREAM_PYTHON}
 * names another. Without Python/Pillow/numpy the calling test is skipped, or fails when env {@code CI=true}.
 */
final class PillowOracle {

  static final ObjectMapper JSON = new ObjectMapper();

  private PillowOracle() {
  }

  static String python() {
    String p = System.getProperty("captionstream.python");
    if (p == null || p.isBlank()) {
      p = System.getenv("CAPTIONSTREAM_PYTHON");
    }
    return p == null || p.isBlank() ? "/usr/bin/python3" : p;
  }

  static Path script() {
    Path p = Path.of("src/test/python/pillow_reference.py");
    return Files.exists(p) ? p.toAbsolutePath() : Path.of("enricher/src/test/python/pillow_reference.py")
        .toAbsolutePath();
  }

  /** Skips (or fails on CI) when the oracle cannot run here. */
  static void requireAvailable() {
    String problem = null;
    try {
      Process p = new ProcessBuilder(python(), "-c", "import PIL, numpy; print(PIL.__version__)")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        problem = "python3 with PIL and numpy not usable: " + out;
      }
    } catch (IOException e) {
      problem = "cannot start " + python() + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    if (problem != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("Pillow oracle required on CI: " + problem);
      }
      Assumptions.abort("Pillow oracle unavailable (install python3-pil python3-numpy or set "
          + "-Dcaptionstream.python): " + problem);
    }
  }

  /** Runs every case of the manifest in one interpreter. */
  static void run(List<Map<String, Object>> cases, Path dir) throws IOException, InterruptedException {
    Path manifest = dir.resolve("manifest.json");
    JSON.writeValue(manifest.toFile(), cases);
    Process p = new ProcessBuilder(python(), script().toString(), "--manifest", manifest.toString())
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("pillow_reference.py timed out");
    }
    if (p.exitValue() != 0) {
      fail("pillow_reference.py failed: " + new String(out, StandardCharsets.UTF_8));
    }
  }

  /** WebP bytes of {@code png}, encoded by Pillow/libwebp (Java has no WebP writer). */
  static byte[] webpFromPng(byte[] png, boolean lossless, int quality) {
    return encodeWithPillow(png, "WEBP", "lossless=" + (lossless ? "True" : "False") + ", quality=" + quality);
  }

  /** {@code png} re-encoded by Pillow as {@code format} with the given {@code save} keyword arguments. */
  static byte[] encodeWithPillow(byte[] png, String format, String saveArgs) {
    return encodeWithPillow(png, null, format, saveArgs);
  }

  /** Like {@link #encodeWithPillow(byte[], String, String)}, converting to Pillow mode {@code mode} first. */
  static byte[] encodeWithPillow(byte[] png, String mode, String format, String saveArgs) {
    try {
      Path in = Files.createTempFile("webp-src", ".png");
      Path out = Files.createTempFile("pillow", ".out");
      try {
        Files.write(in, png);
        Process p = new ProcessBuilder(python(), "-c",
            "import sys; from PIL import Image; Image.open(sys.argv[1])"
                + (mode == null ? "" : ".convert('" + mode + "')") + ".save(sys.argv[2], '" + format + "', "
                + saveArgs + ")", in.toString(), out.toString())
            .redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          fail("Pillow encode failed: " + new String(log, StandardCharsets.UTF_8));
        }
        return Files.readAllBytes(out);
      } finally {
        Files.deleteIfExists(in);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> meta(Path file) throws IOException {
    return JSON.readValue(file.toFile(), Map.class);
  }
}
