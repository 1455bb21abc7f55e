package io.captionstream.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageTokenLayoutTest {

  private static int count(String s, String what) {
    return (s.length() - s.replace(what, "").length()) / what.length();
  }

  @Test
  void squareImageOf4x4TilesHas17TimesSeqLenImageTokens() {
    // 100×80 resized to 2048×1638, padded up to 2048×2048 at 512: a 4×4 grid plus the global image
    ImageTokenLayout l = new ImageTokenLayout(4, 4, 64);
    assertThat(l.tileCount()).isEqualTo(17);
    assertThat(l.imageTokenCount()).isEqualTo(1088);
    assertThat(count(l.expansion(), "<image>")).isEqualTo(1088);
    assertThat(count(l.expansion(), "<fake_token_around_image>")).isEqualTo(16 + 2);
    assertThat(count(l.expansion(), "\n")).isEqualTo(4 + 1);
  }

  @Test
  void fourByThreeLandscapeIs3RowsOf4PlusGlobal() {
    ImageTokenLayout l = new ImageTokenLayout(3, 4, 64);
    assertThat(l.tileCount()).isEqualTo(13);
    assertThat(l.imageTokenCount()).isEqualTo(832);
    assertThat(l.expansion()).contains("<row_3_col_4>").doesNotContain("<row_4_col_1>").doesNotContain("<row_1_col_5>");
  }

  @Test
  void splitExpansionFollowsTheContractTokenByToken() {
    ImageTokenLayout l = new ImageTokenLayout(2, 1, 2);
    assertThat(l.expansion()).isEqualTo(
        "<fake_token_around_image><row_1_col_1><image><image>\n"
            + "<fake_token_around_image><row_2_col_1><image><image>\n"
            + "\n<fake_token_around_image><global-img><image><image><fake_token_around_image>");
  }

  @Test
  void unsplitImageIsOnlyTheGlobalBlock() {
    ImageTokenLayout l = ImageTokenLayout.unsplit(64);
    assertThat(l.split()).isFalse();
    assertThat(l.imageTokenCount()).isEqualTo(64);
    assertThat(l.expansion()).isEqualTo("<fake_token_around_image><global-img>" + "<image>".repeat(64)
        + "<fake_token_around_image>");
  }

  @Test
  void rejectsHalfSplitLayouts() {
    assertThatThrownBy(() -> new ImageTokenLayout(0, 3, 64)).hasMessageContaining("0×3");
    assertThatThrownBy(() -> new ImageTokenLayout(-1, -1, 64)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageTokenLayout(1, 1, 0)).hasMessageContaining("imageSeqLen");
  }
}
