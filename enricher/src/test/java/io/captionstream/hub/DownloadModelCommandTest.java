package io.captionstream.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.cli.CliRun;
import io.captionstream.model.OnnxVariant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download-model} end to end against the local fake hub, through the CLI entry point. */
class DownloadModelCommandTest {

  @TempDir Path tmp;

  @Test
  void downloadsIntoTheGivenCacheShowsProgressAndPrintsTheSnapshotFolder() throws Exception {
    try (FakeHub hub = new FakeHub("org/tiny-vlm")) {
      for (String f : VariantFiles.REQUIRED_CONFIG) {
        hub.files.put(f, "{}".getBytes(StandardCharsets.UTF_8));
      }
      for (String g : VariantFiles.graphFiles(OnnxVariant.Q4)) {
        hub.files.put(g, new byte[200_000]);
      }

      CliRun r = CliRun.of("download-model", "--endpoint", hub.endpoint().toString(), "--cache-dir", tmp.toString(),
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
      CliRun missing = CliRun.of("download-model", "--endpoint", hub.endpoint().toString(), "--cache-dir",
          tmp.toString(),
          "--repo", "org/tiny-vlm", "--variant", "fp16");
      assertThat(missing.code()).isEqualTo(3);
      assertThat(missing.err()).contains("onnx/vision_encoder_fp16.onnx").contains("org/tiny-vlm");

      CliRun bad = CliRun.of("download-model", "--variant", "q3");
      assertThat(bad.code()).isEqualTo(2);
      assertThat(bad.err()).contains("unknown ONNX variant 'q3'");
    }
  }
}
