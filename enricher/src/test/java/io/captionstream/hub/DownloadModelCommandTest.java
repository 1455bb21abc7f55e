package io.captionstream.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.cli.Main;
import io.captionstream.model.OnnxVariant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download-model} end to end against the local fake hub, through the CLI entry point. */
class DownloadModelCommandTest {

  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return new Run(Main.execute(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void downloadsIntoTheGivenCacheShowsProgressAndPrintsTheSnapshotFolder() throws Exception {
    try (FakeHub hub = new FakeHub("org/tiny-vlm")) {
      for (String f : VariantFiles.REQUIRED_CONFIG) {
        hub.files.put(f, "{}".getBytes(StandardCharsets.UTF_8));
      }
      for (String g : VariantFiles.graphFiles(OnnxVariant.Q4)) {
        hub.files.put(g, new byte[200_000]);
      }

      Run r = cli("download-model", "--endpoint", hub.endpoint().toString(), "--cache-dir", tmp.toString(),
          "--repo", "org/tiny-vlm", "--variant", "q4");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out().trim()).isEqualTo(tmp.resolve("models--org--tiny-vlm/snapshots/" + FakeHub.COMMIT).toString());
      assertThat(r.err()).contains("onnx/decoder_model_merged_q4.onnx").contains("100%").contains("ok");
    }
  }

  @Test
  void missingVariantExitsThreeAndUnknownVariantTwo() throws Exception {
    try (FakeHub hub = new FakeHub("org/tiny-vlm")) {
      for (String f : VariantFiles.REQUIRED_CONFIG) {
        hub.files.put(f, "{}".getBytes(StandardCharsets.UTF_8));
      }
      Run missing = cli("download-model", "--endpoint", hub.endpoint().toString(), "--cache-dir", tmp.toString(),
          "--repo", "org/tiny-vlm", "--variant", "fp16");
      assertThat(missing.code()).isEqualTo(3);
      assertThat(missing.err()).contains("onnx/vision_encoder_fp16.onnx").contains("org/tiny-vlm");

      Run bad = cli("download-model", "--variant", "q3");
      assertThat(bad.code()).isEqualTo(2);
      assertThat(bad.err()).contains("unknown model variant 'q3'");
    }
  }
}
