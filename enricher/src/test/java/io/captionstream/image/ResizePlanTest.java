package io.captionstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.model.PreprocessorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected sizes computed with the Python expressions of transformers' Idefics3 image processor. */
class ResizePlanTest {

  @ParameterizedTest(name = "{0}x{1} -> {2}x{3} -> {4}x{5}")
  @CsvSource({
      "100, 80, 2048, 1638, 2048, 2048",
      "640, 480, 2048, 1536, 2048, 1536",
      "4000, 3000, 2048, 1536, 2048, 1536",
      "1000, 10, 2048, 20, 2048, 512",
      "10, 1000, 20, 2048, 512, 2048",
      "1, 1, 2048, 2048, 2048, 2048",
      "3, 7, 878, 2048, 1024, 2048",
      "1920, 1080, 2048, 1152, 2048, 1536",
      "333, 1000, 682, 2048, 1024, 2048",
      "2049, 1, 2048, 1, 2048, 512"})
  void resizesLongestEdgeTo2048ThenToTileMultiples(int w, int h, int w1, int h1, int w2, int h2) {
    assertThat(ResizePlan.longestEdge(w, h, 2048)).isEqualTo(new ImageSize(w1, h1));
    assertThat(ResizePlan.tileMultiple(w1, h1, 512)).isEqualTo(new ImageSize(w2, h2));
  }

  @Test
  void bumpsOddShortEdgeToEven() {
    // 2048 / (101/81) = 1642.4 -> 1642 (even); 2048 / (100/81) = 1658.88 -> 1658; 2048/(99/80) = 1654.9 -> 1654
    assertThat(ResizePlan.longestEdge(100, 81, 2048)).isEqualTo(new ImageSize(2048, 1658));
    // 2048 / (1000/333) = 681.98 -> 681 -> 682
    assertThat(ResizePlan.longestEdge(1000, 333, 2048)).isEqualTo(new ImageSize(2048, 682));
  }

  @Test
  void capsTheFirstResizeAt4096() {
    assertThat(ResizePlan.longestEdge(1000, 500, 5000)).isEqualTo(new ImageSize(4096, 2048));
  }

  @Test
  void tileGridPlanMatchesContractReferenceVectors() {
    PreprocessorConfig cfg = PreprocessorConfig.smolVlmDefaults();
    assertThat(TileGrid.plan(100, 80, cfg)).isEqualTo(new TileGrid(4, 4, 512));
    assertThat(TileGrid.plan(100, 80, cfg).tiles()).isEqualTo(17);
    assertThat(TileGrid.plan(640, 480, cfg)).isEqualTo(new TileGrid(3, 4, 512));
    assertThat(TileGrid.plan(640, 480, cfg).tiles()).isEqualTo(13);
    assertThat(TileGrid.plan(480, 640, cfg)).isEqualTo(new TileGrid(4, 3, 512));
    assertThat(TileGrid.plan(640, 480, cfg.withSplitting(false))).isEqualTo(TileGrid.unsplit(512));
    assertThat(TileGrid.plan(640, 480, cfg.withSplitting(false)).tiles()).isEqualTo(1);
  }

  @Test
  void imageOfExactlyOneTileIsNotSplit() {
    PreprocessorConfig cfg = PreprocessorConfig.smolVlmDefaults().withLongestEdge(512);
    assertThat(TileGrid.plan(300, 200, cfg)).isEqualTo(TileGrid.unsplit(512));
    // 513x342 -> 1024 x ceil(int(1024 / 1.5) = 682) -> 1024x1024
    assertThat(TileGrid.plan(300, 200, cfg.withLongestEdge(513))).isEqualTo(new TileGrid(2, 2, 512));
  }
}
