package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.model.ModelConfig;
import io.captionstream.model.ModelFolder;
import io.captionstream.model.VariantSelection;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the kit writes is what the model stage reads: the same dimensions and ids come back out. */
class SynthFolderLoadsAsModelFolderTest {

  @Test
  void modelStageReadsTheSpecBackFromASyntheticFolder(@TempDir Path dir) throws IOException {
    SynthSpec spec = SynthSpec.tiny().toBuilder().imageSplitting(false).build();
    SynthModelWriter.write(spec, dir, true);
    ModelFolder folder = ModelFolder.load(dir);
    ModelConfig config = folder.config();
    assertThat(config.imageTokenId()).isEqualTo(spec.imageTokenId());
    assertThat(config.eosTokenIds()).containsExactly(spec.eosTokenId());
    assertThat(config.imageSeqLen()).isEqualTo(spec.imageSeqLen());
    assertThat(config.scaleFactor()).isEqualTo(spec.scaleFactor());
    assertThat(config.text().numHiddenLayers()).isEqualTo(spec.textLayers());
    assertThat(config.text().numKeyValueHeads()).isEqualTo(spec.kvHeads());
    assertThat(config.text().headDim()).isEqualTo(spec.headDim());
    assertThat(config.text().vocabSize()).isEqualTo(spec.vocab());
    assertThat(config.text().ropeTheta()).isEqualTo(spec.ropeTheta());
    assertThat(config.preprocessor().tileSize()).isEqualTo(spec.tileSize());
    assertThat(config.preprocessor().longestEdge()).isEqualTo(spec.longestEdge());
    assertThat(config.preprocessor().doImageSplitting()).isFalse();
    assertThat(folder.chatTemplate()).contains("<end_of_utterance>");

    ModelFolder fp16 = ModelFolder.load(dir, VariantSelection.parse("fp32,decoder=fp16"));
    assertThat(fp16.graphs().decoder().onnx().getFileName().toString())
        .isEqualTo("decoder_model_merged_fp16.onnx");
  }

  @Test
  void externalDataFilesAreFoundByTheModelStage(@TempDir Path dir) throws IOException {
    SynthModelWriter.write(SynthSpec.tiny().withExternalData(true), dir);
    ModelFolder folder = ModelFolder.load(dir);
    assertThat(folder.graphs().decoder().externalData()).singleElement()
        .satisfies(p -> assertThat(p.getFileName().toString()).isEqualTo("decoder_model_merged.onnx_data"));
  }
}
