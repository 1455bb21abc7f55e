package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SynthSpecTest {

  @Test
  void smolVlm256mPresetHasTheRealDimensionsOfContractSection2() {
    SynthSpec s = SynthSpec.preset("smolvlm-256m");
    assertThat(s.textHidden()).isEqualTo(576);
    assertThat(s.textLayers()).isEqualTo(30);
    assertThat(s.textHeads()).isEqualTo(9);
    assertThat(s.kvHeads()).isEqualTo(3);
    assertThat(s.headDim()).isEqualTo(64);
    assertThat(s.intermediate()).isEqualTo(1536);
    assertThat(s.vocab()).isEqualTo(49280);
    assertThat(s.visionHidden()).isEqualTo(768);
    assertThat(s.visionLayers()).isEqualTo(12);
    assertThat(s.visionHeads()).isEqualTo(12);
    assertThat(s.patchSize()).isEqualTo(16);
    assertThat(s.tileSize()).isEqualTo(512);
    assertThat(s.scaleFactor()).isEqualTo(4);
    assertThat(s.longestEdge()).isEqualTo(2048);
    assertThat(s.ropeTheta()).isEqualTo(100000.0);
    assertThat(s.imageSeqLen()).isEqualTo(64);
    assertThat(s.externalData()).isTrue();
  }

  @Test
  void realVocabularyKeepsTheRealSpecialIds() {
    SynthSpec s = SynthSpec.smolVlm256m();
    assertThat(s.eosTokenId()).isEqualTo(49279);
    assertThat(s.imageTokenId()).isEqualTo(49190);
    assertThat(s.specialId("<|im_end|>")).isEqualTo(2);
    assertThat(s.specialId("<global-img>")).isEqualTo(49152);
    assertThat(s.specialId("<fake_token_around_image>")).isEqualTo(49189);
  }

  @Test
  void smallVocabularyKeepsSpecialsAtTheSameDistanceFromTheEnd() {
    SynthSpec s = SynthSpec.tiny();
    assertThat(s.vocab()).isEqualTo(512);
    assertThat(s.eosTokenId()).isEqualTo(511);
    assertThat(s.imageTokenId()).isEqualTo(512 - (49280 - 49190));
    assertThat(s.specialId("<|im_start|>")).isEqualTo(1);
  }

  @Test
  void tinyPresetGives16ImageTokensPerTileAndGroupedQueryAttention() {
    SynthSpec s = SynthSpec.preset("tiny");
    assertThat(s.imageSeqLen()).isEqualTo(16);
    assertThat(s.groupSize()).isEqualTo(2);
    assertThat(s.externalData()).isFalse();
  }

  @Test
  void builderChangesSeveralDimensionsAtOnce() {
    SynthSpec s = SynthSpec.tiny().toBuilder().textHeads(6).kvHeads(3).build();
    assertThat(s.groupSize()).isEqualTo(2);
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void rejectsInconsistentDimensions() {
    assertThatThrownBy(() -> SynthSpec.tiny().toBuilder().kvHeads(3).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kv heads");
    assertThatThrownBy(() -> SynthSpec.tiny().toBuilder().tileSize(60).build())
        .hasMessageContaining("patch size");
    assertThatThrownBy(() -> SynthSpec.tiny().toBuilder().scaleFactor(3).build())
        .hasMessageContaining("scale factor");
    assertThatThrownBy(() -> SynthSpec.tiny().toBuilder().headDim(15).build()).hasMessageContaining("even");
    assertThatThrownBy(() -> SynthSpec.tiny().toBuilder().vocab(100).build()).hasMessageContaining("vocab");
    assertThatThrownBy(() -> SynthSpec.preset("huge")).hasMessageContaining("unknown preset");
  }
}
