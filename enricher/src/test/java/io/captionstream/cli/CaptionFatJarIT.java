package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.captionstream.image.SamplePictures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance: the fat jar writes a synthetic model and captions an image with it, as a user would run it. */
class CaptionFatJarIT {

  @TempDir static Path tmp;
  static Path jar;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void findJar() {
    String p = System.getProperty("enricher.jar");
    Assumptions.assumeTrue(p != null, "system property enricher.jar not set (failsafe sets it)");
    jar = Path.of(p);
    assertThat(jar).as("the fat jar built by package").isRegularFile();
  }

  static Run java(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void synthModelThenCaptionWorksFromTheFatJar() throws Exception {
    Path model = tmp.resolve("m");
    Run synth = java("synth-model", "--preset", "tiny", "--out", model.toString());
    assertThat(synth.exit()).as(synth.err()).isZero();
    Path img = tmp.resolve("img.png");
    Files.write(img, SamplePictures.png(320, 240));
    Run caption = java("caption", "--model-dir", model.toString(), "--json", img.toString());
    assertThat(caption.exit()).as(caption.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(caption.out().lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseThrow(() -> new AssertionError("no JSON line in: " + caption.out())));
    assertThat(o.path("image").asText()).isEqualTo(img.toString());
    assertThat(o.has("caption")).isTrue();
    assertThat(o.path("tokens").path("generated").asInt()).isPositive();
    assertThat(o.path("tokens").path("image").asInt()).isPositive();
    assertThat(o.path("timingsMs").path("total").asDouble()).isPositive();
  }

  @Test
  void everyVariantAndAMixedChoiceCaptionFromTheFatJar() throws Exception {
    Path model = tmp.resolve("variants");
    Run synth = java("synth-model", "--preset", "tiny", "--out", model.toString(), "--variants", "all");
    assertThat(synth.exit()).as(synth.err()).isZero();
    Path img = tmp.resolve("img3.png");
    Files.write(img, SamplePictures.png(200, 120));
    for (String variant : List.of("fp32", "fp16", "int8", "uint8", "quantized", "q4", "q4f16", "bnb4",
        "q4,vision=fp32", "int8,decoder=q4f16")) {
      Run caption = java("caption", "--model-dir", model.toString(), "--variant", variant, "--max-new-tokens", "6",
          "--json", img.toString());
      assertThat(caption.exit()).as("%s: %s", variant, caption.err()).isZero();
      JsonNode o = new ObjectMapper().readTree(caption.out().lines().filter(l -> l.startsWith("{")).findFirst()
          .orElseThrow(() -> new AssertionError(variant + ": no JSON line in: " + caption.out())));
      assertThat(o.path("tokens").path("generated").asInt()).as(variant).isPositive();
      assertThat(o.has("caption")).as(variant).isTrue();
    }
  }

  @Test
  void aFolderWithAMissingFileFailsWithAMessageNamingIt() throws Exception {
    Path model = tmp.resolve("broken");
    Run synth = java("synth-model", "--preset", "tiny", "--out", model.toString());
    assertThat(synth.exit()).as(synth.err()).isZero();
    Files.delete(model.resolve("onnx/decoder_model_merged.onnx"));
    Path img = tmp.resolve("img2.png");
    Files.write(img, SamplePictures.png(64, 64));
    Run caption = java("caption", "--model-dir", model.toString(), "--json", img.toString());
    assertThat(caption.exit()).isEqualTo(CaptionCommand.EXIT_MODEL_UNUSABLE);
    assertThat(caption.err()).contains("decoder_model_merged.onnx");
  }
}
