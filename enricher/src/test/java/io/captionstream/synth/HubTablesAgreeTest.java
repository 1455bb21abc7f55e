package io.captionstream.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.captionstream.model.OnnxGraph;
import io.captionstream.model.OnnxVariant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kit's statement of the hub's file names (HubGraph, HubVariant) and the engine's reader agree. */
class HubTablesAgreeTest {

  @Test
  void everyVariantHasTheSameNameIdAndSuffixInTheKitAndTheEngine() {
    assertThat(rows(HubVariant.values())).containsExactlyElementsOf(
        Arrays.stream(OnnxVariant.values()).map(v -> v.name() + " " + v.id() + " [" + v.suffix() + "]").toList());
  }

  @Test
  void everyGraphVariantFileNameIsTheSameInTheKitAndTheEngine() {
    List<String> kit = Arrays.stream(HubGraph.values()).flatMap(g -> Arrays.stream(HubVariant.values())
        .map(v -> g.name() + " " + g.fileName(v))).toList();
    List<String> engine = Arrays.stream(OnnxGraph.values()).flatMap(g -> Arrays.stream(OnnxVariant.values())
        .map(v -> g.name() + " " + g.fileName(v))).toList();

    assertThat(kit).containsExactlyElementsOf(engine);
  }

  @Test
  void bothTablesParseTheSameCommandLineNames() {
    for (String name : List.of("fp32", "FP16", "int8", "uint8", "quantized", "q8", "q4", "q4f16", "bnb4", "_q4",
        "none")) {
      assertThat(HubVariant.parse(name).name()).as(name).isEqualTo(OnnxVariant.parse(name).name());
    }
  }

  private static List<String> rows(HubVariant[] values) {
    return Arrays.stream(values).map(v -> v.name() + " " + v.id() + " [" + v.suffix() + "]").toList();
  }
}
