package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The declared inputs/outputs of the generated graphs, as ORT Java reads them, match contract §1. */
class SynthGraphContractTest {

  @TempDir static Path dir;
  static final SynthSpec SPEC = SynthSpec.tiny();
  static OrtSession vision;
  static OrtSession embed;
  static OrtSession decoder;

  @BeforeAll
  static void writeTinyModel() throws IOException, OrtException {
    SynthModelWriter.write(SPEC, dir);
    vision = OrtRunner.open(SynthModelWriter.visionEncoder(dir));
    embed = OrtRunner.open(SynthModelWriter.embedTokens(dir));
    decoder = OrtRunner.open(SynthModelWriter.decoder(dir));
  }

  @AfterAll
  static void close() throws OrtException {
    vision.close();
    embed.close();
    decoder.close();
  }

  private static TensorInfo info(Map<String, NodeInfo> infos, String name) {
    assertThat(infos).containsKey(name);
    return (TensorInfo) infos.get(name).getInfo();
  }

  @Test
  void visionEncoderDeclaresFiveDimPixelsBoolMaskAndRank3Features() throws OrtException {
    int s = SPEC.tileSize();
    assertThat(vision.getInputNames()).containsExactlyInAnyOrder("pixel_values", "pixel_attention_mask");
    TensorInfo px = info(vision.getInputInfo(), "pixel_values");
    assertThat(px.type).isEqualTo(OnnxJavaType.FLOAT);
    assertThat(px.getShape()).containsExactly(-1, -1, 3, s, s);
    assertThat(px.getDimensionNames()).startsWith("batch_size", "num_images");
    TensorInfo mask = info(vision.getInputInfo(), "pixel_attention_mask");
    assertThat(mask.type).isEqualTo(OnnxJavaType.BOOL);
    assertThat(mask.getShape()).containsExactly(-1, -1, s, s);
    TensorInfo out = info(vision.getOutputInfo(), "image_features");
    assertThat(out.type).isEqualTo(OnnxJavaType.FLOAT);
    assertThat(out.getShape()).containsExactly(-1, SPEC.imageSeqLen(), SPEC.textHidden());
  }

  @Test
  void embedTokensMapsInt64IdsToHiddenSizedFloats() throws OrtException {
    TensorInfo ids = info(embed.getInputInfo(), "input_ids");
    assertThat(ids.type).isEqualTo(OnnxJavaType.INT64);
    assertThat(ids.getDimensionNames()).containsExactly("batch_size", "sequence_length");
    TensorInfo out = info(embed.getOutputInfo(), "inputs_embeds");
    assertThat(out.type).isEqualTo(OnnxJavaType.FLOAT);
    assertThat(out.getShape()).containsExactly(-1, -1, SPEC.textHidden());
  }

  @Test
  void decoderDeclaresCacheInputsWithSymbolicBatchAndPastAndNumericKvAndHeadDim() throws OrtException {
    Map<String, NodeInfo> in = decoder.getInputInfo();
    assertThat(in).hasSize(3 + 2 * SPEC.textLayers());
    assertThat(info(in, "inputs_embeds").getShape()).containsExactly(-1, -1, SPEC.textHidden());
    assertThat(info(in, "inputs_embeds").type).isEqualTo(OnnxJavaType.FLOAT);
    assertThat(info(in, "attention_mask").type).isEqualTo(OnnxJavaType.INT64);
    assertThat(info(in, "attention_mask").getShape()).containsExactly(-1, -1);
    assertThat(info(in, "position_ids").type).isEqualTo(OnnxJavaType.INT64);
    assertThat(info(in, "position_ids").getShape()).containsExactly(-1, -1);
    for (int i = 0; i < SPEC.textLayers(); i++) {
      for (String kind : new String[] {"key", "value"}) {
        TensorInfo past = info(in, "past_key_values." + i + "." + kind);
        assertThat(past.type).isEqualTo(OnnxJavaType.FLOAT);
        assertThat(past.getShape()).containsExactly(-1, SPEC.kvHeads(), -1, SPEC.headDim());
        assertThat(past.getDimensionNames()).containsExactly("batch_size", "", "past_sequence_length", "");
        TensorInfo present = info(decoder.getOutputInfo(), "present." + i + "." + kind);
        assertThat(present.getShape()).containsExactly(-1, SPEC.kvHeads(), -1, SPEC.headDim());
      }
    }
    TensorInfo logits = info(decoder.getOutputInfo(), "logits");
    assertThat(logits.type).isEqualTo(OnnxJavaType.FLOAT);
    assertThat(logits.getShape()).containsExactly(-1, -1, SPEC.vocab());
    assertThat(decoder.getOutputInfo()).hasSize(1 + 2 * SPEC.textLayers());
  }
}
