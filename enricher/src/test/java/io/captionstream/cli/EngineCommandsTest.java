package io.captionstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.captionstream.generate.NpyReader;
import io.captionstream.image.SamplePictures;
import io.captionstream.synth.HubVariant;
import io.captionstream.synth.SynthModelWriter;
import io.captionstream.synth.SynthSpec;
import io.captionstream.synth.SyntheticTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCommandsTest {

  @TempDir static Path tmp;
  static Path modelDir;
  static Path png;
  static Path corrupt;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void writeModelAndImages() throws Exception {
    modelDir = tmp.resolve("tiny");
    SynthModelWriter.write(SynthSpec.tiny(), modelDir);
    if (!Files.exists(modelDir.resolve("tokenizer.json"))) {
      SyntheticTokenizer.write(modelDir, SynthSpec.tiny().vocab(), SynthSpec.tiny().seed());
    }
    png = tmp.resolve("picture.png");
    Files.write(png, SamplePictures.png(300, 200));
    corrupt = tmp.resolve("broken.jpg");
    Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3});
  }

  /** Runs the CLI in-process; returns exit code, stdout, stderr. */
  static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void captionPrintsOneJsonObjectPerImageWithCountsTimingsAndIds() throws Exception {
    String[] r = run("caption", "--model-dir", modelDir.toString(), "--json", "--token-ids", "--max-new-tokens", "6",
        png.toString(), png.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<String> lines = r[1].lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode o = JSON.readTree(lines.get(0));
    assertThat(o.path("image").asText()).isEqualTo(png.toString());
    assertThat(o.has("caption")).isTrue();
    assertThat(o.path("tokens").path("image").asInt()).isEqualTo(13 * SynthSpec.tiny().imageSeqLen());
    assertThat(o.path("tokens").path("prompt").asInt()).isGreaterThan(o.path("tokens").path("image").asInt());
    int generated = o.path("tokens").path("generated").asInt();
    assertThat(generated).isBetween(1, 6);
    assertThat(o.path("tokenIds").size()).isEqualTo(generated);
    assertThat(o.path("rows").asInt()).isEqualTo(3);
    assertThat(o.path("cols").asInt()).isEqualTo(4);
    assertThat(o.path("tiles").asInt()).isEqualTo(13);
    for (String stage : List.of("decode", "preprocess", "vision", "prefill", "firstToken", "decodeLoop", "total")) {
      assertThat(o.path("timingsMs").path(stage).isNumber()).as(stage).isTrue();
    }
    assertThat(o.path("timingsMs").path("total").asDouble())
        .isGreaterThanOrEqualTo(o.path("timingsMs").path("vision").asDouble());
    assertThat(JSON.readTree(lines.get(1)).path("tokenIds")).isEqualTo(o.path("tokenIds"));
  }

  @Test
  void withoutTokenIdsTheJsonHasNone() throws Exception {
    String[] r = run("caption", "--model-dir", modelDir.toString(), "--json", "--max-new-tokens", "2", "--no-split",
        png.toString());
    assertThat(r[0]).isEqualTo("0");
    JsonNode o = JSON.readTree(r[1].lines().findFirst().orElseThrow());
    assertThat(o.has("tokenIds")).isFalse();
    assertThat(o.path("tiles").asInt()).isEqualTo(1);
  }

  @Test
  void aFailingImageIsPrintedAndTheExitCodeSaysSo() throws Exception {
    String[] r = run("caption", "--model-dir", modelDir.toString(), "--json", "--max-new-tokens", "2",
        corrupt.toString(), png.toString());
    assertThat(r[0]).isEqualTo(String.valueOf(CaptionCommand.EXIT_IMAGE_FAILED));
    List<String> lines = r[1].lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines.get(0)).path("error").path("reason").asText()).isEqualTo("CORRUPT_IMAGE");
    assertThat(JSON.readTree(lines.get(1)).has("caption")).isTrue();
    assertThat(r[2]).contains(corrupt.toString()).contains("CORRUPT_IMAGE");
  }

  @Test
  void aModelFolderWithAMissingGraphFailsNamingTheFile() throws Exception {
    Path broken = tmp.resolve("broken-model");
    SynthModelWriter.write(SynthSpec.tiny(), broken);
    SyntheticTokenizer.write(broken, SynthSpec.tiny().vocab(), SynthSpec.tiny().seed());
    Files.delete(broken.resolve("onnx/embed_tokens.onnx"));
    String[] r = run("caption", "--model-dir", broken.toString(), png.toString());
    assertThat(r[0]).isEqualTo(String.valueOf(CaptionCommand.EXIT_MODEL_UNUSABLE));
    assertThat(r[2]).contains("embed_tokens.onnx");
  }

  @Test
  void aConfigThatDisagreesWithTheGraphsFailsNamingFileAndField() throws Exception {
    Path edited = tmp.resolve("edited-model");
    SynthModelWriter.write(SynthSpec.tiny(), edited);
    Path config = edited.resolve("config.json");
    ObjectNode root = (ObjectNode)
        JSON.readTree(config.toFile());
    ((ObjectNode) root.path("text_config"))
        .put("num_hidden_layers", SynthSpec.tiny().textLayers() + 1);
    JSON.writeValue(config.toFile(), root);
    String[] r = run("caption", "--model-dir", edited.toString(), png.toString());
    assertThat(r[0]).isEqualTo(String.valueOf(CaptionCommand.EXIT_MODEL_UNUSABLE));
    assertThat(r[2]).contains("config.json").contains("text_config.num_hidden_layers");
  }

  @Test
  void inspectDumpsPixelsMaskIdsAndPromptAndSummarises() throws Exception {
    Path out = tmp.resolve("dump");
    String[] r = run("inspect", "--model-dir", modelDir.toString(), "--prompt", "What is red?", "--dump",
        out.toString(), png.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode summary = JSON.readTree(r[1].trim());
    assertThat(summary.path("rows").asInt()).isEqualTo(3);
    assertThat(summary.path("cols").asInt()).isEqualTo(4);
    assertThat(summary.path("tiles").asInt()).isEqualTo(13);
    int s = SynthSpec.tiny().tileSize();
    NpyReader.Array px = NpyReader.read(out.resolve("pixel_values.npy"));
    assertThat(px.descr()).isEqualTo("<f4");
    assertThat(px.shape()).containsExactly(1, 13, 3, s, s);
    NpyReader.Array mask = NpyReader.read(out.resolve("pixel_attention_mask.npy"));
    assertThat(mask.shape()).containsExactly(1, 13, s, s);
    boolean[] m = mask.asBool();
    assertThat(m).hasSize(13 * s * s).doesNotContain(false);
    NpyReader.Array ids = NpyReader.read(out.resolve("input_ids.npy"));
    long[] idv = ids.asInt64();
    assertThat(ids.shape()).containsExactly(1, idv.length);
    assertThat(summary.path("promptTokens").asInt()).isEqualTo(idv.length);
    long imageId = SynthSpec.tiny().imageTokenId();
    assertThat(Arrays.stream(idv).filter(x -> x == imageId).count())
        .isEqualTo(summary.path("imageTokens").asLong()).isEqualTo(13L * SynthSpec.tiny().imageSeqLen());
    String prompt = Files.readString(out.resolve("prompt.txt"), StandardCharsets.UTF_8);
    assertThat(prompt).contains("What is red?").contains("<row_3_col_4>").contains("<global-img>");
    float[] values = new float[64];
    px.asFloat32().get(values);
    for (float v : values) {
      assertThat(v).isBetween(-1f, 1f);
    }
  }

  @Test
  void benchMeasuresTwoLongestEdgesSideBySide() throws Exception {
    String[] r = run("bench", "--model-dir", modelDir.toString(), "--images", png.toString(), "--runs", "2",
        "--warmup", "0", "--longest-edge", "256,64", "--max-new-tokens", "3");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    String json = r[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode report = JSON.readTree(json);
    assertThat(report.path("configurations")).hasSize(2);
    assertThat(report.path("configurations").get(0).path("tiles").asInt()).isEqualTo(13);
    assertThat(report.path("configurations").get(1).path("tiles").asInt()).isEqualTo(1);
    assertThat(report.path("configurations").get(0).path("samples").asInt()).isEqualTo(2);
    assertThat(report.path("ratios").get(0).path("vision").asDouble()).isGreaterThan(1.0);
    assertThat(report.path("peakRssMiB").asDouble()).isPositive();
    assertThat(r[1]).contains("ratio longest edge 256 / longest edge 64");
  }

  @Test
  void benchReportsTheTilesPerVisionRunItUsedWhichIsAllForAn8BitVisionEncoder() throws Exception {
    Path int8 = tmp.resolve("tiny-int8");
    SynthModelWriter.write(SynthSpec.tiny(), int8, Set.of(HubVariant.INT8));
    for (String[] expected : List.of(new String[] {"fp32", "1", "1 tile(s) per vision run"},
        new String[] {"int8", "0", "all tile(s) per vision run"})) {
      String[] r = run("bench", "--model-dir", int8.toString(), "--variant", expected[0], "--images", png.toString(),
          "--runs", "1", "--warmup", "0", "--max-new-tokens", "2", "--vision-tiles-per-run", "1");
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      JsonNode report = JSON.readTree(r[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
      assertThat(report.path("visionTilesPerRun").asText()).as(expected[0]).isEqualTo(expected[1]);
      assertThat(r[1]).as(expected[0]).contains(expected[2]);
    }
  }

  @Test
  void benchQuickRunsTwoWorkersOnATinyModelAndReportsImagesPerSecondAndPeakRss() throws Exception {
    Path profiles = tmp.resolve("profiles");
    String[] r = run("bench", "--quick", "--workers", "2", "--profile", profiles.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    String json = r[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
    JsonNode report = JSON.readTree(json);
    assertThat(report.path("workers").asInt()).isEqualTo(2);
    assertThat(report.path("threads").asInt()).isEqualTo(1);
    JsonNode config = report.path("configurations").get(0);
    assertThat(config.path("samples").asInt()).as("one round, each worker captions the image").isEqualTo(2);
    assertThat(config.path("imagesPerSecond").asDouble()).isPositive();
    assertThat(config.path("generatedTokens").asInt()).isBetween(1, 4);
    assertThat(report.path("peakRssMiB").asDouble()).isPositive();
    assertThat(report.path("profile")).as("one per-op profile per session").hasSize(3);
    assertThat(report.path("profile").findValuesAsText("op")).contains("MatMul");
  }

  @Test
  void benchMatmulReportsTheCeilingAndTheVisionEncodersShareOfIt() throws Exception {
    String[] r = run("bench", "matmul", "--model-dir", modelDir.toString(), "--runs", "1", "--warmup", "0",
        "--vision-runs", "1", "--read-mib", "16");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode report = JSON.readTree(r[1].lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertThat(report.path("shapes")).hasSize(5);
    assertThat(report.path("shapes").get(0).path("gflopsPerSecond").asDouble()).isPositive();
    assertThat(report.path("ceilingGflopsPerSecond").asDouble()).isPositive();
    assertThat(report.path("visionFractionOfCeiling").asDouble()).isPositive();
    assertThat(report.path("readGBps").asDouble()).isPositive();
    assertThat(report.path("decodeGBps").asDouble()).isPositive();
  }
}
